#include "common/listen_address.hpp"

#include <arpa/inet.h>

#include <charconv>

#include "jobhost/error.hpp"

namespace jobhost {

std::string ListenAddress::to_string() const {
  const std::string shown = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return shown + ":" + std::to_string(port);
}

ListenAddress parse_listen_address(std::string_view text, std::string_view what) {
  const auto fail = [&](const std::string& why) -> ListenAddress {
    throw ConfigError(std::string(what) + ": \"" + std::string(text) + "\" " + why +
                      " (expected PORT, ADDRESS:PORT or [IPV6]:PORT, e.g. 9100 or 0.0.0.0:9100)");
  };
  ListenAddress address{"127.0.0.1", 0};
  std::string_view port = text;
  const auto colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (!host.empty()) address.host = std::string(host);
  }
  int value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
    return fail("has no port from 1 to 65535");
  }
  address.port = value;
  unsigned char buffer[sizeof(in6_addr)];
  if (inet_pton(AF_INET, address.host.c_str(), buffer) != 1 && inet_pton(AF_INET6, address.host.c_str(), buffer) != 1) {
    return fail("does not name an IP address");
  }
  return address;
}

}  // namespace jobhost
