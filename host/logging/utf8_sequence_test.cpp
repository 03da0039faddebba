#include "logging/utf8_sequence.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jobhost::logging {
namespace {

std::size_t length_of(const std::string& bytes) { return utf8_sequence_length(bytes.data(), bytes.data() + bytes.size()); }

TEST(Utf8Sequence, CharactersOfOneToFourBytes) {
  EXPECT_EQ(length_of("a"), 1u);
  EXPECT_EQ(length_of("\xc3\xa9"), 2u);          // é
  EXPECT_EQ(length_of("\xe2\x82\xac"), 3u);      // €
  EXPECT_EQ(length_of("\xf0\x9f\x98\x80"), 4u);  // 😀
  EXPECT_EQ(length_of("\xf4\x8f\xbf\xbf"), 4u);  // U+10FFFF
  EXPECT_EQ(length_of("\xc3\xa9tail"), 2u);      // only the first character
}

TEST(Utf8Sequence, BytesThatAreNotACharacter) {
  EXPECT_EQ(length_of("\x80"), 0u);              // a stray continuation byte
  EXPECT_EQ(length_of("\xff"), 0u);
  EXPECT_EQ(length_of("\xe2\x82"), 0u);          // cut short
  EXPECT_EQ(length_of("\xe2\x28\xac"), 0u);      // not a continuation
  EXPECT_EQ(length_of("\xc0\xaf"), 0u);          // overlong "/"
  EXPECT_EQ(length_of("\xe0\x80\xaf"), 0u);      // overlong, three bytes
  EXPECT_EQ(length_of("\xf0\x80\x80\xaf"), 0u);  // overlong, four bytes
  EXPECT_EQ(length_of("\xed\xa0\x80"), 0u);      // a surrogate (U+D800)
  EXPECT_EQ(length_of("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
}

}  // namespace
}  // namespace jobhost::logging
