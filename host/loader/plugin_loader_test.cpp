#include "loader/plugin_loader.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <vector>  // before library_info.hpp, which uses it without including it

#include <boost/dll/library_info.hpp>

#include "jobhost/version.hpp"
#include "loader/abi_marker.hpp"
#include "loader/plugin_load_error.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::loader {
namespace {

using testing::copy_fixture;
using testing::TempDir;
using testing::write_file;

class PluginLoaderTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  std::map<std::string, std::map<std::string, std::string>> settings;
  std::shared_ptr<ShadowCopies> copies = ShadowCopies::temporary({});
  PluginEnvironment env{logs, [this](const std::string& name) { return Settings(settings[name]); }, copies};
  TempDir dir;

  // Loads `file` and returns the error message (fails the test when it loads).
  std::string load_error(const std::filesystem::path& file) {
    try {
      load_plugin(file, env);
    } catch (const PluginLoadError& e) {
      return e.what();
    }
    ADD_FAILURE() << file << " loaded";
    return "";
  }

  // What load_plugins loads each file with.
  std::function<LoadedPlugin(const std::filesystem::path&)> load_each() {
    return [this](const std::filesystem::path& file) { return load_plugin(file, env); };
  }

  std::string load_fixture_error(const std::string& fixture) {
    copy_fixture(fixture, dir.path());
    return load_error(dir / (fixture + ".so"));
  }
};

TEST_F(PluginLoaderTest, LoadsAGoodPluginWithItsJobs) {
  copy_fixture("good", dir.path());
  LoadedPlugin plugin = load_plugin(dir / "good.so", env);
  EXPECT_EQ(plugin.info.name, "good");
  EXPECT_EQ(plugin.info.version, "2.3.4");
  EXPECT_EQ(plugin.file, dir / "good.so");
  ASSERT_EQ(plugin.jobs.size(), 1u);
  EXPECT_EQ(plugin.jobs[0]->name, "tick");
  EXPECT_EQ(plugin.jobs[0]->schedule, "@every 1s");
}

// SDK minor versions only add: a plugin built against 1.0 loads into this
// host (1.1 and later).
TEST_F(PluginLoaderTest, LoadsAPluginBuiltAgainstAnOlderSdkMinorVersion) {
  ASSERT_GE(JOBHOST_SDK_VERSION_MINOR, 1);
  copy_fixture("sdk_1_0", dir.path());
  std::optional<AbiVersion> marker;
  for (const auto& section : boost::dll::library_info(dir / "sdk_1_0.so").sections()) {
    if (auto abi = parse_abi_section(section)) marker = abi;
  }
  ASSERT_TRUE(marker.has_value());
  EXPECT_EQ(marker->sdk_major, 1);
  EXPECT_EQ(marker->sdk_minor, 0);
  settings["sdk_1_0"] = {{"anything", "goes"}};
  LoadedPlugin plugin = load_plugin(dir / "sdk_1_0.so", env);
  EXPECT_EQ(plugin.info.name, "sdk_1_0");
  ASSERT_EQ(plugin.jobs.size(), 1u);
  EXPECT_EQ(plugin.jobs[0]->name, "run");
  EXPECT_FALSE(plugin.declarations) << "1.0 had no declarations: its settings are not checked";
}

