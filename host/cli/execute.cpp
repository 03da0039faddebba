#include <iostream>

#include "cli/commands.hpp"
#include "jobhost/error.hpp"
#include "jobhost/version.hpp"

namespace jobhost::cli {

int execute(const Invocation& invocation) {
  try {
    const std::string& command = invocation.command;
    if (command == "version") {
      std::cout << "jobhost " << JOBHOST_VERSION << " (plugin SDK " << JOBHOST_SDK_VERSION_MAJOR << "."
                << JOBHOST_SDK_VERSION_MINOR << ")\n";
      return 0;
    }
    if (command == "help") {
      std::cout << help_text(invocation.help_topic);
      return 0;
    }
    if (command == "run") return run_daemon(invocation);
    if (command == "list") return list_plugins_and_jobs(invocation);
    if (command == "check") return check_everything(invocation);
    if (command == "next") return print_next_fires(invocation);
    if (command == "run-job") return run_job_now(invocation);
    if (command == "status" || command == "trigger" || command == "pause" || command == "resume") {
      return control_daemon(invocation);
    }
    std::cerr << "jobhost: unknown command \"" << command << "\"\n";
    return 2;
  } catch (const ConfigError& e) {
    std::cerr << "jobhost: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace jobhost::cli
