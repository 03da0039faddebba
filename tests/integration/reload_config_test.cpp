// SIGHUP: the daemon reads its configuration again. Changed plugin and job
// settings take effect from the next fire (the plugin is reloaded); a
// configuration that is now invalid is refused and the old one kept;
// host-wide keys wait for a restart.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "support/count.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

class ReloadConfig : public ::testing::Test {
 protected:
  TempDir dir;
  std::filesystem::path config = dir / "jobhost.ini";
  std::filesystem::path log = dir / "jobhost.log";
  std::unique_ptr<BackgroundProcess> daemon;

  void start(const std::string& ini) {
    std::filesystem::create_directory(dir / "plugins");
    copy_fixture("good", dir / "plugins");
    write_file(config, ini);
    daemon = std::make_unique<BackgroundProcess>(
        JOBHOST_TEST_BINARY,
        std::vector<std::string>{"run", "--config", config.string(), "--plugin-dir", (dir / "plugins").string(),
                                 "--state-dir", (dir / "state").string(), "--log-file", log.string()},
        dir / "out", dir / "err");
  }

  void reload(const std::string& ini) {
    write_file(config, ini);
    daemon->signal(SIGHUP);
  }

  bool logged(const std::string& text, std::size_t times = 1) { return testing::log_holds(log, text, times); }
};

TEST_F(ReloadConfig, ChangedPluginSettingsTakeEffectFromTheNextFire) {
  start("[good]\nword = alpha\n");
  ASSERT_TRUE(logged("[good.tick] alpha!")) << read_file(log);
  reload("[good]\nword = beta\n[job.good.tick]\nsuffix = ?\n");
  ASSERT_TRUE(logged("configuration read again: 1 of 1 plugins have new settings: good")) << read_file(log);
  EXPECT_TRUE(logged("its settings changed; its plugin is unloaded")) << read_file(log);
  EXPECT_TRUE(logged("[good.tick] beta?")) << read_file(log);
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_for_exit(10s), 0) << read_file(log);
}

TEST_F(ReloadConfig, AnInvalidConfigurationIsRefusedAndTheOldOneKept) {
  start("[good]\nword = alpha\n");
  ASSERT_TRUE(logged("[good.tick] alpha!")) << read_file(log);
  reload("[good]\nword = beta\n[job.good.tick]\nschedule = 61 * * * * *\n");
  ASSERT_TRUE(logged("configuration not applied: job.good.tick.schedule")) << read_file(log);
  reload("[good]\nword = beta\nbogus line without equals\n");
  ASSERT_TRUE(logged("configuration not applied: ", 2)) << read_file(log);
  const std::size_t ticks = count(read_file(log), "[good.tick] alpha!");
  EXPECT_TRUE(logged("[good.tick] alpha!", ticks + 2)) << "the old configuration goes on\n" << read_file(log);
  EXPECT_EQ(read_file(log).find("beta"), std::string::npos) << read_file(log);
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_for_exit(10s), 0) << read_file(log);
}

TEST_F(ReloadConfig, HostWideKeysWaitForARestart) {
  start("workers = 4\n[good]\nword = alpha\n");
  ASSERT_TRUE(logged("started:")) << read_file(log);
  reload("workers = 2\n[good]\nword = alpha\n[isolation]\ngood = none\n");
  EXPECT_TRUE(logged("workers changed: it takes effect when jobhost restarts")) << read_file(log);
  EXPECT_TRUE(logged("isolation.good changed: it takes effect when jobhost restarts")) << read_file(log);
  EXPECT_TRUE(logged("configuration read again: 0 of 1 plugins have new settings")) << read_file(log);
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_for_exit(10s), 0) << read_file(log);
}

}  // namespace
}  // namespace jobhost
