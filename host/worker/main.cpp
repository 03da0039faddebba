// jobhost-worker: runs one plugin for the jobhost daemon, which starts it
// (isolation/worker_process.hpp) with the plugin's checked copy as its
// argument and its socket on descriptor 3. Not meant to be started by hand.
#include <cstdio>

#include "worker/plugin_server.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "jobhost-worker: the jobhost daemon starts this, with a plugin copy and a socket\n");
    return 2;
  }
  return jobhost::worker::serve(argv[1], 3);
}
