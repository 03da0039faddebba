#include "common/running_executable.hpp"

#include <gtest/gtest.h>

namespace jobhost {
namespace {

TEST(RunningExecutable, IsThisTestProgram) {
  const auto executable = running_executable();
  EXPECT_TRUE(executable.is_absolute()) << executable;
  EXPECT_EQ(executable.filename(), "jobhost_common_test");
}

}  // namespace
}  // namespace jobhost
