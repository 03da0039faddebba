// libFuzzer target for what the daemon reads from a worker process
// (host/protocol/): every byte a worker writes is untrusted, since a plugin's
// bug may write anything on its socket.
//
// The input bytes are what the worker wrote on its socket, read through a real
// MessageChannel (length headers, MessagePack, the "t" check) until the end of
// the stream. Each message read is then given to every reader the daemon
// applies to a worker's messages, whatever its "t" (info, jobs, log, done,
// call, failed, dropped, pong), so that each reader meets every shape. receive() and each
// reader must either return or throw ProtocolError; any other exception, a
// crash, a sanitizer report or a hang is a bug.
//
// Build and run: see "Fuzzing" in docs/testing.md (preset `fuzz`, clang only).
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "protocol/chain_messages.hpp"
#include "protocol/message_channel.hpp"
#include "protocol/plugin_messages.hpp"
#include "protocol/run_messages.hpp"

namespace {

using jobhost::protocol::Message;
using jobhost::protocol::ProtocolError;

[[noreturn]] void fail(const char* step, const char* what, const std::string& detail) {
  std::fprintf(stderr, "worker_message_fuzz: %s %s: %s\n", step, what, detail.c_str());
  std::abort();
}

// Runs one step; ProtocolError is the one way it may refuse its input.
void expect_only_protocol_errors(const char* step, const std::function<void()>& read) {
  try {
    read();
  } catch (const ProtocolError&) {
  } catch (const std::exception& e) {
    fail(step, "threw a non-protocol exception", e.what());
  } catch (...) {
    fail(step, "threw a non-exception", "");
  }
}

// What the daemon does with a worker's message of each type
// (host/isolation/worker_connection.cpp).
void read_as_every_type(const Message& message) {
  namespace protocol = jobhost::protocol;
  expect_only_protocol_errors("info", [&] {
    protocol::read_info(message);
    protocol::read_declarations(message);
  });
  expect_only_protocol_errors("jobs", [&] { protocol::read_jobs(message); });
  expect_only_protocol_errors("log", [&] {
    protocol::read_unsigned(message, "run");
    protocol::read_level(message, "level");
    protocol::read_string(message, "text");
  });
  expect_only_protocol_errors("done", [&] { protocol::read_done(message); });
  expect_only_protocol_errors("call", [&] { protocol::read_chain_call(message); });
  expect_only_protocol_errors("failed", [&] { protocol::read_string(message, "error"); });
  expect_only_protocol_errors("dropped, pong", [&] { protocol::read_unsigned(message, "dropped_lines"); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) fail("socketpair", "failed", "");
  // -max_len keeps the input within what the socket holds unread.
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(ends[1], data + written, size - written);
    if (n <= 0) fail("write", "failed", std::to_string(size) + " bytes");
    written += static_cast<std::size_t>(n);
  }
  ::close(ends[1]);
  jobhost::protocol::MessageChannel channel(ends[0]);
  for (bool more = true; more;) {
    std::optional<Message> message;
    expect_only_protocol_errors("receive", [&] { message = channel.receive(); });
    // After a ProtocolError the daemon kills the worker: reading stops too.
    more = message.has_value();
    if (message) read_as_every_type(*message);
  }
  return 0;
}
