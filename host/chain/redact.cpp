#include "chain/redact.hpp"

#include <cctype>

namespace jobhost::chain {
namespace {

// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
bool is_scheme(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  out.reserve(url.size() + 8);

  // The fragment never reaches the server and is dropped.
  url = url.substr(0, url.find('#'));

  std::size_t authority_begin = 0;
  if (const auto separator = url.find("://"); separator != std::string_view::npos && is_scheme(url.substr(0, separator))) {
    authority_begin = separator + 3;
  }
  out.append(url.substr(0, authority_begin));
  url.remove_prefix(authority_begin);

  // Authority: up to the path or the query. Its user information ends at the
  // last '@' (an unencoded '@' in a password is common enough).
  const auto authority_end = url.find_first_of("/?");
  const auto authority = url.substr(0, authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    out += "***@";
    out.append(authority.substr(at + 1));
  } else {
    out.append(authority);
  }
  if (authority_end == std::string_view::npos) return out;
  url.remove_prefix(authority_end);

  const auto query_begin = url.find('?');
  out.append(url.substr(0, query_begin));
  if (query_begin == std::string_view::npos) return out;
  out += '?';
  std::string_view query = url.substr(query_begin + 1);
  for (bool first = true;; first = false) {
    const auto amp = query.find('&');
    const auto parameter = query.substr(0, amp);
    if (!first) out += '&';
    if (const auto eq = parameter.find('='); eq != std::string_view::npos) {
      out.append(parameter.substr(0, eq + 1));
      out += "***";
    } else if (!parameter.empty()) {
      out += "***";  // a bare token ("?KEY") is as likely to be a secret as a value
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace jobhost::chain
