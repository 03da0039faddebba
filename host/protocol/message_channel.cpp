#include "protocol/message_channel.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "protocol/message_parser.hpp"

namespace jobhost::protocol {
namespace {

// A printable hint of what came instead: the type name nlohmann gives.
std::string what_came(const Message& value) { return value.type_name(); }

const Message& field_of(const Message& message, const char* field) {
  const auto it = message.find(field);
  if (it == message.end()) {
    throw ProtocolError("message \"" + message.value("t", std::string("?")) + "\" has no field \"" + field + "\"");
  }
  return *it;
}

[[noreturn]] void wrong_type(const Message& message, const char* field, const char* expected) {
  throw ProtocolError("message \"" + message.value("t", std::string("?")) + "\": field \"" + field + "\" is " +
                      what_came(message[field]) + ", expected " + expected);
}

// The frame of `message`: its length as 4 bytes, big-endian, then its
// MessagePack; nothing when it is too large.
std::optional<std::vector<std::uint8_t>> frame_of(const Message& message) {
  std::vector<std::uint8_t> frame;
  frame.reserve(256);  // most messages fit: no growing one byte at a time
  frame.resize(4);
  Message::to_msgpack(message, frame);
  const std::size_t body = frame.size() - 4;
  if (body > kMaxMessageBytes) return std::nullopt;
  const auto size = static_cast<std::uint32_t>(body);
  frame[0] = static_cast<std::uint8_t>(size >> 24);
  frame[1] = static_cast<std::uint8_t>(size >> 16);
  frame[2] = static_cast<std::uint8_t>(size >> 8);
  frame[3] = static_cast<std::uint8_t>(size);
  return frame;
}

}  // namespace

MessageChannel::~MessageChannel() {
  if (behind_.joinable()) {
    {
      std::lock_guard lock(out_mutex_);
      closing_ = true;
    }
    behind_wake_.notify_all();
    ::shutdown(fd_, SHUT_RDWR);  // ends a wait for room in the socket
    behind_.join();
  }
  ::close(fd_);
}

void MessageChannel::write_behind(std::chrono::milliseconds stall_limit) {
  std::lock_guard lock(out_mutex_);
  write_behind_ = true;
  stall_limit_ = stall_limit;
}

void MessageChannel::wait_for_room() {
  std::unique_lock lock(out_mutex_);
  drained_.wait(lock, [this] { return has_room_locked(); });
}

bool MessageChannel::add(const std::vector<std::uint8_t>& frame, std::unique_lock<std::mutex>& lock) {
  // Without write-behind, a peer that does not read holds its writer back,
  // and the senders with it.
  if (!write_behind_) drained_.wait(lock, [this] { return has_room_locked(); });
  if (broken_) return false;
  outbox_.insert(outbox_.end(), frame.begin(), frame.end());
  return true;
}

bool MessageChannel::write_outbox(std::unique_lock<std::mutex>& lock) {
  // The writer now takes what was added meanwhile along.
  if (writer_active_) return !broken_;
  writer_active_ = true;
  return drain(lock, false);
}

bool MessageChannel::drain(std::unique_lock<std::mutex>& lock, bool on_behind_thread) {
  while (!broken_) {
    if (writing_offset_ == writing_.size()) {
      writing_.clear();
      writing_offset_ = 0;
      if (outbox_.empty()) break;
      writing_.swap(outbox_);
      drained_.notify_all();
    }
    const bool write_behind = write_behind_;
    const auto stall_limit = stall_limit_;
    lock.unlock();
    const Written written = write_taken(write_behind, on_behind_thread || !write_behind, stall_limit);
    lock.lock();
    if (written == Written::socket_full) {
      // The writer's role, and what is left to write, pass to behind_.
      behind_due_ = true;
      if (!behind_.joinable()) {
        try {
          behind_ = std::thread([this] {
            pthread_setname_np(pthread_self(), "write-behind");
            write_behind_loop();
          });
        } catch (const std::system_error&) {
          // No thread to write it: given up on, as a peer that reads nothing.
          stalled_ = true;
          broken_ = true;
          continue;
        }
      }
      behind_wake_.notify_one();
      return true;
    }
    if (written == Written::stalled) stalled_ = true;
    if (written != Written::all) broken_ = true;
  }
  writing_.clear();
  writing_offset_ = 0;
  if (broken_) outbox_.clear();  // never to leave
  writer_active_ = false;
  drained_.notify_all();
  return !broken_;
}

MessageChannel::Written MessageChannel::write_taken(bool write_behind, bool may_wait,
                                                    std::chrono::milliseconds stall_limit) {
  const int flags = MSG_NOSIGNAL | (write_behind ? MSG_DONTWAIT : 0);
  while (writing_offset_ < writing_.size()) {
    const ssize_t n = ::send(fd_, writing_.data() + writing_offset_, writing_.size() - writing_offset_, flags);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!may_wait) return Written::socket_full;
      pollfd writable{.fd = fd_, .events = POLLOUT, .revents = 0};
      const int ready = ::poll(&writable, 1, stall_limit.count() > 0 ? static_cast<int>(stall_limit.count()) : -1);
      if (ready == 0) return Written::stalled;
      continue;  // room, an error or a signal: the next send tells
    }
    if (n <= 0) return Written::broken;
    writing_offset_ += static_cast<std::size_t>(n);
  }
  return Written::all;
}

void MessageChannel::write_behind_loop() {
  std::unique_lock lock(out_mutex_);
  for (;;) {
    behind_wake_.wait(lock, [this] { return behind_due_ || closing_; });
    if (closing_) return;
    behind_due_ = false;
    drain(lock, true);
  }
}

