#include "common/listen_address.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_listen_address(text, "http");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ListenAddress, APortAloneListensOnLoopback) {
  EXPECT_EQ(parse_listen_address("9100", "http").to_string(), "127.0.0.1:9100");
  EXPECT_EQ(parse_listen_address(":9100", "http").to_string(), "127.0.0.1:9100");
}

TEST(ListenAddress, TakesIPv4AndIPv6Addresses) {
  EXPECT_EQ(parse_listen_address("0.0.0.0:80", "http").to_string(), "0.0.0.0:80");
  const ListenAddress v6 = parse_listen_address("[::1]:9100", "http");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.to_string(), "[::1]:9100");
}

TEST(ListenAddress, RefusesWhatIsNotAnAddressAndPort) {
  EXPECT_EQ(error_of("localhost:9100"),
            "http: \"localhost:9100\" does not name an IP address (expected PORT, ADDRESS:PORT or [IPV6]:PORT, "
            "e.g. 9100 or 0.0.0.0:9100)");
  EXPECT_NE(error_of("0.0.0.0:").find("has no port from 1 to 65535"), std::string::npos);
  EXPECT_NE(error_of("70000").find("has no port from 1 to 65535"), std::string::npos);
  EXPECT_NE(error_of("12ab").find("has no port"), std::string::npos);
  EXPECT_NE(error_of("").find("has no port"), std::string::npos);
}

}  // namespace
}  // namespace jobhost
