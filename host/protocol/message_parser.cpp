#include "protocol/message_parser.hpp"

#include <string>

namespace jobhost::protocol {
namespace {

// nlohmann's own reader of values into a Message, behind a check of each
// value against the bounds before it is read.
class BoundedReader {
 public:
  using Dom = nlohmann::detail::json_sax_dom_parser<Message>;

  explicit BoundedReader(Message& into) : dom_(into, /*allow_exceptions=*/false) {}

  bool null() { return take(kValueBytes) && dom_.null(); }
  bool boolean(bool value) { return take(kValueBytes) && dom_.boolean(value); }
  bool number_integer(Message::number_integer_t value) { return take(kValueBytes) && dom_.number_integer(value); }
  bool number_unsigned(Message::number_unsigned_t value) { return take(kValueBytes) && dom_.number_unsigned(value); }
  bool number_float(Message::number_float_t value, const Message::string_t& text) {
    return take(kValueBytes) && dom_.number_float(value, text);
  }
  bool string(Message::string_t& value) { return take(kValueBytes + kBlockBytes + value.size()) && dom_.string(value); }
  bool binary(Message::binary_t& value) { return take(kValueBytes + kBlockBytes + value.size()) && dom_.binary(value); }
  bool key(Message::string_t& value) { return take(kBlockBytes + value.size()) && dom_.key(value); }
  bool start_object(std::size_t size) { return descend() && take(kValueBytes + kBlockBytes) && dom_.start_object(size); }
  bool start_array(std::size_t size) { return descend() && take(kValueBytes + kBlockBytes) && dom_.start_array(size); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& error) {
    return dom_.parse_error(position, token, error);
  }

  enum class Bound { none, depth, memory };
  // The bound that stopped the reading short of the end, if one did.
  Bound passed() const { return passed_; }

 private:
  // What a value takes once read, measured with nlohmann 3.11 on x86-64:
  // the value itself, and the block a string, a map, an array or a map's
  // entry allocates (with the allocator's own bytes).
  static constexpr std::size_t kValueBytes = 16;
  static constexpr std::size_t kBlockBytes = 96;

  bool take(std::size_t bytes) {
    memory_ += bytes;
    if (memory_ <= kMaxMessageMemory) return true;
    passed_ = Bound::memory;
    return false;
  }
  bool descend() {
    if (++depth_ <= kMaxMessageDepth) return true;
    passed_ = Bound::depth;
    return false;
  }

  Dom dom_;
  std::size_t depth_ = 0;
  std::size_t memory_ = 0;
  Bound passed_ = Bound::none;
};

}  // namespace

Message parse_message(const std::vector<std::uint8_t>& body) {
  Message message;
  BoundedReader reader(message);
  const bool read = Message::sax_parse(body, &reader, nlohmann::detail::input_format_t::msgpack, /*strict=*/true);
  if (reader.passed() == BoundedReader::Bound::depth) {
    throw ProtocolError("a message that nests arrays or maps more than " + std::to_string(kMaxMessageDepth) +
                        " levels deep");
  }
  if (reader.passed() == BoundedReader::Bound::memory) {
    throw ProtocolError("a message that would take more than " + std::to_string(kMaxMessageMemory >> 20) +
                        " MiB once read");
  }
  if (!read) throw ProtocolError("a message that is not MessagePack");
  return message;
}

}  // namespace jobhost::protocol
