// MessageChannel: one end of the socket between the host and a plugin's
// worker process (docs/isolation.md lists the messages), carrying messages as MessagePack maps (nlohmann::json's
// encoder), each preceded by its length as 4 bytes, big-endian.
//
// Messages leave through an outbox: send() adds its message and writes the
// outbox unless another thread is writing it already (that thread takes the
// message along), so that messages sent at once from many threads leave in
// few writes; send_later() only adds, for a sender that knows a flush()
// follows soon. Messages leave in the order they were added.
//
// Everything read is untrusted: a length over kMaxMessageBytes, bytes that
// are not MessagePack, or a message that is not a map with a string "t" (its
// type) throws ProtocolError, and the read_* helpers throw it for a missing or
// mistyped field, naming it. The host kills a worker that sends such a thing.
//
// Ownership: owns the descriptor and closes it.
// Thread-safety: send(), send_later() and flush() may be called from any
// number of threads at once; receive(), has_buffered_input(),
// wait_for_input() and spin_for_input() by one thread at a time;
// close_for_reading() from any thread, to end a receive() that blocks.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jobhost::protocol {

using Message = nlohmann::json;

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by receive() when no byte of a next message came within the receive
// timeout: the other end is silent.
class ReceiveTimeout : public ProtocolError {
 public:
  ReceiveTimeout() : ProtocolError("no message in the time allowed") {}
};

// Thrown by receive() when a message stopped coming halfway for the receive
// timeout: the other end stopped in the middle of writing it.
class MessageStalled : public ProtocolError {
 public:
  MessageStalled() : ProtocolError("a message stopped coming halfway") {}
};

constexpr std::uint32_t kMaxMessageBytes = 16 * 1024 * 1024;
// Past this, senders wait for the writer (the peer is slow to read), and
// send_later() writes.
constexpr std::size_t kOutboxBytes = 1024 * 1024;

class MessageChannel {
 public:
  explicit MessageChannel(int fd) : fd_(fd) {}
  ~MessageChannel();
  MessageChannel(const MessageChannel&) = delete;
  MessageChannel& operator=(const MessageChannel&) = delete;

  // Sends one message, and any added before it; false when the other end is
  // gone (never raises SIGPIPE). Returns once the message is written, or
  // handed to the thread writing now.
  bool send(const Message& message);
  // Adds a message to the outbox without writing it: the next send() or
  // flush() writes it. False when the other end is gone.
  bool send_later(const Message& message);
  // Writes what the outbox holds (see send()); false when the other end is
  // gone.
  bool flush();
  // Sends a small message only if that cannot block: nothing else is being
  // written or waits to be, and the socket has room (a peer that reads
  // nothing leaves it none). False when it was not sent.
  bool try_send(const Message& message);
  // Whether the outbox holds messages not written yet.
  bool has_unwritten_output();
  // How many bytes have been written so far: when it stays the same while
  // messages wait, the other end reads nothing.
  std::uint64_t bytes_written() const { return bytes_written_.load(std::memory_order_relaxed); }
  // The next message, or nothing at the end of the stream (the other end
  // closed it, or close_for_reading() was called). Throws ProtocolError
  // (ReceiveTimeout or MessageStalled past the receive timeout); after a
  // ReceiveTimeout, receive() may be called again.
  std::optional<Message> receive();
  // Makes a blocked receive() return nothing, and every later send() fail.
  void close_for_reading();
  // Whether bytes have been read that receive() has not returned yet: the
  // next message, or part of it, came with the last one.
  bool has_buffered_input() const { return buffered_end_ > buffered_start_; }
  // Waits up to `timeout` for something to receive (or the end of the
  // stream); false when nothing came.
  bool wait_for_input(std::chrono::milliseconds timeout);
  // Checks for something to receive, without sleeping, until `budget` has
  // passed: a thread that keeps its core takes a reply that comes meanwhile
  // without being woken. False when nothing came.
  bool spin_for_input(std::chrono::nanoseconds budget);
  // From now on receive() throws when a message takes longer than `timeout`
  // to arrive; zero waits for ever (the default).
  void set_receive_timeout(std::chrono::milliseconds timeout);

 private:
  // Reads exactly `size` bytes; false at the end of the stream. `first`: the
  // bytes begin a message, so a timeout before any came is a ReceiveTimeout.
  bool read_exactly(void* into, std::size_t size, bool first = false);

  // Adds a message's frame to the outbox; false when the other end is gone. Waits while a writer drains a full outbox.
  bool add(const std::vector<std::uint8_t>& frame, std::unique_lock<std::mutex>& lock);
  // Writes the outbox until it is empty, unless another thread is writing.
  bool write_outbox(std::unique_lock<std::mutex>& lock);

  int fd_;
  std::mutex out_mutex_;
  std::condition_variable drained_;  // the writer took the outbox
  std::vector<std::uint8_t> outbox_;    // frames not written yet; guarded by out_mutex_
  std::vector<std::uint8_t> writing_;   // the frames being written, by the writer only
  bool writer_active_ = false;          // guarded by out_mutex_
  bool broken_ = false;                 // the other end is gone; guarded by out_mutex_
  std::atomic<std::uint64_t> bytes_written_{0};
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
