#include "cli/commands.hpp"

#include <iostream>

namespace jobhost::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"check", "jobhost check [options]",
       "Load and validate everything without running jobs; exit 0 when all is well, 1 listing every problem.", true,
       "", check_everything},
      {"help", "jobhost help [COMMAND]", "Describe every command, or one.", false, "COMMAND", print_help},
      {"list", "jobhost list [options]", "List the plugins (name, version, file) and jobs (schedule, next fire).",
       true, "", list_plugins_and_jobs},
      {"next", "jobhost next SPEC [--count N] [--from TIME] [--tz ZONE]",
       "Print the next N fire times of a schedule spec, ISO 8601 with the offset of ZONE.", false, "SPEC",
       print_next_fires},
      {"pause", "jobhost pause JOB [--state-dir DIR | --config FILE]",
       "Ask the running daemon to stop firing JOB until `resume` (missed fires are not caught up).", true, "JOB",
       control_daemon},
      {"resume", "jobhost resume JOB [--state-dir DIR | --config FILE]", "Ask the running daemon to fire JOB again.",
       true, "JOB", control_daemon},
      {"run", "jobhost run [options]", "Run the daemon in the foreground until SIGTERM or SIGINT.", true, "",
       run_daemon},
      {"run-job", "jobhost run-job JOB [options]",
       "Run one job (PLUGIN.JOB) once now in the foreground; exit 0 when it succeeded, 1 when it failed.", true, "JOB",
       run_job_now},
      {"status", "jobhost status [--state-dir DIR | --config FILE]",
       "Print the jobs of the daemon running with this state directory: state, last run, next fire.", true, "",
       control_daemon},
      {"trigger", "jobhost trigger JOB [--state-dir DIR | --config FILE]",
       "Ask the running daemon to fire JOB now, through its overlap policy.", true, "JOB", control_daemon},
  };
  return kCommands;
}

const Command* find_command(const std::string& name) {
  for (const Command& command : commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string command_names() {
  std::string names;
  for (const Command& command : commands()) names += (names.empty() ? "" : ", ") + command.name;
  return names;
}

int print_help(const Invocation& invocation) {
  std::cout << help_text(invocation.help_topic);
  return 0;
}

}  // namespace jobhost::cli
