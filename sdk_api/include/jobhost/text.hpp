// Small text helpers for plugins and the host alike: quoting a value inside
// an error message, trimming blanks.
//
// Header-only, free functions without state: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace jobhost {

// `text` between double quotes, with quotes, backslashes and control
// characters escaped (\x1b) so that a message stays on one line and prints
// no terminal escapes. Other bytes (including UTF-8) are kept as they are.
inline std::string quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
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

// `text` without leading and trailing white space (space, \t, \n, \v, \f, \r).
inline std::string_view trim(std::string_view text) {
  constexpr std::string_view kBlank = " \t\n\v\f\r";
  const auto first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
}

}  // namespace jobhost
