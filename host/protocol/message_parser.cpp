#include "protocol/message_parser.hpp"

#include <string>
#include <utility>

namespace jobhost::protocol {
namespace {

// Builds the Message from nlohmann's reading events (its SAX interface),
// checking each value against the bounds before it is added.
class BoundedReader {
 public:
  enum class Bound { none, depth, memory };

  explicit BoundedReader(Message& root) : root_(root) {}

  bool null() { return add(nullptr, kValueBytes); }
  bool boolean(bool value) { return add(value, kValueBytes); }
  bool number_integer(Message::number_integer_t value) { return add(value, kValueBytes); }
  bool number_unsigned(Message::number_unsigned_t value) { return add(value, kValueBytes); }
  bool number_float(Message::number_float_t value, const Message::string_t&) { return add(value, kValueBytes); }
  bool string(Message::string_t& value) {
    const std::size_t bytes = kValueBytes + kBlockBytes + value.size();
    return add(std::move(value), bytes);
  }
  bool binary(Message::binary_t& value) {
    const std::size_t bytes = kValueBytes + kBlockBytes + value.size();
    return add(std::move(value), bytes);
  }
  bool start_object(std::size_t) { return open(Message::object()); }
  bool start_array(std::size_t) { return open(Message::array()); }
  bool key(Message::string_t& name) {
    if (!take(kBlockBytes + name.size())) return false;
    next_in_object_ = &(*open_.back())[name];
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) {
    return false;
  }

  // The bound that stopped the reading short of the end, if one did.
  Bound passed() const { return passed_; }

 private:
  // What a value takes once read, measured with nlohmann 3.11 on x86-64:
  // the value itself, with room for its array to grow into, and the block a
  // string, a map, an array or a map's entry allocates (with the
  // allocator's own bytes).
  static constexpr std::size_t kValueBytes = 32;
  static constexpr std::size_t kBlockBytes = 96;

  bool take(std::size_t bytes) {
    memory_ += bytes;
    if (memory_ <= kMaxMessageMemory) return true;
    passed_ = Bound::memory;
    return false;
  }
  // Puts `value` where the reading is: the root, the end of the array being
  // read, or the map entry whose key came last. The containers open_ points
  // to stay where they are: only the innermost one grows.
  Message* place(Message&& value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Message& container = *open_.back();
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    *next_in_object_ = std::move(value);
    return next_in_object_;
  }
  template <class Value>
  bool add(Value&& value, std::size_t bytes) {
    if (!take(bytes)) return false;
    place(Message(std::forward<Value>(value)));
    return true;
  }
  bool open(Message&& container) {
    if (open_.size() == kMaxMessageDepth) {
      passed_ = Bound::depth;
      return false;
    }
    if (!take(kValueBytes + kBlockBytes)) return false;
    open_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  Message& root_;
  std::vector<Message*> open_;  // the arrays and maps being read, outermost first
  Message* next_in_object_ = nullptr;
  std::size_t memory_ = 0;
  Bound passed_ = Bound::none;
};

}  // namespace

Message parse_message(const std::vector<std::uint8_t>& body) {
  Message message;
  BoundedReader reader(message);
  const bool read = Message::sax_parse(body, &reader, Message::input_format_t::msgpack, /*strict=*/true);
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
