#include "tx_hash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tx_watch {
namespace {

const std::string kDigits = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

TEST(NormaliseTxHash, AcceptsAnyCaseAndReturnsLowercase) {
  EXPECT_EQ(normalise_tx_hash("0x" + kDigits), "0x" + kDigits);
  EXPECT_EQ(normalise_tx_hash("0x00112233445566778899AABBCCDDEEFF00112233445566778899aAbBcCdDeEfF"), "0x" + kDigits);
  EXPECT_EQ(normalise_tx_hash("0X" + kDigits), "0x" + kDigits);
}

TEST(NormaliseTxHash, RejectsAnythingElse) {
  EXPECT_EQ(normalise_tx_hash(""), std::nullopt);
  EXPECT_EQ(normalise_tx_hash(kDigits), std::nullopt);                   // no prefix
  EXPECT_EQ(normalise_tx_hash("0x" + kDigits.substr(1)), std::nullopt);  // 63 digits
  EXPECT_EQ(normalise_tx_hash("0x" + kDigits + "0"), std::nullopt);      // 65 digits
  EXPECT_EQ(normalise_tx_hash("0x" + kDigits.substr(1) + "g"), std::nullopt);
  EXPECT_EQ(normalise_tx_hash("1x" + kDigits), std::nullopt);
  EXPECT_EQ(normalise_tx_hash(" 0x" + kDigits.substr(1)), std::nullopt);
}

}  // namespace
}  // namespace tx_watch
