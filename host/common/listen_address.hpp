// ListenAddress: where a server listens, as people write it: "9100" or
// ":9100" (loopback only), "0.0.0.0:9100", "[::1]:9100".
#pragma once

#include <string>
#include <string_view>

namespace jobhost {

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 address, without brackets
  int port = 0;

  // "127.0.0.1:9100", "[::1]:9100".
  std::string to_string() const;
};

// Throws ConfigError naming `what` and what was expected.
ListenAddress parse_listen_address(std::string_view text, std::string_view what);

}  // namespace jobhost
