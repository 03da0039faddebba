#include "cli/commands.hpp"

#include <iostream>

namespace jobhost::cli {

const std::vector<Command>& commands() {
  using enum OptionGroup;
  // What the daemon reads; `check` validates all of it, so it takes the same.
  static const std::vector<OptionGroup> daemon_options = {config_file, loading, schedules, chains,
                                                          state_dir,   daemon,  logging};
  // What finds the running daemon: its state directory, or the config file naming it.
  static const std::vector<OptionGroup> control_options = {config_file, state_dir};
  static const std::vector<Command> kCommands = {
      {"check", "jobhost check [options]",
       "Load and validate everything without running jobs; exit 0 when all is well, 1 listing every problem.",
       daemon_options, "", check_everything},
      {"help", "jobhost help [COMMAND]", "Describe every command, or one.", {}, "COMMAND", print_help},
      {"list", "jobhost list [--settings] [options]",
       "List the plugins (name, version, isolation, file, description) and their jobs (schedule, next fires, "
       "description), or with --settings the settings each plugin declares.",
       {list, config_file, loading, schedules, chains, logging}, "", list_plugins_and_jobs},
      {"next", "jobhost next SPEC [--count N] [--from TIME] [--tz ZONE]",
       "Print the next N fire times of a schedule spec, ISO 8601 with the offset of ZONE.", {next}, "SPEC",
       print_next_fires},
      {"pause", "jobhost pause JOB [--state-dir DIR | --config FILE]",
       "Ask the running daemon to stop firing JOB until `resume` (missed fires are not caught up).",
       control_options, "JOB", control_daemon},
      {"resume", "jobhost resume JOB [--state-dir DIR | --config FILE]", "Ask the running daemon to fire JOB again.",
       control_options, "JOB", control_daemon},
      {"run", "jobhost run [options]", "Run the daemon in the foreground until SIGTERM or SIGINT.", daemon_options,
       "", run_daemon},
      {"run-job", "jobhost run-job JOB [options]",
       "Run one job (PLUGIN.JOB) once now in the foreground; exit 0 when it succeeded, 1 when it failed.",
       {config_file, loading, chains, state_dir, logging}, "JOB", run_job_now},
      {"status", "jobhost status [--state-dir DIR | --config FILE]",
       "Print the jobs of the daemon running with this state directory: state, last run, next fire.",
       control_options, "", control_daemon},
      {"trigger", "jobhost trigger JOB [--state-dir DIR | --config FILE]",
       "Ask the running daemon to fire JOB now, through its overlap policy.", control_options, "JOB",
       control_daemon},
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