bool MessageChannel::send(const Message& message) {
  const auto frame = frame_of(message);
  if (!frame) return false;
  std::unique_lock lock(out_mutex_);
  if (!add(*frame, lock)) return false;
  return write_outbox(lock);
}

bool MessageChannel::send_later(const Message& message) {
  const auto frame = frame_of(message);
  if (!frame) return false;
  std::unique_lock lock(out_mutex_);
  const bool added = add(*frame, lock);
  // Never more than a full outbox waits for a flush.
  if (added && outbox_.size() >= kOutboxBytes) return write_outbox(lock);
  return added;
}

bool MessageChannel::flush() {
  std::unique_lock lock(out_mutex_);
  return write_outbox(lock);
}

bool MessageChannel::has_unwritten_output() {
  std::lock_guard lock(out_mutex_);
  return !outbox_.empty();
}

bool MessageChannel::wait_for_input(std::chrono::milliseconds timeout) {
  if (has_buffered_input()) return true;
  pollfd readable{.fd = fd_, .events = POLLIN, .revents = 0};
  for (;;) {
    const int ready = ::poll(&readable, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready != 0;  // an error is for receive() to report
  }
}

bool MessageChannel::spin_for_input(std::chrono::nanoseconds budget) {
  if (has_buffered_input()) return true;
  const auto until = std::chrono::steady_clock::now() + budget;
  do {
    // Straight into the empty buffer, where receive() takes it from.
    const ssize_t n = ::recv(fd_, buffer_.get(), kBufferBytes, MSG_DONTWAIT);
    if (n > 0) {
      buffered_start_ = 0;
      buffered_end_ = static_cast<std::size_t>(n);
      return true;
    }
    // The end of the stream, or an error: for receive() to report.
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return true;
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

bool MessageChannel::read_exactly(void* into, std::size_t size, bool first) {
  auto* bytes = static_cast<std::uint8_t*>(into);
  std::size_t got = std::min(size, buffered_end_ - buffered_start_);
  std::copy_n(buffer_.get() + buffered_start_, got, bytes);
  buffered_start_ += got;
  while (got < size) {
    // What is missing of a large message is read straight into it; a small
    // one fills the buffer, which usually holds the next message too.
    const bool direct = size - got >= kBufferBytes;
    std::uint8_t* target = direct ? bytes + got : buffer_.get();
    const ssize_t n = ::recv(fd_, target, direct ? size - got : kBufferBytes, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (first && got == 0) throw ReceiveTimeout();
      throw MessageStalled();
    }
    if (n == 0 && got == 0) return false;
    if (n == 0) throw ProtocolError("the stream ended inside a message");
    if (n < 0) return false;  // reset by the other end, or closed for reading
    if (direct) {
      got += static_cast<std::size_t>(n);
      continue;
    }
    const std::size_t take = std::min(size - got, static_cast<std::size_t>(n));
    std::copy_n(buffer_.get(), take, bytes + got);
    got += take;
    buffered_start_ = take;
    buffered_end_ = static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<Message> MessageChannel::receive() {
  std::uint8_t header[4];
  if (!read_exactly(header, sizeof header, true)) return std::nullopt;
  const std::uint32_t size = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                             (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
  if (size > kMaxMessageBytes) {
    throw ProtocolError("a message of " + std::to_string(size) + " bytes (at most " +
                        std::to_string(kMaxMessageBytes) + ")");
  }
  std::vector<std::uint8_t> body(size);
  if (!read_exactly(body.data(), body.size())) throw ProtocolError("the stream ended inside a message");
  Message message = parse_message(body);
  if (!message.is_object()) throw ProtocolError("a message that is not a map (" + what_came(message) + ")");
  const auto type = message.find("t");
  if (type == message.end() || !type->is_string()) throw ProtocolError("a message without a type (\"t\")");
  return message;
}

void MessageChannel::close_for_reading() { ::shutdown(fd_, SHUT_RDWR); }

void MessageChannel::set_receive_timeout(std::chrono::milliseconds timeout) {
  const timeval limit{.tv_sec = static_cast<time_t>(timeout.count() / 1000),
                      .tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
}

std::string read_string(const Message& message, const char* field) {
  const Message& value = field_of(message, field);
  if (!value.is_string()) wrong_type(message, field, "a string");
  return value.get<std::string>();
}

std::uint64_t read_unsigned(const Message& message, const char* field) {
  const Message& value = field_of(message, field);
  if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)) {
    wrong_type(message, field, "an unsigned integer");
  }
  return value.get<std::uint64_t>();
}

std::int64_t read_integer(const Message& message, const char* field) {
  const Message& value = field_of(message, field);
  if (!value.is_number_integer()) wrong_type(message, field, "an integer");
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    wrong_type(message, field, "an integer that fits 64 bits");
  }
  return value.get<std::int64_t>();
}

bool read_bool(const Message& message, const char* field) {
  const Message& value = field_of(message, field);
  if (!value.is_boolean()) wrong_type(message, field, "true or false");
  return value.get<bool>();
}

const Message& read_object(const Message& message, const char* field) {
  const Message& value = field_of(message, field);
  if (!value.is_object()) wrong_type(message, field, "a map");
  return value;
}

const Message& read_array(const Message& message, const char* field) {
  const Message& value = field_of(message, field);
  if (!value.is_array()) wrong_type(message, field, "an array");
  return value;
}

std::map<std::string, std::string> read_string_map(const Message& message, const char* field) {
  std::map<std::string, std::string> map;
  if (!message.contains(field)) return map;
  for (const auto& [key, value] : read_object(message, field).items()) {
    if (!value.is_string()) wrong_type(message, field, "a map of strings");
    map.emplace(key, value.get<std::string>());
  }
  return map;
}

}  // namespace jobhost::protocol
