#include "loader/shadow_copy.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobhost/error.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::loader {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// sha256sum of "hello".
constexpr const char* kHelloSha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

class ShadowCopyTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::shared_ptr<ShadowCopies> copies = ShadowCopies::temporary({});

  ShadowCopy copy_of(const fs::path& file) {
    PluginFile opened = open_plugin_file(file, {});
    return copies->copy(opened.fd());
  }
};

fs::perms permissions_of(const fs::path& path) { return fs::status(path).permissions(); }

TEST_F(ShadowCopyTest, CopiesTheBytesUnderTheirSha256ReadOnlyInAPrivateDirectory) {
  write_file(dir / "a.so", "hello");
  ShadowCopy copy = copy_of(dir / "a.so");
  EXPECT_EQ(copy.sha256(), kHelloSha256);
  EXPECT_EQ(copy.path(), copies->directory() / (std::string(kHelloSha256) + ".so"));
  EXPECT_EQ(read_file(copy.path()), "hello");
  EXPECT_EQ(permissions_of(copy.path()), fs::perms::owner_read);
  EXPECT_EQ(permissions_of(copies->directory()), fs::perms::owner_all);
  EXPECT_EQ(std::distance(fs::directory_iterator(copies->directory()), fs::directory_iterator()), 1)
      << "no temporary file is left";
}

TEST_F(ShadowCopyTest, TheCopyKeepsTheBytesItWasMadeFromWhenTheOriginalIsOverwritten) {
  write_file(dir / "a.so", "hello");
  ShadowCopy copy = copy_of(dir / "a.so");
  write_file(dir / "a.so", "changed in place");
  EXPECT_EQ(read_file(copy.path()), "hello");
  ShadowCopy changed = copy_of(dir / "a.so");
  EXPECT_NE(changed.path(), copy.path()) << "new bytes, new name";
}

TEST_F(ShadowCopyTest, IdenticalBytesShareOneCopyRemovedWithItsLastUse) {
  write_file(dir / "a.so", "hello");
  write_file(dir / "b.so", "hello");
  ShadowCopy a = copy_of(dir / "a.so");
  ShadowCopy b = copy_of(dir / "b.so");
  ASSERT_EQ(a.path(), b.path());
  EXPECT_FALSE(a.release());
  EXPECT_TRUE(fs::exists(b.path())) << "still used by b";
  EXPECT_FALSE(b.release());
  EXPECT_FALSE(fs::exists(b.path()));
  EXPECT_FALSE(b.release()) << "a second release does nothing";
}

TEST_F(ShadowCopyTest, ALibraryStillLoadedIsReportedAndItsCopyKept) {
  testing::copy_fixture("good", dir.path());
  ShadowCopy copy = copy_of(dir / "good.so");
  void* handle = dlopen(copy.path().c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  EXPECT_TRUE(copy.release()) << "pinned";
  EXPECT_TRUE(fs::exists(copy.path()));
  dlclose(handle);
  EXPECT_EQ(dlopen(copy.path().c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr);
}

TEST_F(ShadowCopyTest, AnUnloadedLibrarysCopyIsRemoved) {
  testing::copy_fixture("good", dir.path());
  ShadowCopy copy = copy_of(dir / "good.so");
  void* handle = dlopen(copy.path().c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  dlclose(handle);
  EXPECT_FALSE(copy.release());
  EXPECT_FALSE(fs::exists(copy.path()));
}

TEST_F(ShadowCopyTest, ATemporaryDirectoryGoesWithItsLastUser) {
  write_file(dir / "a.so", "hello");
  const fs::path directory = copies->directory();
  ShadowCopy copy = copy_of(dir / "a.so");
  copies.reset();
  EXPECT_TRUE(fs::exists(copy.path())) << "the copy holds its directory";
  copy.release();
  EXPECT_FALSE(fs::exists(directory));
}

TEST_F(ShadowCopyTest, AStateDirectoryIsMadePrivateAndEmptiedOfEarlierCopies) {
  const fs::path directory = dir / "state" / "plugin-copies";
  fs::create_directories(directory);
  fs::permissions(directory, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  write_file(directory / "stale.so", "old");
  auto in_state = ShadowCopies::in_directory(directory, {});
  ASSERT_NE(in_state, nullptr);
  EXPECT_EQ(in_state->directory(), fs::canonical(directory));
  EXPECT_EQ(permissions_of(directory), fs::perms::owner_all);
  EXPECT_FALSE(fs::exists(directory / "stale.so"));
  in_state.reset();
  EXPECT_TRUE(fs::exists(directory)) << "kept for the next start";
}

TEST_F(ShadowCopyTest, OneProcessAtATimeUsesAStateDirectory) {
  const fs::path directory = dir / "plugin-copies";
  auto first = ShadowCopies::in_directory(directory, {});
  ASSERT_NE(first, nullptr);
  write_file(dir / "a.so", "hello");
  PluginFile opened = open_plugin_file(dir / "a.so", {});
  ShadowCopy copy = first->copy(opened.fd());
  EXPECT_EQ(ShadowCopies::in_directory(directory, {}), nullptr) << "locked";
  EXPECT_TRUE(fs::exists(copy.path())) << "and left alone";
  copy.release();
  first.reset();
  EXPECT_NE(ShadowCopies::in_directory(directory, {}), nullptr);
}

TEST_F(ShadowCopyTest, RefusesAStateDirectoryThatIsNotADirectory) {
  write_file(dir / "plugin-copies", "");
  try {
    ShadowCopies::in_directory(dir / "plugin-copies", {});
    ADD_FAILURE() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "plugin copies: cannot use " + (dir / "plugin-copies").string() + ": not a directory");
  }
}

TEST_F(ShadowCopyTest, RefusesAStateDirectoryUnderADirectoryOthersMayWrite) {
  fs::create_directories(dir / "open");
  fs::permissions(dir / "open", fs::perms::all);
  EXPECT_THROW(ShadowCopies::in_directory(dir / "open" / "plugin-copies", {}), ConfigError);
  EXPECT_NE(ShadowCopies::in_directory(dir / "open" / "plugin-copies", {.strict = false}), nullptr);
}

}  // namespace
}  // namespace jobhost::loader
