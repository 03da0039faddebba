#include "loader/plugin_dir_watcher.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::loader {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::TempDir;
using testing::write_file;
using Paths = std::vector<std::filesystem::path>;

}  // namespace

static void PrintTo(const PluginDirChanges& changes, std::ostream* out) { *out << describe(changes); }

namespace {

constexpr PluginDirWatcherOptions kQuick{100ms, 1h};

class PluginDirWatcherTest : public ::testing::Test {
 protected:
  TempDir root;
  std::filesystem::path plugins = root / "plugins";
  std::ostringstream log_text;  // read only once the watcher is gone
  std::shared_ptr<spdlog::logger> log =
      std::make_shared<spdlog::logger>("plugins", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
  std::mutex mutex;
  std::vector<PluginDirChanges> reports;  // guarded by mutex
  std::function<void()> on_report;        // called in the callback, before recording

  void SetUp() override { std::filesystem::create_directory(plugins); }

  std::unique_ptr<PluginDirWatcher> watch(PluginDirWatcherOptions options = kQuick, Paths directories = {}) {
    if (directories.empty()) directories = {plugins};
    const auto baseline = snapshot_plugin_dirs(directories);
    return std::make_unique<PluginDirWatcher>(
        directories, baseline,
        [this](const PluginDirChanges& changes) {
          if (on_report) on_report();
          std::lock_guard lock(mutex);
          reports.push_back(changes);
        },
        log, options);
  }

  std::vector<PluginDirChanges> reported() {
    std::lock_guard lock(mutex);
    return reports;
  }

  bool reports_reach(std::size_t count) {
    return eventually([&] { return reported().size() >= count; });
  }

  // Lets a few quiet periods pass, to show that no further report comes.
  static void settle(PluginDirWatcherOptions options = kQuick) { std::this_thread::sleep_for(options.debounce * 4); }
};

TEST_F(PluginDirWatcherTest, RenamingAFileIntoTheDirectoryIsOneAdded) {
  auto watcher = watch();
  write_file(root / "x.so", "x");
  std::filesystem::rename(root / "x.so", plugins / "x.so");

  ASSERT_TRUE(reports_reach(1));
  settle();
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{plugins / "x.so"}, {}, {}}}));
}

// Renamed into place, a file is complete: it is reported once the directory
// settled, without waiting for the debounce of writes; a plugin file written
// in place waits for it.
TEST_F(PluginDirWatcherTest, ARenameWaitsForTheSettleTimeAndAWriteForTheDebounce) {
  const PluginDirWatcherOptions options{1h, 1h, 50ms};
  write_file(plugins / "y.so", "old");
  auto watcher = watch(options);
  write_file(plugins / ".x.tmp", "x");
  std::filesystem::rename(plugins / ".x.tmp", plugins / "x.so");
  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{plugins / "x.so"}, {}, {}}}));

  write_file(plugins / "y.so", "new, written in place");
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(reported().size(), 1u) << "a write in place must wait for the debounce";
}

TEST_F(PluginDirWatcherTest, RenamingOverAFileIsOneChanged) {
  write_file(plugins / "x.so", "old");
  auto watcher = watch();
  write_file(root / "x.so", "new");
  std::filesystem::rename(root / "x.so", plugins / "x.so");

  ASSERT_TRUE(reports_reach(1));
  settle();
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{}, {plugins / "x.so"}, {}}}));
}

TEST_F(PluginDirWatcherTest, RemovingAFileIsRemoved) {
  write_file(plugins / "x.so", "x");
  write_file(plugins / "y.so", "y");
  auto watcher = watch();
  std::filesystem::remove(plugins / "x.so");

  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{}, {}, {plugins / "x.so"}}}));
}

// A copy in twelve writes, 50 ms apart: together longer than kSlowCopy's
// quiet period, each gap far inside it, even on a loaded machine that
// oversleeps by a few hundred milliseconds.
constexpr PluginDirWatcherOptions kSlowCopy{500ms, 1h};
void slow_copy(std::ofstream& out) {
  for (int part = 0; part < 12; ++part) {
    out << std::string(1000, 'x') << std::flush;
    std::this_thread::sleep_for(50ms);
  }
}

