#include "cli/command_line.hpp"
#include "cli/commands.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "jobhost/error.hpp"
#include "jobs/default_plugin_dir.hpp"

namespace jobhost::cli {
namespace {

// The message of the ConfigError that parsing `args` throws.
std::string error_of(const std::vector<std::string>& args) {
  try {
    parse_command_line(args);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

// The options `command`'s help lists: "plugin-dir" for "  --plugin-dir DIR  ...".
std::set<std::string> options_in_help(const std::string& command) {
  std::set<std::string> options;
  std::istringstream lines(help_text(command));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("  --")) options.insert(line.substr(4, line.find(' ', 4) - 4));
  }
  return options;
}

// Whether `command`'s parser takes --`option`: given it with some value, it
// does not fail for an unrecognised option (the value may be refused).
bool accepts(const Command& command, const std::string& option) {
  std::vector<std::string> args = {command.name};
  if (command.operand == "JOB") args.push_back("hello.greet");
  if (command.operand == "SPEC") args.push_back("@hourly");
  args.insert(args.end(), {"--" + option, "1"});
  try {
    parse_command_line(args);
  } catch (const ConfigError& e) {
    return std::string(e.what()).find("unrecognised option") == std::string::npos;
  }
  return true;
}

TEST(CommandLine, HostOptionsBecomeConfigurationKeys) {
  Invocation invocation = parse_command_line(
      {"run", "--plugin-dir", "/p1", "--plugin-dir=/p2", "--workers", "3", "--schedule", "hello.greet=*/5 * * * * *",
       "--disable", "hello.wave", "--set", "hello.greeting=hi=there", "--log-level", "debug", "--log-level",
       "hello.greet=trace", "--log-file", "/tmp/x.log", "--log-format", "json", "--log-max-size", "1M",
       "--log-max-files", "3", "--state-dir", "/s", "--shutdown-timeout", "5s", "--tz", "Europe/Paris"});
  const config::Config& config = invocation.config;
  EXPECT_EQ(invocation.command, "run");
  EXPECT_EQ(config.get_all("plugin-dir"), (std::vector<std::string>{"/p1", "/p2"}));
  EXPECT_EQ(config.get("workers"), "3");
  EXPECT_EQ(config.get("job.hello.greet.schedule"), "*/5 * * * * *");
  EXPECT_EQ(config.get("job.hello.wave.enabled"), "false");
  EXPECT_EQ(config.get("hello.greeting"), "hi=there");
  EXPECT_EQ(config.get("log.level"), "debug");
  EXPECT_EQ(config.get("log.level.hello.greet"), "trace");
  EXPECT_EQ(config.get("log.file"), "/tmp/x.log");
  EXPECT_EQ(config.get("log.format"), "json");
  EXPECT_EQ(config.get("log.max-size"), "1M");
  EXPECT_EQ(config.get("log.max-files"), "3");
  EXPECT_EQ(config.get("state-dir"), "/s");
  EXPECT_EQ(config.get("shutdown-timeout"), "5s");
  EXPECT_EQ(config.get("tz"), "Europe/Paris");
}

TEST(CommandLine, PluginSafetyOptionsBecomeConfigurationKeys) {
  const config::Config config =
      parse_command_line({"check", "--insecure-plugins", "--plugin-sha256", "/etc/pins.sha256"}).config;
  EXPECT_EQ(config.get("insecure-plugins"), "true");
  EXPECT_EQ(config.get("plugin-sha256"), "/etc/pins.sha256");
}

TEST(CommandLine, TheCommandLineBeatsTheConfigFile) {
  const auto file = std::filesystem::temp_directory_path() / ("jobhost-cli-test-" + std::to_string(::getpid()));
  std::ofstream(file) << "workers = 2\nstate-dir = /from-file\n[hello]\ngreeting = file\n";
  Invocation invocation = parse_command_line({"check", "--config", file.string(), "--workers", "5"});
  std::filesystem::remove(file);
  EXPECT_EQ(invocation.config.get("workers"), "5");
  EXPECT_EQ(invocation.config.get("state-dir"), "/from-file");
  EXPECT_EQ(invocation.config.get("hello.greeting"), "file");
}

TEST(CommandLine, LaterOptionsWin) {
  Invocation invocation = parse_command_line({"check", "--workers", "2", "--set", "workers=7"});
  EXPECT_EQ(invocation.config.get("workers"), "7");
}

TEST(CommandLine, NextTakesASpecCountAndFrom) {
  Invocation invocation = parse_command_line({"next", "0 9 * * *", "--count", "3", "--from", "2026-03-09T00:00:00Z"});
  EXPECT_EQ(invocation.command, "next");
  EXPECT_EQ(invocation.operands, (std::vector<std::string>{"0 9 * * *"}));
  EXPECT_EQ(invocation.count, 3);
  EXPECT_EQ(invocation.from, "2026-03-09T00:00:00Z");
  EXPECT_FALSE(invocation.config.get("tz"));
}

TEST(CommandLine, NextTakesATimeZone) {
  Invocation invocation = parse_command_line({"next", "0 9 * * *", "--tz", "Asia/Tokyo"});
  EXPECT_EQ(invocation.config.get("tz"), "Asia/Tokyo");
  EXPECT_NE(error_of({"next", "0 9 * * *", "--tz"}).find("tz"), std::string::npos);
  EXPECT_NE(help_text("next").find("--tz ZONE"), std::string::npos);
  EXPECT_NE(help_text("run").find("--tz ZONE"), std::string::npos);
}

TEST(CommandLine, HelpAndVersion) {
  EXPECT_EQ(parse_command_line({"--version"}).command, "version");
  EXPECT_EQ(parse_command_line({"--help"}).command, "help");
  Invocation help = parse_command_line({"help", "run"});
  EXPECT_EQ(help.command, "help");
  EXPECT_EQ(help.help_topic, "run");
  Invocation flag = parse_command_line({"run", "--help"});
  EXPECT_EQ(flag.command, "help");
  EXPECT_EQ(flag.help_topic, "run");
  EXPECT_NE(help_text("run").find("--plugin-dir"), std::string::npos);
  EXPECT_NE(help_text("run").find("\nDefault plugin-dir (the installation's): " + jobs::default_plugin_dir().string() +
                                  "\n"),
            std::string::npos);
  EXPECT_NE(help_text("next").find("--count"), std::string::npos);
  EXPECT_NE(help_text("").find("run-job"), std::string::npos);
}

TEST(CommandLine, ErrorsNameTheOptionAndWhatWasExpected) {
  EXPECT_NE(error_of({}).find("no command given"), std::string::npos);
  EXPECT_NE(error_of({"launch"}).find("unknown command \"launch\""), std::string::npos);
  EXPECT_NE(error_of({"run", "--frobnicate"}).find("--frobnicate"), std::string::npos);
  EXPECT_NE(error_of({"run", "--workers"}).find("--workers"), std::string::npos);
  EXPECT_NE(error_of({"run", "--set", "novalue"}).find("--set: expected KEY=VALUE"), std::string::npos);
  EXPECT_NE(error_of({"run", "--set", "wrkers=2"}).find("unknown key \"wrkers\""), std::string::npos);
  EXPECT_NE(error_of({"run", "--schedule", "greet=@hourly"}).find("--schedule: \"greet\" is not a job name"),
            std::string::npos);
  EXPECT_NE(error_of({"run", "--disable", "a.b.c"}).find("--disable"), std::string::npos);
  EXPECT_NE(error_of({"run", "extra"}).find("expected no operands"), std::string::npos);
  EXPECT_NE(error_of({"next"}).find("expected exactly one SPEC"), std::string::npos);
  EXPECT_NE(error_of({"next", "*/5", "*", "*"}).find("quote it"), std::string::npos);
  EXPECT_NE(error_of({"next", "@hourly", "--count", "0"}).find("--count"), std::string::npos);
  EXPECT_NE(error_of({"next", "@hourly", "--count", "3x"}).find("--count"), std::string::npos);
  EXPECT_NE(error_of({"next", "@hourly", "--workers", "3"}).find("--workers"), std::string::npos);
  EXPECT_NE(error_of({"run-job"}).find("expected exactly one JOB"), std::string::npos);
  EXPECT_NE(error_of({"help", "nope"}).find("unknown command \"nope\""), std::string::npos);
  EXPECT_NE(error_of({"run", "--config", "/nonexistent.ini"}).find("/nonexistent.ini"), std::string::npos);
}

// The parser, --help and the errors read one table: every command is named
// wherever the commands are listed.
TEST(CommandLine, EveryCommandIsListedInHelpAndInErrors) {
  const std::string help = help_text("");
  const std::string unknown = error_of({"launch"});
  const std::string none = error_of({});
  for (const char* name : {"run", "list", "check", "next", "run-job", "status", "trigger", "pause", "resume", "help"}) {
    ASSERT_NE(find_command(name), nullptr) << name;
    EXPECT_NE(help.find(std::string("  ") + name + " "), std::string::npos) << name;
    EXPECT_NE(unknown.find(name), std::string::npos) << name << " in: " << unknown;
    EXPECT_NE(none.find(name), std::string::npos) << name << " in: " << none;
    EXPECT_NO_THROW(help_text(name)) << name;
  }
  EXPECT_EQ(commands().size(), 10u);
}

TEST(CommandLine, ControlCommandsTakeOnlyTheStateDirAndTheConfigFile) {
  const std::string help = help_text("status");
  EXPECT_NE(help.find("--state-dir DIR"), std::string::npos) << help;
  EXPECT_NE(help.find("--config FILE"), std::string::npos) << help;
  EXPECT_EQ(help.find("plugin-dir"), std::string::npos) << help;
  for (const char* name : {"status", "trigger", "pause", "resume"}) {
    EXPECT_EQ(options_in_help(name), (std::set<std::string>{"config", "state-dir"})) << name;
  }
  EXPECT_EQ(parse_command_line({"status", "--state-dir", "/s"}).config.get("state-dir"), "/s");

  const std::string refused = error_of({"status", "--plugin-dir", "x"});
  EXPECT_NE(refused.find("--plugin-dir"), std::string::npos) << refused;
  EXPECT_NE(refused.find("jobhost help status"), std::string::npos) << refused;
  const std::string set = error_of({"pause", "hello.greet", "--set", "state-dir=/s"});
  EXPECT_NE(set.find("--set"), std::string::npos) << set;
  EXPECT_NE(set.find("jobhost help pause"), std::string::npos) << set;
}

TEST(CommandLine, EachCommandTakesOnlyTheOptionsItUses) {
  EXPECT_EQ(options_in_help("check"), options_in_help("run")) << "check validates all that run reads";
  const std::set<std::string> list = options_in_help("list");
  EXPECT_TRUE(list.contains("chain")) << "list warns of jobs whose chain is not configured";
  for (const char* option : {"state-dir", "workers", "clients-eager", "shutdown-timeout", "drain-timeout", "http"}) {
    EXPECT_FALSE(list.contains(option)) << option;
  }
  const std::set<std::string> run_job = options_in_help("run-job");
  for (const char* option :
       {"schedule", "disable", "tz", "workers", "clients-eager", "shutdown-timeout", "drain-timeout", "http"}) {
    EXPECT_FALSE(run_job.contains(option)) << option;
  }
  EXPECT_EQ(options_in_help("next"), (std::set<std::string>{"count", "from", "tz"}));
  EXPECT_TRUE(options_in_help("help").empty());

  const std::string http = error_of({"list", "--http", "9100"});
  EXPECT_NE(http.find("--http"), std::string::npos) << http;
  EXPECT_NE(http.find("jobhost help list"), std::string::npos) << http;
  const std::string tz = error_of({"run-job", "hello.greet", "--tz", "UTC"});
  EXPECT_NE(tz.find("--tz"), std::string::npos) << tz;
  EXPECT_NE(tz.find("jobhost help run-job"), std::string::npos) << tz;
}

// One table feeds both: an option is in a command's help exactly when its
// parser takes it.
TEST(CommandLine, EveryCommandsHelpAndParserAgree) {
  std::set<std::string> every_option;
  for (const Command& command : commands()) every_option.merge(options_in_help(command.name));
  EXPECT_TRUE(every_option.contains("plugin-dir") && every_option.contains("count")) << every_option.size();
  for (const Command& command : commands()) {
    const std::set<std::string> listed = options_in_help(command.name);
    for (const std::string& option : every_option) {
      EXPECT_EQ(accepts(command, option), listed.contains(option)) << command.name << " --" << option;
    }
  }
}

}  // namespace
}  // namespace jobhost::cli
