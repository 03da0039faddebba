#include "logging/redacting_sink.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

namespace jobhost::logging {
namespace {

TEST(RedactingSink, EverySecretInALineIsWrittenAsStars) {
  std::ostringstream out;
  auto inner = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  inner->set_pattern("%v");
  spdlog::logger log("test", redacting(inner, {"s3cret", "user:s3cret", "tok"}));
  log.info("GET https://user:s3cret@node/?key=tok failed; s3cret again");
  log.info("nothing to hide");
  EXPECT_EQ(out.str(), "GET https://***@node/?key=*** failed; *** again\nnothing to hide\n");
}

TEST(RedactingSink, NoSecretsNoWrapper) {
  auto inner = std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout);
  EXPECT_EQ(redacting(inner, {}), inner);
}

TEST(Redact, ReplacesOverlappingAndRepeatedSecrets) {
  EXPECT_EQ(redact("aaaa aaaa", {"aaaa"}), "*** ***");
  EXPECT_EQ(redact("no secret", {"hidden"}), "no secret");
}

}  // namespace
}  // namespace jobhost::logging
