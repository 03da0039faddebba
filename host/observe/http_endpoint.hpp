// HttpEndpoint: the read-only HTTP server of --http: /metrics (Prometheus
// text format), /healthz ("ok") and /jobs (JSON). Nothing it serves changes
// the host.
//
// It listens from construction to destruction, on its own threads (one
// accepting, two answering). Thread-safety: the handlers are called on those
// threads, at once; whatever they read must outlive the endpoint.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/listen_address.hpp"

namespace httplib {
class Server;
}

namespace jobhost::observe {

class HttpEndpoint {
 public:
  struct Handlers {
    std::function<std::string()> metrics;
    std::function<std::string()> jobs;
  };

  // Throws ConfigError naming the address when it cannot listen there.
  HttpEndpoint(const ListenAddress& address, Handlers handlers);
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // The port it listens on (the one asked for, or the one the kernel chose
  // for port 0).
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::atomic<bool> listen_returned_{false};
  std::thread thread_;
};

}  // namespace jobhost::observe
