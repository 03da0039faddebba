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
// With write_behind() (the host's side, whose senders are threads every
// plugin shares), no sender ever waits for the other end to read: what the
// socket does not take at once is written by the channel's own thread.
//
// Everything read is untrusted: a length over kMaxMessageBytes, bytes that
// are not MessagePack, or a message that is not a map with a string "t" (its
// type) throws ProtocolError, and the read_* helpers throw it for a missing or
// mistyped field, naming it. The host kills a worker that sends such a thing.
//
// Ownership: owns the descriptor and closes it.
// Thread-safety: send(), send_later(), flush(), wait_for_room() and
// stalled() may be called from any number of threads at once; receive(), has_buffered_input(),
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
#include <thread>
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
// Past this, senders wait for the writer (the peer is slow to read; with
// write-behind, only those that call wait_for_room()), and send_later() writes.
constexpr std::size_t kOutboxBytes = 1024 * 1024;

class MessageChannel {
 public:
  explicit MessageChannel(int fd) : fd_(fd) {}
  ~MessageChannel();
  MessageChannel(const MessageChannel&) = delete;
  MessageChannel& operator=(const MessageChannel&) = delete;

  // From now on a send never waits for the other end to read: what the
  // socket cannot take now is written by the channel's own thread (started
  // when first needed). When the other end has taken no byte for
  // `stall_limit` while bytes wait for it (zero: wait for ever), that thread
  // gives up: stalled() says so, and every send fails from then on. May be
  // called again to change the limit.
  void write_behind(std::chrono::milliseconds stall_limit);
  // Whether the write-behind thread gave up on the other end.
  bool stalled() const { return stalled_.load(); }
  // Waits while more than kOutboxBytes wait to leave: a sender that may wait
  // keeps the outbox bounded (with write-behind, send() does not wait).
  void wait_for_room();

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
  // Whether the outbox holds messages not written yet.
  bool has_unwritten_output();
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

  // How writing what was taken from the outbox went.
  enum class Written : std::uint8_t { all, socket_full, stalled, broken };

  // Whether a sender may add a frame now. With out_mutex_.
  bool has_room_locked() const { return broken_ || !writer_active_ || outbox_.size() < kOutboxBytes; }
  // Adds a message's frame to the outbox; false when the other end is gone.
  // Without write-behind, waits while a writer drains a full outbox.
  bool add(const std::vector<std::uint8_t>& frame, std::unique_lock<std::mutex>& lock);
  // Writes the outbox until it is empty, unless another thread is writing.
  bool write_outbox(std::unique_lock<std::mutex>& lock);
  // With the writer's role: writes until the outbox is empty, or, with
  // write-behind and not `on_behind_thread`, until the socket is full (the
  // role passes to the write-behind thread then).
  bool drain(std::unique_lock<std::mutex>& lock, bool on_behind_thread);
  // Writes writing_ from writing_offset_ on. Without the lock.
  Written write_taken(bool write_behind, bool may_wait, std::chrono::milliseconds stall_limit);
  void write_behind_loop();

  int fd_;
  std::mutex out_mutex_;
  std::condition_variable drained_;  // the writer took the outbox
  std::vector<std::uint8_t> outbox_;    // frames not written yet; guarded by out_mutex_
  std::vector<std::uint8_t> writing_;   // the frames being written, by the writer only
  std::size_t writing_offset_ = 0;      // how much of writing_ is written, by the writer only
  bool writer_active_ = false;          // guarded by out_mutex_
  bool broken_ = false;                 // the other end is gone; guarded by out_mutex_
  // Write-behind: guarded by out_mutex_, but stalled_.
  bool write_behind_ = false;
  std::chrono::milliseconds stall_limit_{0};
  bool behind_due_ = false;  // the writer's role was handed to behind_
  bool closing_ = false;
  std::atomic<bool> stalled_{false};
  std::condition_variable behind_wake_;
  std::thread behind_;
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
