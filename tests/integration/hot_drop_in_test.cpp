// Hot drop-in: plugin files dropped into, replaced in and removed from the
// plugin directory of a running daemon are loaded, swapped and unloaded
// without a restart, and a broken one is logged while the others go on.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "support/count.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

// The way operators should drop a file in: written beside it under a name
// the host ignores, then renamed into place in one step.
void drop_in(const std::string& fixture, const std::filesystem::path& dir, const std::string& as) {
  copy_fixture(fixture, dir, ".incoming.tmp");
  std::filesystem::rename(dir / ".incoming.tmp", dir / as);
}

class HotDropIn : public ::testing::Test {
 protected:
  TempDir dir;
  std::filesystem::path plugins = dir / "plugins";
  std::filesystem::path log = dir / "jobhost.log";
  std::unique_ptr<BackgroundProcess> daemon;

  void SetUp() override {
    std::filesystem::create_directory(plugins);
    std::filesystem::permissions(plugins, std::filesystem::perms(0755));
  }

  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", "--plugin-dir", plugins.string(), "--state-dir", (dir / "state").string(),
                                     "--log-file", log.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon = std::make_unique<BackgroundProcess>(JOBHOST_TEST_BINARY, args, dir / "out", dir / "err");
    ASSERT_TRUE(logged("started:")) << read_file(log) << read_file(dir / "err");
  }

  bool logged(const std::string& text, std::size_t times = 1) { return testing::log_holds(log, text, times); }

  int stop() {
    daemon->signal(SIGTERM);
    return daemon->wait_for_exit(15s);
  }
};

TEST_F(HotDropIn, AnOptionalPluginDirectoryThatAppearsLaterHasItsPluginsLoaded) {
  const auto later = dir / "later";
  start({"--optional-plugin-dir", later.string()});
  std::filesystem::create_directory(later);
  std::filesystem::permissions(later, std::filesystem::perms(0755));
  drop_in("good", later, "good.so");
  ASSERT_TRUE(logged((later / "good.so").string() + ": loaded, 1 jobs scheduled")) << read_file(log);
  ASSERT_TRUE(logged("[good.tick] tick!")) << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(HotDropIn, LoadsReplacesAndUnloadsPluginsWithoutARestart) {
  start();
  const std::string file = (plugins / "watched.so").string();

  drop_in("good", plugins, "watched.so");
  ASSERT_TRUE(logged(file + ": loaded, 1 jobs scheduled")) << read_file(log);
  ASSERT_TRUE(logged("[good.tick] tick!")) << read_file(log);

  // Replaced by another plugin: the old one is drained and unloaded first.
  drop_in("slow", plugins, "watched.so");
  ASSERT_TRUE(logged(file + ": replaced; its plugin is unloaded")) << read_file(log);
  ASSERT_TRUE(logged(file + ": loaded, 2 jobs scheduled")) << read_file(log);
  ASSERT_TRUE(logged("[slow.wait] waiting for stop")) << read_file(log);
  const std::size_t ticks = count(read_file(log), "[good.tick] tick!");

  // Removed while slow.wait runs: it is asked to stop, and honours it.
  std::filesystem::remove(plugins / "watched.so");
  ASSERT_TRUE(logged(file + ": removed; its plugin is unloaded")) << read_file(log);
  EXPECT_TRUE(logged("[slow.wait] stop honoured")) << read_file(log);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(count(read_file(log), "[good.tick] tick!"), ticks) << "the old plugin fired after it was replaced";
  EXPECT_EQ(read_file(log).find("[slow.wait] waiting for stop", read_file(log).find(": removed;")),
            std::string::npos)
      << "slow.wait fired after it was removed\n"
      << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

// A bad deploy never takes a healthy monitor down: the new content is
// checked before the old plugin is drained, and refused, the old one goes on.
TEST_F(HotDropIn, AWorkingPluginReplacedByABrokenFileKeepsRunning) {
  start();
  const std::string file = (plugins / "watched.so").string();
  drop_in("good", plugins, "watched.so");
  ASSERT_TRUE(logged(file + ": loaded, 1 jobs scheduled")) << read_file(log);
  ASSERT_TRUE(logged("[good.tick] tick!")) << read_file(log);

  drop_in("abi_mismatch", plugins, "watched.so");
  ASSERT_TRUE(logged(file + ": replaced by a file that is not loaded: ")) << read_file(log);
  EXPECT_TRUE(logged("; the plugin loaded from it before keeps running")) << read_file(log);
  const std::size_t ticks = count(read_file(log), "[good.tick] tick!");
  EXPECT_TRUE(logged("[good.tick] tick!", ticks + 2)) << read_file(log);
  EXPECT_EQ(count(read_file(log), ": replaced; its plugin is unloaded"), 0u) << read_file(log);
  const auto status = run_process(JOBHOST_TEST_BINARY, {"status", "--state-dir", (dir / "state").string()});
  EXPECT_NE(status.out.find("good: its file was replaced by one that is not loaded ("), std::string::npos)
      << status.out << status.err;

  // A good file after it replaces the plugin as usual.
  drop_in("slow", plugins, "watched.so");
  ASSERT_TRUE(logged(file + ": replaced; its plugin is unloaded")) << read_file(log);
  ASSERT_TRUE(logged(file + ": loaded, 2 jobs scheduled")) << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

// In a worker process the new content is loaded before the old plugin goes:
// one whose configure() throws is refused, and the old one goes on.
TEST_F(HotDropIn, AReplacementThatFailsToConfigureInItsWorkerLeavesTheOldPluginRunning) {
  start();
  const std::string file = (plugins / "watched.so").string();
  drop_in("good", plugins, "watched.so");
  ASSERT_TRUE(logged("[good.tick] tick!")) << read_file(log);
  drop_in("throws_in_configure", plugins, "watched.so");
  ASSERT_TRUE(logged(file + ": replaced by a file that is not loaded: ")) << read_file(log);
  const std::size_t ticks = count(read_file(log), "[good.tick] tick!");
  EXPECT_TRUE(logged("[good.tick] tick!", ticks + 2)) << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(HotDropIn, ABrokenFileIsLoggedAndTheOthersGoOn) {
  copy_fixture("good", plugins);
  start();
  testing::write_file(plugins / ".junk.tmp", "not a plugin");
  std::filesystem::rename(plugins / ".junk.tmp", plugins / "junk.so");
  ASSERT_TRUE(logged((plugins / "junk.so").string())) << read_file(log);
  const std::size_t ticks = count(read_file(log), "[good.tick] tick!");
  EXPECT_TRUE(logged("[good.tick] tick!", ticks + 2)) << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(HotDropIn, ASecondFileWithATakenPluginNameIsRefused) {
  copy_fixture("good", plugins);
  start();
  drop_in("good", plugins, "again.so");
  EXPECT_TRUE(logged((plugins / "again.so").string() + ": not loaded: plugin name \"good\" is already used by " +
                     (plugins / "good.so").string()))
      << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(HotDropIn, SighupRescansThePluginDirectories) {
  start({"--set", "watch-plugins=true"});
  daemon->signal(SIGHUP);
  EXPECT_TRUE(logged("received SIGHUP: reading the configuration again and rescanning the plugin directories"))
      << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(HotDropIn, WatchPluginsOffLeavesTheDirectoryAlone) {
  start({"--set", "watch-plugins=false"});
  drop_in("good", plugins, "good.so");
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(read_file(log).find("loaded,"), std::string::npos) << read_file(log);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

}  // namespace
}  // namespace jobhost
