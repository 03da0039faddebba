// The command line: `jobhost COMMAND [options] [operands]`, parsed with
// Boost.Program_options into one Invocation.
//
// Each command takes only the options it uses (the groups its entry in
// cli/commands.hpp names); any other option is an error pointing to its help.
// Options that configure the host (--plugin-dir, --set, --schedule, ...) are
// turned into the dotted keys of config/keys.hpp and laid over the config file
// named by --config, so the precedence is CLI > config file > defaults; among
// CLI options the later one wins.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace jobhost::cli {

struct Invocation {
  // A name from the table of commands (cli/commands.hpp), or "version".
  std::string command;
  // For help: the command to describe ("" for the overview).
  std::string help_topic;
  // The merged configuration, and what it was merged from (to read it again
  // on SIGHUP): --config's file, if the command takes it and it was given,
  // and the options given on the command line.
  config::Config config;
  std::optional<std::string> config_file;
  config::Config command_line;
  // The command's operands: SPEC for next, JOB for run-job.
  std::vector<std::string> operands;
  // For next.
  int count = 5;
  std::optional<std::string> from;
  // For list: --settings.
  bool list_settings = false;
};

// `args` excludes the program name. Throws ConfigError with a message naming
// the option and what was expected (the caller exits with status 2).
Invocation parse_command_line(const std::vector<std::string>& args);

// The configuration read again, as on SIGHUP: the config file as it is now,
// with the command line's options laid over it. Throws ConfigError naming the
// file and what is wrong in it.
config::Config reread_config(const Invocation& invocation);

// The help text for `command` ("" for the overview of every command).
std::string help_text(const std::string& command);

}  // namespace jobhost::cli
