#include "chain/json_rpc.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "jobhost/error.hpp"

namespace jobhost::chain::detail {
namespace {

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

// How deeply `body` nests arrays and objects, counting only brackets outside
// strings; stops counting once `limit` is exceeded.
std::size_t nesting_depth(std::string_view body, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

}  // namespace

std::string sanitize(std::string_view text, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(text.size(), max) + 8);
  for (char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string quote(std::string_view text, std::size_t max) { return '"' + sanitize(text, max) + '"'; }

std::string describe(const json& value) {
  if (value.is_string()) return quote(value.get_ref<const std::string&>());
  if (value.is_structured()) return kind_of(value);
  return value.dump();  // number, boolean, null: short and printable
}

std::string kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    default:
      return "an unexpected value";
  }
}

bool is_hash(std::string_view text) {
  if (text.size() != 66 || text[0] != '0' || text[1] != 'x') return false;
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (!is_hex_digit(text[i])) return false;
  }
  return true;
}

std::uint64_t parse_quantity(const json& value, std::string_view field, const std::string& context) {
  auto fail = [&](std::string_view why) -> TransportError {
    return TransportError(context + ": " + std::string(field) + ": expected a hex quantity (\"0x\" and 1 to 16 hex digits), got " +
                          describe(value) + std::string(why));
  };
  if (!value.is_string()) throw fail("");
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() < 3 || text[0] != '0' || text[1] != 'x') throw fail("");
  std::uint64_t result = 0;
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (!is_hex_digit(text[i])) throw fail("");
  }
  if (text.size() - 2 > 16) throw fail(" (more than 64 bits)");
  for (std::size_t i = 2; i < text.size(); ++i) result = (result << 4) | hex_value(text[i]);
  return result;
}

json make_request(std::uint64_t id, const std::string& method, json params) {
  json request = json::object();
  request["jsonrpc"] = "2.0";
  request["id"] = id;
  request["method"] = method;
  request["params"] = std::move(params);
  return request;
}

json parse_body(std::string_view body, const std::string& context) {
  if (body.empty()) throw TransportError(context + ": empty reply");
  if (nesting_depth(body, kMaxReplyDepth) > kMaxReplyDepth) {
    throw TransportError(context + ": reply nests arrays or objects more than " + std::to_string(kMaxReplyDepth) +
                         " levels deep");
  }
  try {
    return json::parse(body.begin(), body.end());
  } catch (const json::parse_error& e) {
    const std::string size = std::to_string(body.size());
    if (e.byte >= body.size()) {
      throw TransportError(context + ": reply is truncated JSON (ends after " + size + " bytes): " + quote(body));
    }
    throw TransportError(context + ": reply is not valid JSON (error at byte " + std::to_string(e.byte) + " of " + size +
                         "): " + quote(body));
  }
}

void check_reply(const json& reply, const std::string& context) {
  if (!reply.is_object()) {
    throw TransportError(context + ": reply is " + kind_of(reply) + ", not a JSON-RPC response object");
  }
  const auto version = reply.find("jsonrpc");
  if (version == reply.end()) throw TransportError(context + ": reply has no \"jsonrpc\" member");
  if (!version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    throw TransportError(context + ": reply has \"jsonrpc\": " + describe(*version) + ", expected \"2.0\"");
  }
  if (!reply.contains("id")) throw TransportError(context + ": reply has no \"id\" member");
  const auto result = reply.find("result");
  const auto error = reply.find("error");
  if (result != reply.end() && error != reply.end()) {
    throw TransportError(context + ": reply has both \"result\" and \"error\"");
  }
  if (result == reply.end() && error == reply.end()) {
    throw TransportError(context + ": reply has neither \"result\" nor \"error\"");
  }
  if (error != reply.end()) {
    if (!error->is_object()) throw TransportError(context + ": reply's \"error\" is " + kind_of(*error) + ", not an object");
    const auto code = error->find("code");
    if (code == error->end() || !code->is_number_integer() ||
        (code->is_number_unsigned() && code->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<long long>::max()))) {
      throw TransportError(context + ": reply's error object has no integer \"code\"");
    }
    const auto message = error->find("message");
    if (message == error->end() || !message->is_string()) {
      throw TransportError(context + ": reply's error object has no string \"message\"");
    }
  }
}

const json& result_of(const json& reply, const std::string& context) {
  const auto error = reply.find("error");
  if (error != reply.end()) {
    const auto code = error->at("code").get<long long>();
    throw RpcError(context + ": node error " + std::to_string(code) + ": " +
                       sanitize(error->at("message").get_ref<const std::string&>(), 200),
                   code);
  }
  return reply.at("result");
}

const json& single_result(const json& reply, std::uint64_t id, const std::string& context) {
  check_reply(reply, context);
  if (reply.contains("error")) return result_of(reply, context);  // throws
  const auto& reply_id = reply.at("id");
  if (!reply_id.is_number_unsigned() || reply_id.get<std::uint64_t>() != id) {
    throw TransportError(context + ": reply has id " + describe(reply_id) + ", expected " + std::to_string(id));
  }
  return result_of(reply, context);
}

std::vector<const json*> match_batch(const json& reply, const std::vector<std::uint64_t>& ids,
                                     const std::string& context) {
  if (!reply.is_array()) {
    // A node that refuses the whole batch (too large, rate limited) answers
    // with one error object; that is the node speaking, not a broken reply.
    if (reply.is_object() && reply.contains("error")) {
      check_reply(reply, context);
      result_of(reply, context);  // throws RpcError
    }
    throw TransportError(context + ": reply is " + kind_of(reply) + ", expected an array with one response per call");
  }
  std::unordered_map<std::uint64_t, std::size_t> position;
  position.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) position.emplace(ids[i], i);

  std::vector<const json*> matched(ids.size(), nullptr);
  for (const auto& item : reply) {
    check_reply(item, context);
    const auto& id = item.at("id");
    const auto found = id.is_number_unsigned() ? position.find(id.get<std::uint64_t>()) : position.end();
    if (found == position.end()) {
      throw TransportError(context + ": reply contains a response with id " + describe(id) + ", which no call had");
    }
    if (matched[found->second] != nullptr) {
      throw TransportError(context + ": reply contains more than one response with id " + describe(id));
    }
    matched[found->second] = &item;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (matched[i] == nullptr) {
      const auto missing = static_cast<std::size_t>(std::count(matched.begin(), matched.end(), nullptr));
      throw TransportError(context + ": reply lacks responses for " + std::to_string(missing) + " of " +
                           std::to_string(ids.size()) + " calls (first missing id " + std::to_string(ids[i]) + ")");
    }
  }
  return matched;
}

}  // namespace jobhost::chain::detail
