// The binary's plugin safety: refused files, --insecure-plugins, the
// --plugin-sha256 allow-list and the daemon's private copies. (A job that
// ignores its stop token at shutdown: plugin_fault_test.cpp.)
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

class PluginSafetyTest : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path plugins = dir / "plugins";
  std::string state = (dir / "state").string();

  void SetUp() override { fs::create_directories(plugins); }

  // What sha256sum prints for `name` in the plugin directory.
  std::string sha256sum(const std::string& name) {
    auto result = testing::run_process("/bin/sh", {"-c", "cd '" + plugins.string() + "' && sha256sum " + name});
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return result.out;
  }

  // Waits until `file` contains `text`; false after 10 s.
  static bool wait_for(const fs::path& file, const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (read_file(file).find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }
};

TEST_F(PluginSafetyTest, CheckRefusesAPluginOthersMayWriteAndLoadsTheRest) {
  copy_fixture("good", plugins);
  copy_fixture("slow", plugins);
  fs::permissions(plugins / "slow.so", fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_write);
  const auto check = run_jobhost({"check", "--plugin-dir", plugins.string()});
  EXPECT_EQ(check.exit_status, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("error: " + (plugins / "slow.so").string() +
                           ": the file is writable by group or others (mode 0602)\n"),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("1 plugins, 1 jobs, 1 problem"), std::string::npos) << check.out;
}

TEST_F(PluginSafetyTest, InsecurePluginsLoadsItWithAWarning) {
  copy_fixture("good", plugins);
  fs::permissions(plugins / "good.so", fs::perms::all);
  for (const std::vector<std::string>& option : {std::vector<std::string>{"--insecure-plugins"},
                                                 std::vector<std::string>{"--set", "insecure-plugins=true"}}) {
    std::vector<std::string> args = {"check", "--plugin-dir", plugins.string()};
    args.insert(args.end(), option.begin(), option.end());
    const auto check = run_jobhost(args);
    EXPECT_EQ(check.exit_status, 0) << check.out << check.err;
    EXPECT_NE(check.err.find("insecure-plugins is on"), std::string::npos) << check.err;
  }
}

TEST_F(PluginSafetyTest, AnAllowListPinsTheExactPlugins) {
  copy_fixture("good", plugins);
  write_file(dir / "pins.txt", sha256sum("good.so"));
  auto check = run_jobhost({"check", "--plugin-dir", plugins.string(), "--plugin-sha256", (dir / "pins.txt").string()});
  EXPECT_EQ(check.exit_status, 0) << check.out << check.err;

  copy_fixture("slow", plugins);
  copy_fixture("slow", plugins, "good.so.new");
  fs::rename(plugins / "good.so.new", plugins / "good.so");
  check = run_jobhost({"check", "--plugin-dir", plugins.string(), "--set", "plugin-sha256=" + (dir / "pins.txt").string()});
  EXPECT_EQ(check.exit_status, 1) << check.out << check.err;
  EXPECT_NE(check.out.find((plugins / "good.so").string() + ": SHA-256 "), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("does not match the allow-list " + (dir / "pins.txt").string() + " (expected "),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find((plugins / "slow.so").string() + ": not in the allow-list"), std::string::npos) << check.out;
}

TEST_F(PluginSafetyTest, AMalformedAllowListIsAConfigurationError) {
  copy_fixture("good", plugins);
  write_file(dir / "pins.txt", "# pins\n0123  good.so\n");
  const auto check =
      run_jobhost({"check", "--plugin-dir", plugins.string(), "--plugin-sha256", (dir / "pins.txt").string()});
  EXPECT_EQ(check.exit_status, 2);
  EXPECT_NE(check.err.find("plugin-sha256: " + (dir / "pins.txt").string() +
                           ":2: expected a line of 64 hex digits, two spaces and NAME.so"),
            std::string::npos)
      << check.err;
}

TEST_F(PluginSafetyTest, TheDaemonLoadsPrivateCopiesInItsStateDirectoryAndRemovesThem) {
  copy_fixture("good", plugins);
  const fs::path copies = fs::path(state) / "plugin-copies";
  fs::create_directories(copies);
  write_file(copies / "stale.so", "left by an earlier run");
  const auto log = dir / "jobhost.log";
  testing::BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                                    {"run", "--plugin-dir", plugins.string(), "--state-dir", state, "--log-file",
                                     log.string()},
                                    dir / "out", dir / "err");
  ASSERT_TRUE(wait_for(log, "started")) << read_file(log) << read_file(dir / "err");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(copies)) names.push_back(entry.path().filename().string());
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], sha256sum("good.so").substr(0, 64) + ".so");
  EXPECT_EQ(fs::status(copies).permissions(), fs::perms::owner_all);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(log);
  EXPECT_TRUE(fs::is_empty(copies)) << "removed after unloading";
}

}  // namespace
}  // namespace jobhost
