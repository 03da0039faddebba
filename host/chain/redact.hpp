// Keeping credentials out of logs and messages.
#pragma once

#include <string>
#include <string_view>

namespace jobhost::chain {

// `url` with any user:password@ part replaced by "***@" and the value of every
// query parameter replaced by "***" (API keys often travel there), e.g.
//   https://user:secret@node.example/rpc?key=abc  ->  https://***@node.example/rpc?key=***
std::string redact_url(std::string_view url);

}  // namespace jobhost::chain
