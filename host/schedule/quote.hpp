// Quoting user-supplied text inside error messages.
#pragma once

#include <string>
#include <string_view>

namespace jobhost::schedule {

// `text` between double quotes, with quotes, backslashes and control
// characters escaped so that a message stays on one line. Other bytes
// (including UTF-8) are kept as they are.
inline std::string quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace jobhost::schedule
