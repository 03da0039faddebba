#include "state/state_store.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace jobhost::state {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::TempDir;

sys_seconds at(long long since_epoch) { return sys_seconds(seconds(since_epoch)); }

std::string error_of(const std::filesystem::path& file) {
  try {
    StateStore store(file);
  } catch (const StateError& e) {
    return e.what();
  }
  return "no error";
}

TEST(StateStore, StartsEmptyAndRemembersAcrossReopening) {
  TempDir dir;
  {
    StateStore store(dir / "jobhost.db");
    const FireState empty = store.load();
    EXPECT_FALSE(empty.handed_out_through);
    EXPECT_TRUE(empty.last_fires.empty());
    const FireRecord first[] = {{"a.one", at(100)}, {"b.two", at(200)}};
    store.record(at(250), first);
    const FireRecord second[] = {{"a.one", at(160)}};
    store.record(at(300), second);
    store.record(at(301), {});
  }
  StateStore reopened(dir / "jobhost.db");
  const FireState state = reopened.load();
  EXPECT_EQ(state.handed_out_through, at(301));
  ASSERT_EQ(state.last_fires.size(), 2u);
  EXPECT_EQ(state.last_fires.at("a.one"), at(160));
  EXPECT_EQ(state.last_fires.at("b.two"), at(200));
}

TEST(StateStore, UsesWriteAheadLogging) {
  TempDir dir;
  StateStore store(dir / "jobhost.db");
  store.record(at(1), {});
  EXPECT_TRUE(std::filesystem::exists(dir / "jobhost.db-wal"));
}

TEST(StateStore, LeavesCheckpointsToItsOwner) {
  TempDir dir;
  StateStore store(dir / "jobhost.db");
  for (int i = 1; i <= 10; ++i) store.record(at(i), {});
  EXPECT_FALSE(store.checkpoint_if_due());
  // A page or more per record. SQLite alone would have copied the log at
  // 1000 pages and written it afresh from its start, so the file would not
  // have grown past 1000 pages.
  for (int i = 11; i <= 2 * StateStore::kCheckpointPages + 100; ++i) store.record(at(i), {});
  constexpr auto kLogPageBytes = 4096 + 24;
  EXPECT_GE(std::filesystem::file_size(dir / "jobhost.db-wal"),
            std::uintmax_t{kLogPageBytes} * 2 * StateStore::kCheckpointPages);

  EXPECT_TRUE(store.checkpoint_if_due());
  EXPECT_FALSE(store.checkpoint_if_due());
  // The log starts afresh: the next checkpoint is 1000 records away.
  store.record(at(5000), {});
  EXPECT_FALSE(store.checkpoint_if_due());
  EXPECT_EQ(store.load().handed_out_through, at(5000));
}

TEST(StateStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  testing::write_file(dir / "jobhost.db", std::string(4096, 'x'));
  EXPECT_NE(error_of(dir / "jobhost.db").find("state database " + (dir / "jobhost.db").string() + ": "),
            std::string::npos);
  EXPECT_NE(error_of(dir / "jobhost.db").find("not a database"), std::string::npos);
}

TEST(StateStore, RefusesAMissingDirectory) {
  TempDir dir;
  EXPECT_NE(error_of(dir / "missing" / "jobhost.db").find("cannot open"), std::string::npos);
}

TEST(StateStore, RecordsManyFiresInOneTransaction) {
  TempDir dir;
  StateStore store(dir / "jobhost.db");
  std::vector<std::string> names;
  for (int i = 0; i < 10000; ++i) names.push_back("p.job" + std::to_string(i));
  std::vector<FireRecord> fires;
  for (int i = 0; i < 10000; ++i) fires.push_back({names[i], at(i)});
  store.record(at(10000), fires);
  const auto stored = store.load().last_fires;
  ASSERT_EQ(stored.size(), 10000u);
  EXPECT_EQ(stored.at("p.job9999"), at(9999));
}

}  // namespace
}  // namespace jobhost::state
