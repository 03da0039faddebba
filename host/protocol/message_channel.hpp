// MessageChannel: one end of the socket between the host and a plugin's
// worker process (docs/isolation.md lists the messages), carrying messages as MessagePack maps (nlohmann::json's
// encoder), each preceded by its length as 4 bytes, big-endian.
//
// Everything read is untrusted: a length over kMaxMessageBytes, bytes that
// are not MessagePack, or a message that is not a map with a string "t" (its
// type) throws ProtocolError, and the read_* helpers throw it for a missing or
// mistyped field, naming it. The host kills a worker that sends such a thing.
//
// Ownership: owns the descriptor and closes it.
// Thread-safety: send() may be called from any number of threads at once;
// receive() by one thread at a time; close_for_reading() from any thread, to
// end a receive() that blocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace jobhost::protocol {

using Message = nlohmann::json;

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr std::uint32_t kMaxMessageBytes = 16 * 1024 * 1024;

class MessageChannel {
 public:
  explicit MessageChannel(int fd) : fd_(fd) {}
  ~MessageChannel();
  MessageChannel(const MessageChannel&) = delete;
  MessageChannel& operator=(const MessageChannel&) = delete;

  // Sends one message; false when the other end is gone (never raises SIGPIPE).
  bool send(const Message& message);
  // The next message, or nothing at the end of the stream (the other end
  // closed it, or close_for_reading() was called). Throws ProtocolError.
  std::optional<Message> receive();
  // Makes a blocked receive() return nothing, and every later send() fail.
  void close_for_reading();
  // From now on receive() throws ProtocolError when a message takes longer
  // than `timeout` to arrive; zero waits for ever (the default).
  void set_receive_timeout(std::chrono::milliseconds timeout);

 private:
  // Reads exactly `size` bytes; false at the end of the stream.
  bool read_exactly(void* into, std::size_t size);

  int fd_;
  std::mutex send_mutex_;
  // Bytes received and not yet taken: one recv() usually brings a whole
  // message, often several. Used by receive() only.
  static constexpr std::size_t kBufferBytes = 16 * 1024;
  std::unique_ptr<std::uint8_t[]> buffer_ = std::make_unique_for_overwrite<std::uint8_t[]>(kBufferBytes);
  std::size_t buffered_start_ = 0;
  std::size_t buffered_end_ = 0;
};

// The fields of a received message, checked: each throws ProtocolError naming
// the field and what was expected when it is missing or of another type.
std::string read_string(const Message& message, const char* field);
std::uint64_t read_unsigned(const Message& message, const char* field);
std::int64_t read_integer(const Message& message, const char* field);
bool read_bool(const Message& message, const char* field);
const Message& read_object(const Message& message, const char* field);
const Message& read_array(const Message& message, const char* field);
// A map of strings to strings ({} when the field is absent).
std::map<std::string, std::string> read_string_map(const Message& message, const char* field);

}  // namespace jobhost::protocol
