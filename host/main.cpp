// jobhost: runs monitor-job plugins on cron schedules. See README.md.
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "jobhost/error.hpp"
#include "chain/curl_global.hpp"

int main(int argc, char** argv) {
  try {
    // libcurl's global set-up, once, before any thread exists.
    const jobhost::chain::CurlGlobal curl;
    const std::vector<std::string> args(argv + 1, argv + argc);
    return jobhost::cli::execute(jobhost::cli::parse_command_line(args));
  } catch (const jobhost::ConfigError& e) {
    std::cerr << "jobhost: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "jobhost: " << e.what() << "\n";
    return 1;
  }
}
