// `jobhost check`: load and validate everything, run nothing.
#include <iostream>

#include "cli/commands.hpp"
#include "jobs/host.hpp"

namespace jobhost::cli {

int check_everything(const Invocation& invocation) {
  jobs::Host host(invocation.config);
  std::size_t problems = 0;
  // An error may quote a node's answer, which may echo a credential.
  const auto report = [&](const std::string& error) {
    std::cout << "error: " << host.logs().redacted(error) << "\n";
    ++problems;
  };
  for (const auto& error : host.load_errors()) report(error);
  for (const auto& error : host.config_errors()) report(error);
  for (const auto& missing : host.missing_chains()) report(missing);
  for (const auto& error : host.clients().create_all()) report(error);
  for (const auto& warning : host.config_warnings()) std::cout << "warning: " << host.logs().redacted(warning) << "\n";
  const std::size_t warnings = host.config_warnings().size();
  std::cout << host.plugins().size() << " plugins, " << host.jobs().size() << " jobs, " << problems
            << (problems == 1 ? " problem" : " problems") << ", " << warnings
            << (warnings == 1 ? " warning" : " warnings") << "\n";
  return problems == 0 ? 0 : 1;
}

}  // namespace jobhost::cli
