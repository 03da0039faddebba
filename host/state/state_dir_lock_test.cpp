#include "state/state_dir_lock.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "support/temp_dir.hpp"

namespace jobhost::state {
namespace {

TEST(StateDirLock, OneHolderAtATimeUntilItGoes) {
  testing::TempDir dir;
  std::optional<StateDirLock> first(std::in_place, dir.path());
  try {
    StateDirLock second(dir.path());
    FAIL() << "locked twice";
  } catch (const StateError& e) {
    EXPECT_EQ(std::string(e.what()), "another jobhost daemon is running with this state directory (" +
                                         dir.path().string() + " is locked)");
  }
  first.reset();
  EXPECT_NO_THROW(StateDirLock again(dir.path()));
}

TEST(StateDirLock, AMissingDirectoryIsNamed) {
  testing::TempDir dir;
  try {
    StateDirLock lock(dir / "missing");
    FAIL() << "locked";
  } catch (const StateError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot lock the state directory " + (dir / "missing").string() + ": No such file or directory");
  }
}

}  // namespace
}  // namespace jobhost::state
