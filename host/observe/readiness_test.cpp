#include "observe/readiness.hpp"

#include <gtest/gtest.h>

namespace jobhost::observe {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// A machine with `free` bytes on the state disk and `resident` bytes in use,
// where only /plugins is a directory.
MachineReadings machine(std::uint64_t free, std::uint64_t resident, std::string disk_error = "") {
  return {[=](const std::filesystem::path&, std::string& error) {
            error = disk_error;
            return free;
          },
          [=] { return resident; }, [](const std::filesystem::path& dir) { return dir == "/plugins"; }};
}

HostSnapshot host() {
  HostSnapshot snapshot;
  snapshot.state_dir = "/state";
  snapshot.required_plugin_dirs = {"/plugins"};
  snapshot.ready_memory_max = 1024 * kMiB;
  return snapshot;
}

TEST(Readiness, AHealthyHostIsReady) { EXPECT_TRUE(readiness_problems(host(), machine(10 * 1024 * kMiB, 50 * kMiB)).empty()); }

TEST(Readiness, NamesEachDegradation) {
  HostSnapshot degraded = host();
  degraded.required_plugin_dirs.push_back("/gone");
  degraded.plugin_load_errors = 2;
  degraded.refused_replacements = {{"hello", "ABI mismatch: built against SDK 2.0"}};
  const auto problems = readiness_problems(degraded, machine(3 * kMiB, 1500 * kMiB));
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0], "plugin-dir /gone is not a directory any more");
  EXPECT_EQ(problems[1], "state directory /state has 3 MiB free (at least 64 MiB expected)");
  EXPECT_EQ(problems[2], "resident memory 1500 MiB is above ready-memory-max 1024 MiB");
  EXPECT_EQ(problems[3], "2 plugin file(s) could not be loaded at start-up (the log and `jobhost check` say why)");
  EXPECT_EQ(problems[4], "plugin hello: a new file for it was refused (ABI mismatch: built against SDK 2.0)");
}

TEST(Readiness, AStateDirectoryThatCannotBeCheckedIsAProblemAndNoLimitIsNoLimit) {
  HostSnapshot unlimited = host();
  unlimited.ready_memory_max = 0;
  const auto problems = readiness_problems(unlimited, machine(0, 1ull << 40, "No such file or directory"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "state directory /state: cannot tell its free space (No such file or directory)");
}

TEST(Readiness, ThisMachineIsRead) {
  const MachineReadings here = read_this_machine();
  std::string error;
  EXPECT_GT(here.free_bytes("/", error), 0u) << error;
  EXPECT_GT(here.resident_bytes(), 1024u * 1024) << "a test process uses more than 1 MiB";
  EXPECT_TRUE(here.is_directory("/"));
}

}  // namespace
}  // namespace jobhost::observe
