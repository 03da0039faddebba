#include "loader/declared_settings.hpp"

#include <gtest/gtest.h>

#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {
namespace {

using Map = std::map<std::string, std::string>;

const Declarations kDeclared{.settings = {{"name", SettingType::text, "", "a name"},
                                          {"every", SettingType::duration, "1m", ""},
                                          {"count", SettingType::unsigned_integer, "1", ""},
                                          {"loud", SettingType::boolean, "false", ""},
                                          {"chains", SettingType::list, "main", ""}},
                             .chains = {{.setting = "chains"}, {"audit", ""}}};

std::optional<std::string> check(const std::string& key, const std::string& value) {
  return check_declared_setting("demo", kDeclared, key, value, "demo." + key);
}

TEST(DeclaredSettings, AcceptsADeclaredKeyWhoseValueReadsAsItsType) {
  EXPECT_FALSE(check("name", "anything at all"));
  EXPECT_FALSE(check("every", "1h30m"));
  EXPECT_FALSE(check("count", "42"));
  EXPECT_FALSE(check("loud", "yes"));
  EXPECT_FALSE(check("chains", "main, sepolia"));
}

TEST(DeclaredSettings, NamesTheKeyAndWhatWasExpected) {
  EXPECT_EQ(check("nmae", "x"), "demo.nmae: demo has no setting \"nmae\" (its settings: name, every, count, loud, chains)");
  const std::string duration = check("every", "soon").value_or("accepted");
  EXPECT_TRUE(duration.starts_with("demo.every: \"soon\" is not a duration")) << duration;
  EXPECT_EQ(check("count", "-1"), "demo.count: \"-1\" is not a whole number from 0 to 18446744073709551615");
  EXPECT_EQ(check("loud", "maybe"), "demo.loud: \"maybe\" is not a boolean (expected true or false)");
  EXPECT_EQ(check("chains", "main,,x"),
            "demo.chains: \"main,,x\" has an empty item (expected items separated by commas)");
  EXPECT_EQ(check_declared_setting("bare", Declarations{}, "x", "1", "bare.x"),
            "bare.x: bare has no setting \"x\" (it declares none)");
}

TEST(DeclaredSettings, APluginSectionWithProblemsIsRefusedNamingEachOne) {
  EXPECT_NO_THROW(check_plugin_settings("demo", kDeclared, Settings(Map{{"count", "3"}, {"name", "n"}})));
  try {
    check_plugin_settings("demo", kDeclared, Settings(Map{{"count", "three"}, {"pth", "/x"}}));
    FAIL() << "accepted";
  } catch (const PluginLoadError& e) {
    EXPECT_EQ(std::string(e.what()),
              "demo.count: \"three\" is not a whole number from 0 to 18446744073709551615; demo.pth: demo has no "
              "setting \"pth\" (its settings: name, every, count, loud, chains)");
  }
}

TEST(DeclaredSettings, TheChainsAJobNeedsComeFromFixedNamesAndSettingsOrTheirDefaults) {
  auto needs = chains_needed(kDeclared, Settings());
  ASSERT_EQ(needs.size(), 2u);
  EXPECT_EQ(needs[0].chain, "main");
  EXPECT_EQ(needs[0].how, "setting chains");
  EXPECT_EQ(needs[1].chain, "audit");
  EXPECT_EQ(needs[1].how, "");

  needs = chains_needed(kDeclared, Settings(Map{{"chains", "a, b"}}));
  ASSERT_EQ(needs.size(), 3u);
  EXPECT_EQ(needs[0].chain, "a");
  EXPECT_EQ(needs[1].chain, "b");
}

}  // namespace
}  // namespace jobhost::loader
