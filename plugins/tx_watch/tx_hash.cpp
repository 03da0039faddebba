#include "tx_hash.hpp"

namespace tx_watch {

std::optional<std::string> normalise_tx_hash(std::string_view text) {
  if (text.size() != 66 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  std::string hash = "0x";
  for (char c : text.substr(2)) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    hash += c;
  }
  return hash;
}

}  // namespace tx_watch
