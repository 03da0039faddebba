#include "config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "jobhost/error.hpp"
#include "test_fakes.hpp"

namespace tx_watch {
namespace {

using namespace std::chrono_literals;

// The message of the ConfigError that reading `key = value` throws, or "".
std::string error_of(const std::string& key, const std::string& value) {
  try {
    parse_config(testing::settings({{key, value}}));
  } catch (const jobhost::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(TxWatchConfig, Defaults) {
  const Config config = parse_config(jobhost::Settings());
  EXPECT_EQ(config.chain, "main");
  EXPECT_EQ(config.confirmations, 1u);
  EXPECT_EQ(config.drop_after, 1h);
}

TEST(TxWatchConfig, ReadsEverySetting) {
  const Config config =
      parse_config(testing::settings({{"chain", "sepolia"}, {"confirmations", "12"}, {"drop-after", "1h30m"}}));
  EXPECT_EQ(config.chain, "sepolia");
  EXPECT_EQ(config.confirmations, 12u);
  EXPECT_EQ(config.drop_after, 90min);
  EXPECT_EQ(parse_config(testing::settings({{"drop-after", "500ms"}})).drop_after, 500ms);
}

TEST(TxWatchConfig, BadConfirmationsNameTheKeyAndTheExpectedForm) {
  for (const char* value : {"0", "-1", "", "abc", "1.5", " 3", "3 ", "99999999999999999999999"}) {
    EXPECT_EQ(error_of("confirmations", value),
              "confirmations: \"" + std::string(value) + "\" is not a whole number from 1 to 18446744073709551615");
  }
}

TEST(TxWatchConfig, BadDropAfterNamesTheKey) {
  EXPECT_EQ(error_of("drop-after", "1x"),
            "drop-after: \"1x\" is not a duration: unknown unit \"x\" (units: ns, us, ms, s, m, h) "
            "(expected e.g. 500ms, 15s, 1h30m)");
  EXPECT_EQ(error_of("drop-after", "0s"), "drop-after: \"0s\" is too short (at least 1ms)");
  for (const char* value : {"", "15", "h", "-5s", "1 h"}) {
    const std::string prefix = "drop-after: \"" + std::string(value) + "\" is not a duration";
    EXPECT_EQ(error_of("drop-after", value).rfind(prefix, 0), 0u) << value;
  }
}

TEST(TxWatchConfig, EmptyChainIsRefused) {
  EXPECT_EQ(error_of("chain", ""), "chain: must name a chain client (e.g. main)");
}

}  // namespace
}  // namespace tx_watch
