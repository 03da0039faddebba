#include <iostream>

#include "cli/commands.hpp"
#include "jobhost/error.hpp"
#include "jobhost/version.hpp"

namespace jobhost::cli {

int execute(const Invocation& invocation) {
  try {
    if (invocation.command == "version") {
      std::cout << "jobhost " << JOBHOST_VERSION << " (plugin SDK " << JOBHOST_SDK_VERSION_MAJOR << "."
                << JOBHOST_SDK_VERSION_MINOR << ")\n";
      return 0;
    }
    const Command* command = find_command(invocation.command);
    if (command == nullptr) {
      std::cerr << "jobhost: unknown command \"" << invocation.command << "\" (expected one of " << command_names()
                << ")\n";
      return 2;
    }
    return command->handler(invocation);
  } catch (const ConfigError& e) {
    std::cerr << "jobhost: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace jobhost::cli