TEST_F(PluginDirWatcherTest, CopyingInPlaceInSeveralWritesIsOneChangedOnceTheWritesStop) {
  write_file(plugins / "x.so", "old");
  auto watcher = watch(kSlowCopy);
  {
    std::ofstream out(plugins / "x.so", std::ios::binary | std::ios::trunc);
    slow_copy(out);
  }
  {
    std::ofstream out(plugins / "x.so", std::ios::binary | std::ios::app);
    slow_copy(out);
  }

  ASSERT_TRUE(reports_reach(1));
  settle(kSlowCopy);
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{}, {plugins / "x.so"}, {}}}));
}

TEST_F(PluginDirWatcherTest, ASlowCopyOfANewFileIsOneAddedOnceTheWritesStop) {
  auto watcher = watch(kSlowCopy);
  {
    std::ofstream out(plugins / "x.so", std::ios::binary);
    slow_copy(out);
  }

  ASSERT_TRUE(reports_reach(1));
  settle(kSlowCopy);
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{plugins / "x.so"}, {}, {}}}));
}

TEST_F(PluginDirWatcherTest, ATemporaryCopyRenamedIntoPlaceIsOneEvent) {
  write_file(root / "x.so", "x");
  auto watcher = watch();
  std::filesystem::copy_file(root / "x.so", plugins / ".x.tmp");
  std::filesystem::rename(plugins / ".x.tmp", plugins / "x.so");

  ASSERT_TRUE(reports_reach(1));
  settle();
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{plugins / "x.so"}, {}, {}}}));
}

TEST_F(PluginDirWatcherTest, DotfilesTemporaryFilesAndOtherNamesAreIgnored) {
  auto watcher = watch();
  write_file(plugins / ".hidden.so", "x");
  write_file(plugins / "x.so.tmp", "x");
  write_file(plugins / "notes.txt", "x");
  settle();
  EXPECT_TRUE(reported().empty());

  write_file(plugins / "y.so", "y");
  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{plugins / "y.so"}, {}, {}}}));
}

TEST_F(PluginDirWatcherTest, ABurstOfFiftyFilesIsOneReport) {
  const PluginDirWatcherOptions options{200ms, 1h};
  auto watcher = watch(options);
  Paths added;
  for (int i = 0; i < 50; ++i) {
    const std::string name = "p" + std::to_string(100 + i) + ".so";
    write_file(plugins / name, name);
    added.push_back(plugins / name);
  }

  ASSERT_TRUE(reports_reach(1));
  settle(options);
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{added, {}, {}}}));
}

TEST_F(PluginDirWatcherTest, ADirectoryMadeAfterStartIsFoundByThePeriodicRescan) {
  const auto later = root / "later";
  auto watcher = watch({1h, 200ms}, {later});  // no event-driven check before the rescan
  std::filesystem::create_directory(later);
  write_file(later / "x.so", "x");

  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported().at(0), (PluginDirChanges{{later / "x.so"}, {}, {}}));
  watcher.reset();
  EXPECT_NE(log_text.str().find("plugin directory " + later.string() + " is back"), std::string::npos);
}

// rescan() is what an IN_Q_OVERFLOW does. Quiet period and rescan interval are
// an hour, so only rescan() can report anything.
TEST_F(PluginDirWatcherTest, RescanFindsChangesNoEventAnnounced) {
  std::filesystem::create_directory(root / "lib");
  write_file(root / "lib" / "x.so", "one");
  std::filesystem::create_symlink(root / "lib" / "x.so", plugins / "x.so");
  auto watcher = watch({1h, 1h});
  write_file(root / "lib" / "x.so", "two, longer");  // outside the watched directory

  watcher->rescan();
  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{}, {plugins / "x.so"}, {}}}));
}

