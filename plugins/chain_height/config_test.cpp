#include "config.hpp"

#include <gtest/gtest.h>

#include "test_fakes.hpp"

namespace chain_height {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;

// The message of the ConfigError that reading `key = value` throws, or "".
std::string error_of(const std::string& key, const std::string& value) {
  try {
    parse_config(testing::settings({{key, value}}));
  } catch (const jobhost::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ChainHeightConfig, Defaults) {
  const Config config = parse_config(jobhost::Settings());
  EXPECT_EQ(config.chains, Names{"main"});
  EXPECT_EQ(config.stall_after, 2min);
}

TEST(ChainHeightConfig, ReadsTheChainListIgnoringWhitespace) {
  EXPECT_EQ(parse_config(testing::settings({{"chains", " main ,sepolia,\tholesky "}})).chains,
            (Names{"main", "sepolia", "holesky"}));
  EXPECT_EQ(parse_config(testing::settings({{"chains", "solo"}})).chains, Names{"solo"});
  EXPECT_EQ(parse_config(testing::settings({{"stall-after", "90s"}})).stall_after, 90s);
}

TEST(ChainHeightConfig, BadChainListsNameTheKey) {
  const std::string expected = " has an empty item (expected items separated by commas)";
  EXPECT_EQ(error_of("chains", ""), "chains: \"\"" + expected);
  EXPECT_EQ(error_of("chains", "  "), "chains: \"  \"" + expected);
  EXPECT_EQ(error_of("chains", "main,,sepolia"), "chains: \"main,,sepolia\"" + expected);
  EXPECT_EQ(error_of("chains", "main,"), "chains: \"main,\"" + expected);
  EXPECT_EQ(error_of("chains", "main, sepolia, main"), "chains: \"main, sepolia, main\" names main twice");
}

TEST(ChainHeightConfig, BadStallAfterNamesTheKey) {
  EXPECT_EQ(error_of("stall-after", "2 minutes"),
            "stall-after: \"2 minutes\" is not a duration: unknown unit \" minutes\" (units: ns, us, ms, s, m, h) "
            "(expected e.g. 500ms, 15s, 1h30m)");
  EXPECT_EQ(error_of("stall-after", "0m"), "stall-after: \"0m\" is too short (at least 1ms)");
}

}  // namespace
}  // namespace chain_height
