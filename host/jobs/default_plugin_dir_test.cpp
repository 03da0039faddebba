#include "jobs/default_plugin_dir.hpp"

#include <gtest/gtest.h>

namespace jobhost::jobs {
namespace {

TEST(InstalledPluginDir, FollowsTheExecutableToAnyPrefix) {
  EXPECT_EQ(installed_plugin_dir("/usr/local/bin/jobhost", "../lib/jobhost/plugins"),
            "/usr/local/lib/jobhost/plugins");
  EXPECT_EQ(installed_plugin_dir("/tmp/relocated/bin/jobhost", "../lib/jobhost/plugins"),
            "/tmp/relocated/lib/jobhost/plugins");
  EXPECT_EQ(installed_plugin_dir("/usr/bin/jobhost", "../lib/x86_64-linux-gnu/jobhost/plugins"),
            "/usr/lib/x86_64-linux-gnu/jobhost/plugins");
}

// An absolute LIBDIR or BINDIR is not moved by `cmake --install --prefix`.
TEST(InstalledPluginDir, KeepsAnAbsoluteDirectory) {
  EXPECT_EQ(installed_plugin_dir("/opt/jobhost/bin/jobhost", "/usr/lib/jobhost/plugins"), "/usr/lib/jobhost/plugins");
}

}  // namespace
}  // namespace jobhost::jobs
