#include "loader/plugin_file_check.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/plugin_load_error.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::loader {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::write_file;

constexpr uid_t kNobody = 65534;

class PluginFileCheckTest : public ::testing::Test {
 protected:
  TempDir dir;
  PluginFileRules strict;
  PluginFileRules insecure{.strict = false};

  // The cause open_plugin_file() gives for `file` (fails the test when it opens).
  std::string refusal(const fs::path& file, const PluginFileRules& rules) {
    try {
      open_plugin_file(file, rules);
    } catch (const PluginLoadError& e) {
      return e.what();
    }
    ADD_FAILURE() << file << " was accepted";
    return "";
  }

  fs::path canonical_dir() const { return fs::canonical(dir.path()); }
};

TEST_F(PluginFileCheckTest, OpensAPrivateFile) {
  write_file(dir / "a.so", "bytes");
  PluginFile file = open_plugin_file(dir / "a.so", strict);
  EXPECT_GE(file.fd(), 0);
  EXPECT_EQ(file.resolved(), canonical_dir() / "a.so");
  char byte = 0;
  EXPECT_EQ(pread(file.fd(), &byte, 1, 0), 1);
  EXPECT_EQ(byte, 'b');
}

TEST_F(PluginFileCheckTest, RefusesAFileOthersMayWriteUnlessInsecure) {
  write_file(dir / "a.so", "bytes");
  fs::permissions(dir / "a.so", fs::perms::all);
  EXPECT_EQ(refusal(dir / "a.so", strict), "the file is writable by group or others (mode 0777)");
  fs::permissions(dir / "a.so", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_write);
  EXPECT_EQ(refusal(dir / "a.so", strict), "the file is writable by group or others (mode 0620)");
  EXPECT_NO_THROW(open_plugin_file(dir / "a.so", insecure));
}

TEST_F(PluginFileCheckTest, RefusesADirectoryOthersMayWriteAnywhereAbove) {
  fs::create_directories(dir / "open" / "plugins");
  write_file(dir / "open" / "plugins" / "a.so", "bytes");
  fs::permissions(dir / "open", fs::perms::all);
  EXPECT_EQ(refusal(dir / "open" / "plugins" / "a.so", strict),
            "directory " + (canonical_dir() / "open").string() + " is writable by group or others (mode 0777)");
  EXPECT_NO_THROW(open_plugin_file(dir / "open" / "plugins" / "a.so", insecure));
}

TEST_F(PluginFileCheckTest, AcceptsAStickyDirectoryOwnedByRootLikeTmp) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to own a sticky directory as root";
  fs::create_directories(dir / "shared" / "plugins");
  write_file(dir / "shared" / "plugins" / "a.so", "bytes");
  fs::permissions(dir / "shared", fs::perms::all | fs::perms::sticky_bit);
  EXPECT_NO_THROW(open_plugin_file(dir / "shared" / "plugins" / "a.so", strict));
  // Sticky, but owned by someone else: they could still swap entries.
  ASSERT_EQ(chown((dir / "shared").c_str(), kNobody, kNobody), 0);
  EXPECT_NE(refusal(dir / "shared" / "plugins" / "a.so", strict).find("is owned by uid 65534"), std::string::npos);
}

TEST_F(PluginFileCheckTest, RefusesAFileOrDirectoryOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  fs::create_directories(dir / "theirs");
  write_file(dir / "a.so", "bytes");
  write_file(dir / "theirs" / "b.so", "bytes");
  ASSERT_EQ(chown((dir / "a.so").c_str(), kNobody, kNobody), 0);
  ASSERT_EQ(chown((dir / "theirs").c_str(), kNobody, kNobody), 0);
  EXPECT_EQ(refusal(dir / "a.so", strict),
            "the file is owned by uid 65534 (expected root or the daemon's user, uid 0)");
  EXPECT_EQ(refusal(dir / "theirs" / "b.so", strict),
            "directory " + (canonical_dir() / "theirs").string() +
                " is owned by uid 65534 (expected root or the daemon's user, uid 0)");
  EXPECT_NO_THROW(open_plugin_file(dir / "a.so", insecure));
}

TEST_F(PluginFileCheckTest, FollowsASymlinkThatStaysInTheDirectory) {
  fs::create_directories(dir / "v2");
  write_file(dir / "a.so.2", "bytes");
  write_file(dir / "v2" / "b.so", "bytes");
  fs::create_symlink("a.so.2", dir / "a.so");
  fs::create_symlink(dir / "v2" / "b.so", dir / "b.so");
  EXPECT_EQ(open_plugin_file(dir / "a.so", strict).resolved(), canonical_dir() / "a.so.2");
  EXPECT_EQ(open_plugin_file(dir / "b.so", strict).resolved(), canonical_dir() / "v2" / "b.so");
}

TEST_F(PluginFileCheckTest, RefusesASymlinkThatLeadsOutEvenWhenInsecure) {
  fs::create_directories(dir / "plugins");
  write_file(dir / "elsewhere.so", "bytes");
  fs::create_symlink("../elsewhere.so", dir / "plugins" / "a.so");
  const std::string expected = "symbolic link to " + (canonical_dir() / "elsewhere.so").string() +
                               ", outside the plugin directory " + (canonical_dir() / "plugins").string();
  EXPECT_EQ(refusal(dir / "plugins" / "a.so", strict), expected);
  EXPECT_EQ(refusal(dir / "plugins" / "a.so", insecure), expected);
}

TEST_F(PluginFileCheckTest, RefusesASymlinkLoopAndADanglingSymlink) {
  fs::create_symlink("b.so", dir / "a.so");
  fs::create_symlink("a.so", dir / "b.so");
  EXPECT_EQ(refusal(dir / "a.so", strict), "symbolic link loop");
  fs::create_symlink("missing.so", dir / "c.so");
  EXPECT_EQ(refusal(dir / "c.so", strict),
            "symbolic link to missing.so that cannot be followed: No such file or directory");
}

TEST_F(PluginFileCheckTest, RefusesWhatIsNotARegularFileWithoutBlocking) {
  fs::create_directories(dir / "d.so");
  EXPECT_EQ(refusal(dir / "d.so", insecure), "not a regular file (a directory)");
  ASSERT_EQ(mkfifo((dir / "f.so").c_str(), 0600), 0);
  EXPECT_EQ(refusal(dir / "f.so", insecure), "not a regular file (a FIFO)");
  fs::create_symlink("f.so", dir / "g.so");
  EXPECT_EQ(refusal(dir / "g.so", strict), "not a regular file (a FIFO)");
  EXPECT_EQ(refusal(dir / "missing.so", strict), "cannot read the file: No such file or directory");
}

TEST_F(PluginFileCheckTest, ChecksEveryDirectoryUpToTheRoot) {
  EXPECT_NO_THROW(check_directory_chain(dir.path()));
  fs::create_directories(dir / "a" / "b");
  fs::permissions(dir / "a", fs::perms::owner_all | fs::perms::group_all);
  EXPECT_EQ([&] {
    try {
      check_directory_chain(dir / "a" / "b");
    } catch (const PluginLoadError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  }(), "directory " + (canonical_dir() / "a").string() + " is writable by group or others (mode 0770)");
}

}  // namespace
}  // namespace jobhost::loader
