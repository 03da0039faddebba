// JSON-RPC 2.0 building blocks of the chain SDK, internal to host/chain: request
// construction and the strict validation of everything a node sends back.
//
// Every function that can fail takes `context` — "chain NAME: METHOD" — and
// throws TransportError (a reply that is not what the protocol promises) or
// RpcError (the node's own error object) whose message starts with it. Quoted
// pieces of a reply are escaped and capped, so a hostile or broken node can
// neither flood a log line nor inject control characters into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace jobhost::chain::detail {

using json = nlohmann::json;

// Replies nested deeper than this are refused before parsing: the parser is
// iterative, but copying and printing a value recurse.
inline constexpr std::size_t kMaxReplyDepth = 128;

// `text` made printable (control and non-ASCII bytes escaped as \xNN, quotes
// and backslashes escaped) and cut to about `max` characters with "..." when
// longer.
std::string sanitize(std::string_view text, std::size_t max = 100);

// sanitize(text, max) in double quotes.
std::string quote(std::string_view text, std::size_t max = 100);

// "an object", "an array", "a string", "a number", "a boolean", "null".
std::string kind_of(const json& value);

// A value for messages: a string quoted, a number, boolean or null as JSON,
// an array or object by its kind only.
std::string describe(const json& value);

// "0x" followed by exactly 64 hex digits (either case).
bool is_hash(std::string_view text);

// An Ethereum quantity: a JSON string "0x" followed by 1 to 16 hex digits
// (either case). Throws TransportError "CONTEXT: FIELD: expected ..." when
// `value` is anything else.
std::uint64_t parse_quantity(const json& value, std::string_view field, const std::string& context);

// A {"jsonrpc":"2.0","id":ID,"method":METHOD,"params":PARAMS} object.
json make_request(std::uint64_t id, const std::string& method, json params);

// Parses a reply body: empty, too deeply nested, malformed and truncated text
// are TransportErrors.
json parse_body(std::string_view body, const std::string& context);

// Checks that `reply` is one well-formed JSON-RPC 2.0 response object: an
// object with "jsonrpc":"2.0", an "id", and exactly one of "result" and
// "error", the latter an object with an integer "code" and a string
// "message". Throws TransportError otherwise.
void check_reply(const json& reply, const std::string& context);

// The result of a checked reply, or RpcError(CONTEXT: node error CODE:
// MESSAGE, CODE) when it carries an error object.
const json& result_of(const json& reply, const std::string& context);

// The result of the reply to the single request `id`. An error object is an
// RpcError even when its id is null (as nodes send for unparsable requests).
const json& single_result(const json& reply, std::uint64_t id, const std::string& context);

// Matches a batch reply to the request ids: `reply` must be an array with
// exactly one checked reply per id, in any order, and nothing else. Returns
// pointers into `reply`, in the order of `ids`. A lone error object instead of
// an array (a node refusing the whole batch) is an RpcError.
std::vector<const json*> match_batch(const json& reply, const std::vector<std::uint64_t>& ids,
                                     const std::string& context);

}  // namespace jobhost::chain::detail
