#include "loader/plugin_dir_snapshot.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace jobhost::loader {
namespace {

using testing::TempDir;
using testing::write_file;
using Paths = std::vector<std::filesystem::path>;

}  // namespace

static void PrintTo(const PluginDirChanges& changes, std::ostream* out) { *out << describe(changes); }

namespace {

Paths files_of(const PluginDirSnapshot& snapshot) {
  Paths files;
  for (const auto& [file, identity] : snapshot.files) files.push_back(file);
  return files;
}

class PluginDirSnapshotTest : public ::testing::Test {
 protected:
  TempDir root;
  std::filesystem::path plugins = root / "plugins";

  void SetUp() override { std::filesystem::create_directory(plugins); }
};

TEST_F(PluginDirSnapshotTest, ListsThePluginFilesWithTheirIdentity) {
  write_file(plugins / "b.so", "bb");
  write_file(plugins / "a.so", "a");
  write_file(plugins / ".hidden.so", "x");
  write_file(plugins / "c.so.tmp", "x");
  write_file(plugins / "notes.txt", "x");

  const PluginDirSnapshot snapshot = snapshot_plugin_dirs({plugins});

  EXPECT_EQ(files_of(snapshot), (Paths{plugins / "a.so", plugins / "b.so"}));
  struct stat info {};
  ASSERT_EQ(stat((plugins / "b.so").c_str(), &info), 0);
  const PluginFileIdentity& b = snapshot.files.at(plugins / "b.so");
  EXPECT_EQ(b.device, info.st_dev);
  EXPECT_EQ(b.inode, info.st_ino);
  EXPECT_EQ(b.size, 2);
  EXPECT_TRUE(snapshot.missing.empty());
  EXPECT_TRUE(snapshot.unreadable.empty());
}

TEST_F(PluginDirSnapshotTest, ASymbolicLinkHasTheIdentityOfItsTarget) {
  std::filesystem::create_directory(root / "lib");
  write_file(root / "lib" / "x.so", "one");
  std::filesystem::create_symlink(root / "lib" / "x.so", plugins / "x.so");
  std::filesystem::create_symlink(root / "lib" / "nothing.so", plugins / "dangling.so");
  std::filesystem::create_symlink("loop.so", plugins / "loop.so");  // kept, for loading to report

  const PluginDirSnapshot before = snapshot_plugin_dirs({plugins});
  EXPECT_EQ(files_of(before), (Paths{plugins / "loop.so", plugins / "x.so"}));
  EXPECT_EQ(before.files.at(plugins / "x.so").size, 3);

  write_file(root / "lib" / "x.so", "two, longer");
  const PluginDirSnapshot after = snapshot_plugin_dirs({plugins});
  EXPECT_EQ(diff(before, after), (PluginDirChanges{{}, {plugins / "x.so"}, {}}));
}

TEST_F(PluginDirSnapshotTest, DiffSortsAddedChangedAndRemoved) {
  const PluginFileIdentity one{1, 1, 10, 100, 100};
  PluginFileIdentity newer = one;
  newer.ctime_ns = 200;
  PluginDirSnapshot before;
  before.files = {{"d/keep.so", one}, {"d/gone.so", one}, {"d/b.so", one}, {"d/a.so", one}, {"e/z.so", one}};
  PluginDirSnapshot after;
  after.files = {{"d/keep.so", one}, {"d/new.so", one}, {"d/b.so", newer}, {"d/a.so", newer}, {"c/n.so", one}};

  const PluginDirChanges changes = diff(before, after);

  EXPECT_EQ(changes.added, (Paths{"c/n.so", "d/new.so"}));
  EXPECT_EQ(changes.changed, (Paths{"d/a.so", "d/b.so"}));
  EXPECT_EQ(changes.removed, (Paths{"d/gone.so", "e/z.so"}));
  EXPECT_TRUE(diff(after, after).empty());
}

TEST_F(PluginDirSnapshotTest, DescribesChangesInOneLine) {
  EXPECT_EQ(describe({{"d/a.so", "d/b.so"}, {}, {"d/c.so"}}), "added d/a.so, d/b.so; removed d/c.so");
  EXPECT_EQ(describe({{}, {"d/a.so"}, {}}), "changed d/a.so");
  EXPECT_EQ(describe({}), "no change");
}

TEST_F(PluginDirSnapshotTest, AMissingDirectoryIsReportedAndItsPluginsCountAsRemoved) {
  write_file(plugins / "a.so", "a");
  const PluginDirSnapshot before = snapshot_plugin_dirs({plugins, root / "never"});
  EXPECT_EQ(before.missing, (Paths{root / "never"}));

  std::filesystem::remove_all(plugins);
  const PluginDirSnapshot after = snapshot_plugin_dirs({plugins, root / "never"}, &before);

  EXPECT_EQ(after.missing, (Paths{plugins, root / "never"}));
  EXPECT_TRUE(after.unreadable.empty());
  EXPECT_EQ(diff(before, after), (PluginDirChanges{{}, {}, {plugins / "a.so"}}));
}

TEST_F(PluginDirSnapshotTest, AnUnreadableDirectoryKeepsThePluginsItHad) {
  write_file(plugins / "a.so", "a");
  std::filesystem::create_directory(root / "other");
  write_file(root / "other" / "o.so", "o");
  const PluginDirSnapshot before = snapshot_plugin_dirs({plugins, root / "other"});

  // A path that exists but cannot be listed (root may read any directory, so
  // not a chmod).
  std::filesystem::remove_all(plugins);
  write_file(plugins, "not a directory");
  std::filesystem::remove(root / "other" / "o.so");
  const PluginDirSnapshot after = snapshot_plugin_dirs({plugins, root / "other"}, &before);

  ASSERT_EQ(after.unreadable.size(), 1u);
  EXPECT_NE(after.unreadable.at(plugins).find("cannot read plugin directory"), std::string::npos);
  EXPECT_TRUE(after.missing.empty());
  EXPECT_EQ(diff(before, after), (PluginDirChanges{{}, {}, {root / "other" / "o.so"}}));
  EXPECT_TRUE(snapshot_plugin_dirs({plugins}).files.empty());  // nothing to carry over
}

}  // namespace
}  // namespace jobhost::loader