TEST_F(PluginDirWatcherTest, ADirectoryMovedAwayAndBackIsWatchedAgain) {
  write_file(plugins / "x.so", "x");
  auto watcher = watch();
  std::filesystem::rename(plugins, root / "old");
  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported().at(0), (PluginDirChanges{{}, {}, {plugins / "x.so"}}));

  // Comes back, unannounced: nothing watches the parent.
  std::filesystem::create_directory(root / "staging");
  write_file(root / "staging" / "a.so", "a");
  std::filesystem::rename(root / "staging", plugins);
  watcher->rescan();
  ASSERT_TRUE(reports_reach(2));
  EXPECT_EQ(reported().at(1), (PluginDirChanges{{plugins / "a.so"}, {}, {}}));

  // The periodic rescan is an hour away: only the new watch can see this.
  write_file(plugins / "b.so", "b");
  ASSERT_TRUE(reports_reach(3));
  EXPECT_EQ(reported().at(2), (PluginDirChanges{{plugins / "b.so"}, {}, {}}));
}

TEST_F(PluginDirWatcherTest, DeletingTheDirectoryRemovesItsPlugins) {
  write_file(plugins / "x.so", "x");
  auto watcher = watch();
  std::filesystem::remove_all(plugins);

  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported().at(0), (PluginDirChanges{{}, {}, {plugins / "x.so"}}));
  watcher.reset();
  EXPECT_NE(log_text.str().find("plugin directory " + plugins.string() + " is gone"), std::string::npos);
}

TEST_F(PluginDirWatcherTest, StopWhileAChangeIsPendingReturnsWithoutWaitingForQuiet) {
  auto watcher = watch({1h, 1h});
  write_file(plugins / "x.so", "x");
  std::this_thread::sleep_for(20ms);  // let the event arrive

  const auto start = std::chrono::steady_clock::now();
  watcher->stop();
  // Far below the quiet period: stop did not wait for it.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);
  EXPECT_TRUE(reported().empty());
  watcher->stop();  // again: nothing left to do
}

TEST_F(PluginDirWatcherTest, NoReportStartsAfterStopReturns) {
  std::atomic<bool> stopped{false};
  std::atomic<bool> late{false};
  on_report = [&] {
    if (stopped) late = true;
  };
  auto watcher = watch({5ms, 10ms});
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 0; writing; ++i) {
      write_file(plugins / ("p" + std::to_string(i % 20) + ".so"), std::string(i % 7, 'x'));
      std::this_thread::sleep_for(1ms);
    }
  });
  ASSERT_TRUE(reports_reach(3));
  // From another thread than the one that made the watcher.
  std::thread([&] {
    watcher->stop();
    stopped = true;
  }).join();
  const auto count = reported().size();
  std::this_thread::sleep_for(100ms);
  writing = false;
  writer.join();
  EXPECT_FALSE(late);
  EXPECT_EQ(reported().size(), count);
}

TEST_F(PluginDirWatcherTest, AThrowingCallbackIsLoggedAndWatchingGoesOn) {
  std::atomic<bool> thrown{false};
  on_report = [&] {
    if (!thrown.exchange(true)) throw std::runtime_error("boom");
  };
  auto watcher = watch();
  write_file(plugins / "x.so", "x");
  ASSERT_TRUE(eventually([&] { return thrown.load(); }));
  write_file(plugins / "y.so", "y");

  ASSERT_TRUE(reports_reach(1));
  EXPECT_EQ(reported(), (std::vector{PluginDirChanges{{plugins / "y.so"}, {}, {}}}));
  watcher.reset();
  EXPECT_NE(log_text.str().find("handling a change of the plugin directories failed: boom"), std::string::npos);
}

TEST_F(PluginDirWatcherTest, RefusesABadQuietPeriodOrRescanInterval) {
  EXPECT_THROW(watch({-1ms, 1h}), std::invalid_argument);
  EXPECT_THROW(watch({1s, 0ms}), std::invalid_argument);
}

}  // namespace
}  // namespace jobhost::loader
