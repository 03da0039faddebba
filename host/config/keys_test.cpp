#include "config/keys.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost::config {
namespace {

TEST(Keys, AcceptsTheHostsKeysJobKeysAndPluginSettings) {
  for (const char* key : {"plugin-dir", "optional-plugin-dir", "workers", "state-dir", "shutdown-timeout", "log.level",
                          "log.level.hello.greet",
                          "log.file", "log.max-size", "log.max-files", "log.format", "job.hello.greet.schedule",
                          "job.hello.greet.anything", "hello.greeting", "tx_watch.nested.key", "clients-eager",
                          "log.sdk-file", "chain.main.url", "chain.main.timeout", "chain.main.headers",
                          "chain.main.batch-size", "chain.main.log-file", "tz", "job.hello.greet.tz",
                          "insecure-plugins", "plugin-sha256", "watch-plugins", "drain-timeout", "plugin-debounce",
                          "isolation", "isolation.tx_watch", "worker-memory-max", "worker-ping-interval"}) {
    EXPECT_NO_THROW(check_key(key, "test")) << key;
  }
}

TEST(Keys, RejectsMisspeltKeysNamingTheOrigin) {
  for (const char* key : {"worker", "log.levle", "job.hello", "job.hello.greet", "", ".x", "x.", "a..b", "chain.main", "chain.main.uri",
                          "chain.a.b.url", "timezone", "isolation.a.b"}) {
    EXPECT_THROW(check_key(key, "test"), ConfigError) << key;
  }
  try {
    check_key("wokers", "config file a.ini");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("config file a.ini: unknown key \"wokers\""), 0u) << e.what();
  }
}

TEST(Keys, PluginDirsAndHeadersHoldSeveralValues) {
  EXPECT_TRUE(is_multi_valued("plugin-dir"));
  EXPECT_TRUE(is_multi_valued("optional-plugin-dir"));
  EXPECT_TRUE(is_multi_valued("chain.main.headers"));
  EXPECT_FALSE(is_multi_valued("chain.main.url"));
  EXPECT_FALSE(is_multi_valued("workers"));
}

TEST(Keys, PluginOfKeyNamesThePluginOfItsOwnKeysOnly) {
  EXPECT_EQ(plugin_of_key("hello.greeting"), "hello");
  EXPECT_EQ(plugin_of_key("tx_watch.nested.key"), "tx_watch");
  for (const char* key : {"workers", "log.level", "job.hello.greet.schedule", "isolation.hello", "chain.main.url"}) {
    EXPECT_FALSE(plugin_of_key(key)) << key;
  }
}

}  // namespace
}  // namespace jobhost::config
