#include "protocol/message_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jobhost::protocol {
namespace {

std::string error_of(const std::vector<std::uint8_t>& body) {
  try {
    parse_message(body);
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "";
}

// A MessagePack array (array 32) of `count` copies of the one-byte value `item`.
std::vector<std::uint8_t> array_of(std::uint32_t count, std::uint8_t item) {
  std::vector<std::uint8_t> body{0xdd, static_cast<std::uint8_t>(count >> 24), static_cast<std::uint8_t>(count >> 16),
                                 static_cast<std::uint8_t>(count >> 8), static_cast<std::uint8_t>(count)};
  body.insert(body.end(), count, item);
  return body;
}

TEST(MessageParserTest, ReadsWhatNlohmannWrites) {
  const Message message = {{"t", "jobs"},
                           {"n", -3},
                           {"u", 1u << 31},
                           {"f", 0.5},
                           {"ok", true},
                           {"none", nullptr},
                           {"list", {1, "two", {{"three", Message::array({3})}}}},
                           {"bytes", Message::binary({1, 2, 3})}};
  EXPECT_EQ(parse_message(Message::to_msgpack(message)), message);
}

TEST(MessageParserTest, RefusesBytesThatAreNotMessagePack) {
  EXPECT_EQ(error_of({0xc1}), "a message that is not MessagePack");  // a byte MessagePack never uses
  EXPECT_EQ(error_of({0x92, 0x01}), "a message that is not MessagePack");  // an array cut short
  EXPECT_EQ(error_of({0x01, 0x02}), "a message that is not MessagePack");  // more after the message
}

// nlohmann's reader descends by recursion: 100,000 nested arrays (100 KB)
// would overflow the stack of the thread reading them.
TEST(MessageParserTest, RefusesNestingDeeperThanTheBoundWithoutDescendingIntoIt) {
  std::vector<std::uint8_t> body(100000, 0x91);  // an array holding an array holding ...
  body.push_back(0xc0);
  EXPECT_EQ(error_of(body), "a message that nests arrays or maps more than 32 levels deep");

  std::vector<std::uint8_t> deepest(kMaxMessageDepth, 0x91);
  deepest.push_back(0xc0);
  EXPECT_NO_THROW(parse_message(deepest));
  deepest.insert(deepest.begin(), 0x91);  // one level more
  EXPECT_EQ(error_of(deepest), "a message that nests arrays or maps more than 32 levels deep");
}

// 16 MiB of empty maps would take over 2 GiB once read.
TEST(MessageParserTest, RefusesAMessageThatWouldTakeMoreMemoryThanTheBound) {
  EXPECT_EQ(error_of(array_of(kMaxMessageBytes - 5, 0x80)), "a message that would take more than 128 MiB once read");
  EXPECT_EQ(error_of(array_of(kMaxMessageBytes - 5, 0xa0)), "a message that would take more than 128 MiB once read");
}

TEST(MessageParserTest, ReadsTheLargestMessagesTheProtocolCarries) {
  // A log line of almost 16 MiB.
  const Message line = {{"t", "log"}, {"text", std::string(kMaxMessageBytes - 64, 'x')}};
  EXPECT_EQ(parse_message(Message::to_msgpack(line)), line);
  // A million small numbers (the ids of runs that ended).
  EXPECT_EQ(parse_message(array_of(1000000, 0x07)).size(), 1000000u);
  // A transaction lookup of 100,000 hashes.
  Message call = {{"t", "call"}, {"hashes", Message::array()}};
  for (int i = 0; i < 100000; ++i) call["hashes"].push_back("0x" + std::string(64, 'a'));
  EXPECT_EQ(parse_message(Message::to_msgpack(call)), call);
}

}  // namespace
}  // namespace jobhost::protocol
