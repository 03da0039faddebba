#include "chain/json_rpc.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "jobhost/error.hpp"

namespace jobhost::chain::detail {
namespace {

using ::testing::HasSubstr;

const std::string kContext = "chain main: eth_test";

// The message of the TransportError that parsing `value` as a quantity throws.
std::string quantity_error(const json& value) {
  try {
    parse_quantity(value, "result", kContext);
  } catch (const TransportError& e) {
    return e.what();
  }
  return "(no TransportError)";
}

TEST(ParseQuantity, Valid) {
  EXPECT_EQ(parse_quantity("0x0", "result", kContext), 0U);
  EXPECT_EQ(parse_quantity("0x1a", "result", kContext), 26U);
  EXPECT_EQ(parse_quantity("0x1A", "result", kContext), 26U);
  EXPECT_EQ(parse_quantity("0x00ff", "result", kContext), 255U);
  EXPECT_EQ(parse_quantity("0xffffffffffffffff", "result", kContext), std::numeric_limits<std::uint64_t>::max());
}

TEST(ParseQuantity, Invalid) {
  for (const json& value : {json(""), json("0x"), json("1a"), json("0xzz"), json("0x1g"), json(" 0x1"), json("0x1 "),
                            json("x0x1"), json("0X1a"), json("-0x1"), json("0x-1"), json(26), json(nullptr),
                            json::array({"0x1"}), json::object()}) {
    const auto message = quantity_error(value);
    EXPECT_THAT(message, HasSubstr("chain main: eth_test: result: expected a hex quantity")) << value.dump();
  }
}

TEST(ParseQuantity, Overflow) {
  EXPECT_THAT(quantity_error("0x10000000000000000"), HasSubstr("more than 64 bits"));
  EXPECT_THAT(quantity_error("0xffffffffffffffffff"), HasSubstr("more than 64 bits"));
}

TEST(IsHash, Cases) {
  const std::string digits(64, 'a');
  EXPECT_TRUE(is_hash("0x" + digits));
  EXPECT_TRUE(is_hash("0x" + std::string(64, 'F')));
  EXPECT_FALSE(is_hash(digits));
  EXPECT_FALSE(is_hash("0x" + digits.substr(1)));
  EXPECT_FALSE(is_hash("0x" + digits + "0"));
  EXPECT_FALSE(is_hash("0X" + digits));
  EXPECT_FALSE(is_hash("0x" + std::string(63, 'a') + "g"));
  EXPECT_FALSE(is_hash(""));
}

TEST(Sanitize, EscapesAndCaps) {
  EXPECT_EQ(sanitize("plain"), "plain");
  EXPECT_EQ(sanitize("a\nb\"c\\"), "a\\x0ab\\\"c\\\\");
  EXPECT_EQ(sanitize("\xff"), "\\xff");
  const auto long_text = sanitize(std::string(10000, 'x'));
  EXPECT_LE(long_text.size(), 110U);
  EXPECT_THAT(long_text, ::testing::EndsWith("..."));
}

TEST(ParseBody, Failures) {
  auto message = [](std::string_view body) -> std::string {
    try {
      parse_body(body, kContext);
    } catch (const TransportError& e) {
      return e.what();
    }
    return "(no TransportError)";
  };
  EXPECT_THAT(message(""), HasSubstr("empty reply"));
  EXPECT_THAT(message("{not json"), HasSubstr("not valid JSON"));
  EXPECT_THAT(message(R"({"jsonrpc":"2.0","id":)"), HasSubstr("truncated"));
  EXPECT_THAT(message(std::string(1000, '[') + std::string(1000, ']')), HasSubstr("levels deep"));
  // Brackets inside strings do not count as nesting.
  EXPECT_NO_THROW(parse_body("[\"" + std::string(1000, '[') + "\"]", kContext));
}

TEST(MatchBatch, MatchesByIdInAnyOrder) {
  const json reply = json::parse(R"([{"jsonrpc":"2.0","id":3,"result":"c"},
                                     {"jsonrpc":"2.0","id":1,"result":"a"},
                                     {"jsonrpc":"2.0","id":2,"result":"b"}])");
  const auto matched = match_batch(reply, {1, 2, 3}, kContext);
  ASSERT_EQ(matched.size(), 3U);
  EXPECT_EQ(*matched[0], reply[1]);
  EXPECT_EQ(*matched[1], reply[2]);
  EXPECT_EQ(*matched[2], reply[0]);
}

TEST(CheckReply, Malformed) {
  for (const char* text : {R"(1)", R"("x")", R"(null)", R"([])", R"({"id":1,"result":1})",
                           R"({"jsonrpc":"1.0","id":1,"result":1})", R"({"jsonrpc":2,"id":1,"result":1})",
                           R"({"jsonrpc":"2.0","result":1})", R"({"jsonrpc":"2.0","id":1})",
                           R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}})",
                           R"({"jsonrpc":"2.0","id":1,"error":"boom"})",
                           R"({"jsonrpc":"2.0","id":1,"error":{"code":"1","message":"m"}})",
                           R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}})",
                           R"({"jsonrpc":"2.0","id":1,"error":{"code":1}})"}) {
    EXPECT_THROW(check_reply(json::parse(text), kContext), TransportError) << text;
  }
}

}  // namespace
}  // namespace jobhost::chain::detail
