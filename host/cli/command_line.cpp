#include "cli/command_line.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "config/config_file.hpp"
#include "config/keys.hpp"
#include "jobhost/error.hpp"
#include "jobs/default_plugin_dir.hpp"

namespace jobhost::cli {
namespace {

namespace po = boost::program_options;

// The groups of options (OptionGroup, cli/commands.hpp), each as a function.

po::options_description config_file_option() {
  po::options_description options;
  options.add_options()("config", po::value<std::string>()->value_name("FILE"), "read settings from this INI file");
  return options;
}

po::options_description state_dir_option() {
  po::options_description options;
  options.add_options()("state-dir", po::value<std::string>()->value_name("DIR"),
                        "where the host and plugins keep state (default /var/lib/jobhost)");
  return options;
}

po::options_description loading_options() {
  po::options_description options;
  options.add_options()
      ("plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR"),
       "load the *.so plugins in DIR (repeatable; default: the installation's plugin directory, named below); "
       "a DIR that does not exist is an error")
      ("optional-plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR"),
       "as --plugin-dir, but DIR may be missing: its plugins load when it appears (repeatable)")
      ("plugin-sha256", po::value<std::string>()->value_name("FILE"),
       "load only the plugins FILE lists with their SHA-256 (lines \"HASH  NAME.so\", as sha256sum prints them)")
      ("insecure-plugins",
       "do not refuse plugin files or directories that others may write or that another user owns "
       "(development only)")
      ("set", po::value<std::vector<std::string>>()->value_name("KEY=VALUE"),
       "set any configuration key (repeatable), e.g. job.hello.greet.schedule=@hourly");
  return options;
}

po::options_description schedule_options() {
  po::options_description options;
  options.add_options()
      ("schedule", po::value<std::vector<std::string>>()->value_name("JOB=SPEC"),
       "override a job's schedule (repeatable)")
      ("disable", po::value<std::vector<std::string>>()->value_name("JOB"), "do not fire this job (repeatable)")
      ("tz", po::value<std::string>()->value_name("ZONE"),
       "IANA time zone in which cron specs are matched (default: the host's local zone); "
       "job.PLUGIN.JOB.tz or a CRON_TZ= prefix overrides");
  return options;
}

po::options_description chain_option() {
  po::options_description options;
  options.add_options()("chain", po::value<std::vector<std::string>>()->value_name("NAME=URL"),
                        "a chain node the jobs may use (repeatable); more settings in [chain.NAME]");
  return options;
}

po::options_description daemon_options() {
  po::options_description options;
  options.add_options()
      ("workers", po::value<std::string>()->value_name("N"), "threads that run jobs (default 4)")
      ("clients-eager", "create every chain client at start-up instead of on first use")
      ("shutdown-timeout", po::value<std::string>()->value_name("DURATION"),
       "how long SIGTERM waits for running jobs (default 30s)")
      ("drain-timeout", po::value<std::string>()->value_name("DURATION"),
       "how long the runs of a plugin that is replaced or removed get to return before it is unloaded "
       "(default 30s; after that it stays loaded)")
      ("http", po::value<std::string>()->value_name("[ADDR:]PORT"),
       "serve /metrics, /healthz and /jobs over HTTP, read-only (off by default; PORT alone listens on 127.0.0.1)");
  return options;
}

po::options_description logging_options() {
  po::options_description options;
  options.add_options()
      ("log-level", po::value<std::vector<std::string>>()->value_name("LEVEL|NAME=LEVEL"),
       "trace, debug, info (default), warn, error, critical or off; NAME=LEVEL sets one logger or a "
       "dotted group (repeatable)")
      ("log-file", po::value<std::string>()->value_name("PATH"), "log to a rotating file instead of stderr")
      ("log-max-size", po::value<std::string>()->value_name("SIZE"), "rotate the log file at this size (default 10M)")
      ("log-max-files", po::value<std::string>()->value_name("N"), "rotated log files to keep (default 5)")
      ("log-format", po::value<std::string>()->value_name("text|json"), "log line format (default text)")
      ("log-rate-limit", po::value<std::string>()->value_name("N"),
       "log lines a second each plugin may write, ten seconds' worth at once (default 100; 0: no limit)")
      ("sdk-log-file", po::value<std::string>()->value_name("PATH"),
       "where the chain SDK logs (default: the host's log); [chain.NAME] log-file overrides");
  return options;
}

