// Transaction hashes as other systems write them into the inbox.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tx_watch {

// "0x" (or "0X") and 64 hex digits in any case -> the same in lowercase;
// anything else -> nothing. `text` must already be trimmed.
std::optional<std::string> normalise_tx_hash(std::string_view text);

}  // namespace tx_watch
