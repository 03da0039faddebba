#include "clients/chain_settings.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost::clients {
namespace {

using namespace std::chrono_literals;

std::string error_of(const config::Config& config) {
  try {
    chains_from(config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ChainSettings, ReadsEveryChainSection) {
  config::Config config;
  config.set("chain.main.url", "http://127.0.0.1:8545");
  config.set("chain.main.timeout", "2s");
  config.set("chain.main.batch-size", "50");
  config.add("chain.main.headers", "Authorization: Bearer secret");
  config.add("chain.main.headers", "X-Team:ops");
  config.set("chain.backup.url", "https://node.example/rpc");
  config.set("chain.backup.log-file", "/var/log/backup.log");
  config.set("log.sdk-file", "/var/log/sdk.log");
  const auto chains = chains_from(config);
  ASSERT_EQ(chains.size(), 2u);
  EXPECT_EQ(chains[0].options.name, "backup");
  EXPECT_EQ(chains[0].log_file, std::filesystem::path("/var/log/backup.log"));
  EXPECT_EQ(chains[0].options.batch_size, 100u);
  const auto& main = chains[1];
  EXPECT_EQ(main.options.url, "http://127.0.0.1:8545");
  EXPECT_EQ(main.options.timeout, 2s);
  EXPECT_EQ(main.options.batch_size, 50u);
  EXPECT_EQ(main.options.headers,
            (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer secret"}, {"X-Team", "ops"}}));
  EXPECT_EQ(main.log_file, std::filesystem::path("/var/log/sdk.log"));
}

TEST(ChainSettings, NoChainsIsFine) { EXPECT_TRUE(chains_from(config::Config{}).empty()); }

TEST(ChainSettings, BadValuesNameTheKeyAndHideHeaderValues) {
  config::Config config;
  config.set("chain.main.timeout", "5s");
  EXPECT_EQ(error_of(config), "chain.main.url: missing (every configured chain needs a url, or url-env naming a variable)");
  config.set("chain.main.url", "http://127.0.0.1:1");
  config.set("chain.main.batch-size", "0");
  EXPECT_NE(error_of(config).find("chain.main.batch-size"), std::string::npos);
  config.set("chain.main.batch-size", "10");
  config.add("chain.main.headers", "no colon secret-token");
  const std::string header = error_of(config);
  EXPECT_NE(header.find("chain.main.headers"), std::string::npos) << header;
  EXPECT_EQ(header.find("secret-token"), std::string::npos) << header;
  config::Config name;
  name.set("chain.Main.url", "http://127.0.0.1:1");
  EXPECT_NE(error_of(name).find("invalid chain name \"Main\""), std::string::npos);
}

TEST(ChainSettings, AUrlAndHeadersMayComeFromTheEnvironment) {
  setenv("JOBHOST_TEST_URL", "https://node.example/rpc?key=abcd", 1);
  setenv("JOBHOST_TEST_HEADER", "X-Api-Key: from-env", 1);
  config::Config config;
  config.set("chain.main.url-env", "JOBHOST_TEST_URL");
  config.add("chain.main.headers-env", "JOBHOST_TEST_HEADER");
  const auto chains = chains_from(config);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(chains[0].options.url, "https://node.example/rpc?key=abcd");
  EXPECT_EQ(chains[0].options.headers, (std::vector<std::pair<std::string, std::string>>{{"X-Api-Key", "from-env"}}));

  config.set("chain.main.url-env", "JOBHOST_TEST_UNSET");
  EXPECT_EQ(error_of(config), "chain.main.url-env: the environment variable JOBHOST_TEST_UNSET is not set");
  config.set("chain.main.url", "http://127.0.0.1:1");
  EXPECT_EQ(error_of(config), "chain.main.url-env: set beside chain.main.url (expected one of the two)");
  unsetenv("JOBHOST_TEST_URL");
  unsetenv("JOBHOST_TEST_HEADER");
}

TEST(ChainSecrets, AreTheUserInformationQueryValuesAndHeaderValues) {
  config::Config config;
  config.set("chain.main.url", "https://user:pa55word@node.example/rpc?key=abcd1234&x=1&bare-token");
  config.add("chain.main.headers", "Authorization: Bearer tok-5678");
  config.set("chain.local.url", "http://127.0.0.1:8545/");
  EXPECT_EQ(chain_secrets(chains_from(config)),
            (std::vector<std::string>{"user:pa55word", "pa55word", "abcd1234", "bare-token", "Bearer tok-5678"}))
      << "local has none; values under 4 characters are left out";
}

}  // namespace
}  // namespace jobhost::clients