TEST_F(PluginLoaderTest, TheLibraryStaysLoadedWhileAnyJobDefinitionLives) {
  copy_fixture("good", dir.path());
  std::string path;
  std::shared_ptr<const JobDefinition> job;
  {
    LoadedPlugin plugin = load_plugin(dir / "good.so", env);
    path = plugin.copy.string();
    job = plugin.jobs.at(0);
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(handle, nullptr) << "unloaded while a job definition was alive";
  dlclose(handle);
  job.reset();
  handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_EQ(handle, nullptr) << "still loaded after the last object went";
  if (handle) dlclose(handle);
  EXPECT_FALSE(std::filesystem::exists(path)) << "the copy is removed with the library";
}

TEST_F(PluginLoaderTest, LoadsAPrivateCopyNamedByItsSha256NotTheOriginal) {
  copy_fixture("good", dir.path());
  LoadedPlugin plugin = load_plugin(dir / "good.so", env);
  EXPECT_EQ(plugin.sha256.size(), 64u);
  EXPECT_EQ(plugin.copy, copies->directory() / (plugin.sha256 + ".so"));
  void* handle = dlopen((dir / "good.so").c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_EQ(handle, nullptr) << "the original was mapped";
  if (handle) dlclose(handle);
}

TEST_F(PluginLoaderTest, WritingOverTheOriginalInPlaceLeavesTheLoadedCodeAlone) {
  copy_fixture("good", dir.path());
  LoadedPlugin plugin = load_plugin(dir / "good.so", env);
  {
    std::ofstream out(dir / "good.so", std::ios::binary | std::ios::in | std::ios::out);
    out << std::string(testing::read_file(dir / "good.so").size(), '\xcc');
  }
  EXPECT_EQ(plugin.plugin->info().version, "2.3.4");
  ASSERT_EQ(plugin.plugin->jobs().size(), 1u);
}

TEST_F(PluginLoaderTest, AReplacedFileLoadsTheNewCode) {
  copy_fixture("good", dir.path());
  LoadedPlugin first = load_plugin(dir / "good.so", env);
  copy_fixture("slow", dir.path(), "next.so.tmp");
  std::filesystem::rename(dir / "next.so.tmp", dir / "good.so");
  LoadedPlugin second = load_plugin(dir / "good.so", env);
  EXPECT_EQ(first.info.name, "good");
  EXPECT_EQ(second.info.name, "slow");
  EXPECT_NE(first.copy, second.copy);
}

TEST_F(PluginLoaderTest, APinnedLibraryIsLoggedNamingThePluginFileAndItsCopyKept) {
  logging::LogOptions options;
  options.file = dir / "host.log";
  logging::LogHub file_logs(options);
  PluginEnvironment logged{file_logs, env.settings_for, copies};
  copy_fixture("pinned", dir.path());
  std::filesystem::path copy;
  {
    LoadedPlugin plugin = load_plugin(dir / "pinned.so", logged);
    copy = plugin.copy;
  }
  file_logs.flush();
  const std::string log = testing::read_file(dir / "host.log");
  EXPECT_NE(log.find((dir / "pinned.so").string() + ": still loaded after unloading"), std::string::npos) << log;
  EXPECT_NE(log.find("its copy " + copy.string() + " is kept"), std::string::npos) << log;
  EXPECT_TRUE(std::filesystem::exists(copy));
}

TEST_F(PluginLoaderTest, TwoFilesWithTheSameBytesShareACopyAndTheSecondIsADuplicate) {
  copy_fixture("good", dir.path());
  copy_fixture("good", dir.path(), "same.so");
  PluginSet set = load_plugins({dir.path()}, load_each());
  ASSERT_EQ(set.plugins.size(), 1u);
  ASSERT_EQ(set.errors.size(), 1u);
  EXPECT_NE(set.errors[0].find("same.so: plugin name \"good\" is already used by"), std::string::npos) << set.errors[0];
  EXPECT_TRUE(std::filesystem::exists(set.plugins[0].copy)) << "still used by the first";
  EXPECT_EQ(set.plugins[0].plugin->info().name, "good");
  const auto copy = set.plugins[0].copy;
  set.plugins.clear();
  EXPECT_FALSE(std::filesystem::exists(copy));
}

TEST_F(PluginLoaderTest, RefusesUnsafeFilesBeforeCopyingThem) {
  copy_fixture("good", dir.path(), "open.so");
  std::filesystem::permissions(dir / "open.so", std::filesystem::perms::all);
  EXPECT_EQ(load_error(dir / "open.so"), "the file is writable by group or others (mode 0777)");
  std::filesystem::create_directories(dir / "dir.so");
  EXPECT_EQ(load_error(dir / "dir.so"), "not a regular file (a directory)");
  ASSERT_EQ(mkfifo((dir / "fifo.so").c_str(), 0600), 0);
  EXPECT_EQ(load_error(dir / "fifo.so"), "not a regular file (a FIFO)");
  std::filesystem::create_symlink("loop.so", dir / "loop.so");
  EXPECT_EQ(load_error(dir / "loop.so"), "symbolic link loop");
  std::filesystem::create_directories(dir / "plugins");
  copy_fixture("good", dir.path());
  std::filesystem::create_symlink("../good.so", dir / "plugins" / "out.so");
  EXPECT_NE(load_error(dir / "plugins" / "out.so").find("outside the plugin directory"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(copies->directory())) << "nothing was copied";
}

TEST_F(PluginLoaderTest, RefusesAFileOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  copy_fixture("good", dir.path());
  ASSERT_EQ(chown((dir / "good.so").c_str(), 65534, 65534), 0);
  EXPECT_NE(load_error(dir / "good.so").find("owned by uid 65534"), std::string::npos);
}

TEST_F(PluginLoaderTest, InsecureRulesLoadAFileOthersMayWrite) {
  copy_fixture("good", dir.path());
  std::filesystem::permissions(dir / "good.so", std::filesystem::perms::all);
  env.file_rules.strict = false;
  EXPECT_EQ(load_plugin(dir / "good.so", env).info.name, "good");
}

TEST_F(PluginLoaderTest, AnAllowListPinsTheExactFiles) {
  copy_fixture("good", dir.path());
  copy_fixture("slow", dir.path());
  const std::string good_hash = load_plugin(dir / "good.so", env).sha256;
  env.allow_list = std::make_shared<const PluginAllowList>(
      PluginAllowList::parse(good_hash + "  good.so\n" + good_hash + "  slow.so\n", "pins.txt"));
  EXPECT_EQ(load_plugin(dir / "good.so", env).info.name, "good");
  const std::string slow = load_error(dir / "slow.so");
  EXPECT_EQ(slow.find("SHA-256 "), 0u) << slow;
  EXPECT_NE(slow.find("does not match the allow-list pins.txt (expected " + good_hash + ")"), std::string::npos);
  copy_fixture("good", dir.path(), "renamed.so");
  EXPECT_EQ(load_error(dir / "renamed.so"), "not in the allow-list pins.txt (its SHA-256 is " + good_hash + ")");
  EXPECT_TRUE(std::filesystem::is_empty(copies->directory())) << "refused copies are removed";
}

TEST_F(PluginLoaderTest, PassesThePluginItsOwnSettings) {
  copy_fixture("good", dir.path());
  settings["good"] = {{"word", "tock"}};
  LoadedPlugin plugin = load_plugin(dir / "good.so", env);
  EXPECT_EQ(plugin.info.name, "good");  // configure() accepted the settings
  ASSERT_TRUE(plugin.declarations);
  ASSERT_EQ(plugin.declarations->settings.size(), 2u);
  EXPECT_EQ(plugin.declarations->settings[0].key, "word");
  EXPECT_EQ(plugin.declarations->settings[0].default_value, "tick");
}

TEST_F(PluginLoaderTest, RefusesASettingThePluginDoesNotDeclareBeforeConfiguringIt) {
  copy_fixture("good", dir.path());
  settings["good"] = {{"wrod", "tock"}};
  EXPECT_EQ(load_error(dir / "good.so"), "good.wrod: good has no setting \"wrod\" (its settings: word, suffix)");
}

TEST_F(PluginLoaderTest, RefusesAFileThatIsNotElf) {
  write_file(dir / "text.so", "this is not a shared library\n");
  EXPECT_EQ(load_error(dir / "text.so"), "not an ELF file");
  write_file(dir / "empty.so", "");
  EXPECT_NE(load_error(dir / "empty.so").find("not an ELF file"), std::string::npos);
}

TEST_F(PluginLoaderTest, RefusesATruncatedFile) {
  copy_fixture("good", dir.path());
  const std::string whole = testing::read_file(dir / "good.so");
  for (std::size_t size : {std::size_t{20}, std::size_t{64}, std::size_t{200}, whole.size() / 2, whole.size() - 1}) {
    write_file(dir / "cut.so", whole.substr(0, size));
    EXPECT_NE(load_error(dir / "cut.so").find("truncated"), std::string::npos) << "size " << size;
  }
}

TEST_F(PluginLoaderTest, RefusesAPluginWithoutAbiMarker) {
  EXPECT_NE(load_fixture_error("no_marker").find("no jobhost ABI marker"), std::string::npos);
}

TEST_F(PluginLoaderTest, RefusesAnAbiMismatchNamingBothVersions) {
  const std::string error = load_fixture_error("abi_mismatch");
  EXPECT_NE(error.find("ABI mismatch"), std::string::npos) << error;
  EXPECT_NE(error.find("SDK 99.0"), std::string::npos) << error;
  const AbiVersion host = host_abi();
  EXPECT_NE(error.find("this host provides SDK " + std::to_string(host.sdk_major) + "." +
                       std::to_string(host.sdk_minor) + ": build it against SDK " + std::to_string(host.sdk_major) +
                       ".x"),
            std::string::npos)
      << error;
}

TEST_F(PluginLoaderTest, RefusesAnUnresolvedSymbolBeforeRunningPluginCode) {
  const std::string error = load_fixture_error("unresolved_symbol");
  EXPECT_NE(error.find("unresolved symbol jobhost_sdk_global_init"), std::string::npos) << error;
}

TEST_F(PluginLoaderTest, ReportsExceptionsFromEveryPluginStep) {
  EXPECT_EQ(load_fixture_error("throws_in_entry"), "entry point threw: constructor refuses");
  EXPECT_EQ(load_fixture_error("throws_in_configure"), "configure() threw: missing setting 'endpoint'");
  EXPECT_EQ(load_fixture_error("throws_in_jobs"), "jobs() threw a non-standard exception");
}

TEST_F(PluginLoaderTest, RefusesBadDefinitions) {
  EXPECT_EQ(load_fixture_error("duplicate_jobs"), "two jobs are named \"same\"");
  const std::string schedule = load_fixture_error("bad_schedule");
  EXPECT_NE(schedule.find("job \"minutely\": invalid default schedule"), std::string::npos) << schedule;
  EXPECT_NE(schedule.find("minute"), std::string::npos) << schedule;
  EXPECT_NE(load_fixture_error("bad_plugin_name").find("invalid plugin name \"Bad Name\""), std::string::npos);
}

TEST(CheckPluginName, RefusesTheHostsSectionsAndLoggers) {
  const auto error_of = [](const std::string& name) -> std::string {
    try {
      check_plugin_name(name);
    } catch (const PluginLoadError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of("tx_watch2"), "");
  EXPECT_EQ(error_of("job"), "plugin name \"job\" is reserved for the host's configuration sections");
  for (const std::string name : {"jobhost", "clients", "plugins", "scheduler", "systemd", "sdk"}) {
    EXPECT_EQ(error_of(name), "plugin name \"" + name + "\" is reserved for the host's own loggers");
  }
}

TEST_F(PluginLoaderTest, FindsOnlySharedObjectsSkippingDotfilesAndTemporaries) {
  for (const char* name : {"b.so", "a.so", ".hidden.so", "c.so.tmp", "d.tmp", "notes.txt"}) {
    write_file(dir / name, "");
  }
  const auto files = find_plugin_files(dir.path());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], dir / "a.so");
  EXPECT_EQ(files[1], dir / "b.so");
  EXPECT_THROW(find_plugin_files(dir / "missing"), PluginLoadError);
}

TEST_F(PluginLoaderTest, OneBadFileNeverStopsTheOthers) {
  for (const char* fixture : {"good", "abi_mismatch", "no_marker", "throws_in_entry", "throws_in_configure",
                              "throws_in_jobs", "duplicate_jobs", "bad_schedule", "unresolved_symbol", "slow"}) {
    copy_fixture(fixture, dir.path());
  }
  copy_fixture("good", dir.path(), "good_again.so");  // the same plugin name twice
  write_file(dir / "garbage.so", "garbage");
  PluginSet set = load_plugins({dir.path(), dir / "missing"}, load_each());

  ASSERT_EQ(set.plugins.size(), 2u);
  EXPECT_EQ(set.plugins[0].info.name, "good");
  EXPECT_EQ(set.plugins[1].info.name, "slow");
  ASSERT_EQ(set.errors.size(), 11u);
  for (const auto& error : set.errors) {
    EXPECT_EQ(error.find(dir.path().string()), 0u) << "names the file: " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
  }
  const auto mentions = [&](const std::string& text) {
    return std::any_of(set.errors.begin(), set.errors.end(),
                       [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("good_again.so: plugin name \"good\" is already used by " + (dir / "good.so").string()));
  EXPECT_TRUE(mentions((dir / "missing").string() + ": cannot read plugin directory"));
}

}  // namespace
}  // namespace jobhost::loader
