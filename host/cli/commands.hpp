// The subcommands: one table that the parser, `--help` and dispatch all
// read. Each handler returns the process's exit status: 0 success, 1 the
// command's own failure (a job failed, check found problems), 2 bad usage or
// configuration.
#pragma once

#include <string>
#include <vector>

#include "cli/command_line.hpp"

namespace jobhost::cli {

// The options a command may take come in groups; a command takes the groups
// its entry in the table names, and no other option.
enum class OptionGroup {
  config_file,  // --config
  state_dir,    // --state-dir
  loading,      // --plugin-dir, --optional-plugin-dir, --plugin-sha256, --insecure-plugins, --set
  schedules,    // --schedule, --disable, --tz
  chains,       // --chain
  daemon,       // --workers, --clients-eager, --shutdown-timeout, --drain-timeout, --http
  logging,      // --log-level, --log-file, --log-max-size, --log-max-files, --log-format, --sdk-log-file
  next,         // --count, --from, --tz (the zone `next` prints in)
  list,         // --settings
};

struct Command {
  std::string name;                        // "run-job"
  std::string usage;                       // "jobhost run-job JOB [options]"
  std::string summary;                     // one line, for --help
  std::vector<OptionGroup> option_groups;  // the options it takes, in the order its help lists them
  std::string operand;                     // the name of its single operand ("JOB"), or ""
  int (*handler)(const Invocation&);
};

// Every command, in the order --help lists them.
const std::vector<Command>& commands();
// The command named `name`, or nullptr.
const Command* find_command(const std::string& name);
// "check, help, list, ...": every command's name, for error messages.
std::string command_names();

int run_daemon(const Invocation& invocation);
int list_plugins_and_jobs(const Invocation& invocation);
int check_everything(const Invocation& invocation);
int print_next_fires(const Invocation& invocation);
int run_job_now(const Invocation& invocation);
// status, trigger, pause, resume: requests to the running daemon.
int control_daemon(const Invocation& invocation);
int print_help(const Invocation& invocation);

// Runs the command `invocation` names (or prints the version); a ConfigError
// from any of them is printed and turned into exit status 2.
int execute(const Invocation& invocation);

}  // namespace jobhost::cli