po::options_description next_options() {
  po::options_description options;
  options.add_options()
      ("count", po::value<std::string>()->value_name("N"), "how many fire times to print (default 5, at most 10000)")
      ("from", po::value<std::string>()->value_name("TIME"),
       "start after TIME, ISO 8601 with an offset or Z (default now)")
      ("tz", po::value<std::string>()->value_name("ZONE"),
       "match the spec in this IANA time zone and print its offsets (default: the host's local zone)");
  return options;
}

po::options_description list_options() {
  po::options_description options;
  options.add_options()("settings", "list each plugin's settings (key, type, default, help) instead of its jobs");
  return options;
}

po::options_description options_in(OptionGroup group) {
  switch (group) {
    case OptionGroup::config_file: return config_file_option();
    case OptionGroup::state_dir: return state_dir_option();
    case OptionGroup::loading: return loading_options();
    case OptionGroup::schedules: return schedule_options();
    case OptionGroup::chains: return chain_option();
    case OptionGroup::daemon: return daemon_options();
    case OptionGroup::logging: return logging_options();
    case OptionGroup::next: return next_options();
    case OptionGroup::list: return list_options();
  }
  throw std::logic_error("unknown option group");
}

// The options `command` takes, as one list in the order of its groups: what
// its help shows and its parser accepts.
po::options_description options_of(const Command& command) {
  po::options_description options("Options");
  for (const OptionGroup group : command.option_groups) {
    const po::options_description group_options = options_in(group);
    for (const auto& option : group_options.options()) options.add(option);
  }
  return options;
}

std::pair<std::string, std::string> split_pair(const std::string& text, const std::string& option,
                                               const std::string& form) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError("--" + option + ": expected " + form + ", got \"" + text + "\"");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

void check_job_name(const std::string& job, const std::string& option) {
  const auto dot = job.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == job.size() || job.find('.', dot + 1) != std::string::npos) {
    throw ConfigError("--" + option + ": \"" + job + "\" is not a job name (expected PLUGIN.JOB)");
  }
}

// Turns one host option into configuration keys.
void apply_host_option(const std::string& option, const std::string& value, config::Config& cli) {
  if (option == "plugin-dir" || option == "optional-plugin-dir") {
    cli.add(option, value);
  } else if (option == "set") {
    auto [key, setting] = split_pair(value, option, "KEY=VALUE");
    config::check_key(key, "--set");
    if (config::is_multi_valued(key)) {
      cli.add(key, setting);
    } else {
      cli.set(key, setting);
    }
  } else if (option == "schedule") {
    auto [job, spec] = split_pair(value, option, "JOB=SPEC");
    check_job_name(job, option);
    cli.set("job." + job + ".schedule", spec);
  } else if (option == "disable") {
    check_job_name(value, option);
    cli.set("job." + value + ".enabled", "false");
  } else if (option == "chain") {
    auto [name, url] = split_pair(value, option, "NAME=URL");
    config::check_key("chain." + name + ".url", "--chain");
    cli.set("chain." + name + ".url", url);
  } else if (option == "clients-eager" || option == "insecure-plugins") {
    cli.set(option, "true");
  } else if (option == "sdk-log-file") {
    cli.set("log.sdk-file", value);
  } else if (option == "log-level") {
    if (value.find('=') == std::string::npos) {
      cli.set("log.level", value);
    } else {
      auto [name, level] = split_pair(value, option, "LEVEL or NAME=LEVEL");
      cli.set("log.level." + name, level);
    }
  } else if (option.starts_with("log-")) {
    cli.set("log." + option.substr(4), value);
  } else {
    cli.set(option, value);
  }
}

std::string describe(const po::options_description& options) {
  std::ostringstream out;
  out << options;
  return out.str();
}

}  // namespace

