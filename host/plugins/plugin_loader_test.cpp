#include "plugins/plugin_loader.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <fstream>

#include "plugins/abi_marker.hpp"
#include "plugins/plugin_load_error.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::plugins {
namespace {

using testing::copy_fixture;
using testing::TempDir;
using testing::write_file;

class PluginLoaderTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  std::map<std::string, std::map<std::string, std::string>> settings;
  PluginEnvironment env{logs, [this](const std::string& name) { return Settings(settings[name]); }};
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

TEST_F(PluginLoaderTest, TheLibraryStaysLoadedWhileAnyJobDefinitionLives) {
  copy_fixture("good", dir.path());
  const auto path = (dir / "good.so").string();
  std::shared_ptr<const JobDefinition> job;
  {
    LoadedPlugin plugin = load_plugin(path, env);
    job = plugin.jobs.at(0);
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(handle, nullptr) << "unloaded while a job definition was alive";
  dlclose(handle);
  job.reset();
  handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_EQ(handle, nullptr) << "still loaded after the last object went";
  if (handle) dlclose(handle);
}

TEST_F(PluginLoaderTest, PassesThePluginItsOwnSettings) {
  copy_fixture("good", dir.path());
  settings["good"] = {{"word", "tock"}};
  LoadedPlugin plugin = load_plugin(dir / "good.so", env);
  EXPECT_EQ(plugin.info.name, "good");  // configure() accepted the settings
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
  EXPECT_NE(error.find("this host provides " + describe(host_abi())), std::string::npos) << error;
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
  PluginSet set = load_plugins({dir.path(), dir / "missing"}, env);

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
}  // namespace jobhost::plugins