std::string help_text(const std::string& command) {
  std::ostringstream out;
  const Command* spec = find_command(command);
  if (spec == nullptr) {
    out << "jobhost — runs monitor-job plugins on cron schedules\n\n"
        << "Usage: jobhost COMMAND [options]\n       jobhost --version | --help\n\nCommands:\n";
    for (const Command& each : commands()) {
      out << "  " << each.name << std::string(10 - each.name.size(), ' ') << each.summary << "\n";
    }
    out << "\nRun 'jobhost help COMMAND' for a command's options.\n";
    return out.str();
  }
  out << "Usage: " << spec->usage << "\n\n" << spec->summary << "\n\n";
  const po::options_description options = options_of(*spec);
  if (!options.options().empty()) out << describe(options);
  if (options.find_nothrow("plugin-dir", false) != nullptr) {
    // Below the table, which would break a long path across lines.
    out << "\nDefault plugin-dir (the installation's): " << jobs::default_plugin_dir().string() << "\n";
  }
  return out.str();
}

Invocation parse_command_line(const std::vector<std::string>& args) {
  Invocation invocation;
  if (args.empty()) throw ConfigError("no command given (expected one of " + command_names() + "; see jobhost --help)");
  const std::string& first = args.front();
  if (first == "--version") {
    invocation.command = "version";
    return invocation;
  }
  if (first == "--help" || first == "-h") {
    invocation.command = "help";
    return invocation;
  }
  const Command* found = find_command(first);
  if (found == nullptr) {
    throw ConfigError("unknown command \"" + first + "\" (expected one of " + command_names() + ")");
  }
  invocation.command = first;
  const Command& spec = *found;

  po::options_description options;
  options.add_options()("help,h", "show this command's help");
  options.add(options_of(spec));
  options.add_options()("operand", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("operand", -1);

  const std::string context = "jobhost " + invocation.command;
  po::parsed_options parsed(nullptr);
  try {
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    parsed = po::command_line_parser(rest).options(options).positional(positional).run();
  } catch (const po::error& e) {
    throw ConfigError(context + ": " + e.what() + " (see 'jobhost help " + invocation.command + "')");
  }

  config::Config& cli = invocation.command_line;
  for (const auto& option : parsed.options) {
    const std::string& key = option.string_key;
    const std::string value = option.value.empty() ? "" : option.value.front();
    if (key == "help") {
      invocation.help_topic = invocation.command;
      invocation.command = "help";
      return invocation;
    } else if (key == "operand") {
      invocation.operands.push_back(value);
    } else if (key == "config") {
      invocation.config_file = value;
    } else if (key == "count") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), invocation.count);
      if (ec != std::errc() || end != value.data() + value.size() || invocation.count < 1 ||
          invocation.count > 10000) {
        throw ConfigError("--count: \"" + value + "\" is not a whole number from 1 to 10000");
      }
    } else if (key == "from") {
      invocation.from = value;
    } else if (key == "settings") {
      invocation.list_settings = true;
    } else {
      apply_host_option(key, value, cli);
    }
  }

  const std::size_t wanted = spec.operand.empty() ? 0 : 1;
  const bool optional_operand = invocation.command == "help";
  if (invocation.operands.size() > wanted || (!optional_operand && invocation.operands.size() < wanted)) {
    std::string expected = wanted ? "exactly one " + spec.operand : "no operands";
    if (invocation.command == "next") expected += " (quote it: jobhost next '*/5 * * * *')";
    throw ConfigError(context + ": expected " + expected + ", got " + std::to_string(invocation.operands.size()) +
                      " (see 'jobhost help " + invocation.command + "')");
  }
  if (invocation.command == "help") {
    invocation.help_topic = invocation.operands.empty() ? "" : invocation.operands.front();
    if (!invocation.help_topic.empty() && find_command(invocation.help_topic) == nullptr) {
      throw ConfigError("jobhost help: unknown command \"" + invocation.help_topic + "\"");
    }
  }

  invocation.config = reread_config(invocation);
  return invocation;
}

config::Config reread_config(const Invocation& invocation) {
  config::Config config;
  if (invocation.config_file) config = config::read_config_file(*invocation.config_file);
  config.overlay(invocation.command_line);
  return config;
}

}  // namespace jobhost::cli
