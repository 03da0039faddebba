// RemoteCalls: the worker's side of the chain calls it sends to the host.
//
// call() sends a request and blocks until the host's reply arrives (the
// worker's reader thread hands it over with answer()). The host runs the
// call on its one ClientProvider, so a worker never creates a client
// (protocol/chain_messages.hpp has the messages).
//
// Thread-safety: call() from any number of threads at once; answer() and
// fail_all() from the reader thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include "protocol/message_channel.hpp"

namespace jobhost::worker {

using protocol::Message;
using protocol::MessageChannel;

class RemoteCalls {
 public:
  explicit RemoteCalls(MessageChannel& channel) : channel_(channel) {}

  // Sends `request` (a "call" message; its "call" id is set here) and returns
  // the reply's value. Rethrows the error the host's client threw, as the
  // same SDK error type.
  Message call(Message request);
  // Hands a "reply" message to its caller; false for an unknown call id.
  bool answer(const Message& reply);
  // Fails every call waiting and every later one: the host is gone.
  void fail_all();

 private:
  MessageChannel& channel_;
  std::mutex mutex_;
  std::condition_variable answered_;
  std::uint64_t next_id_ = 1;
  bool failed_ = false;
  std::map<std::uint64_t, std::optional<Message>> waiting_;
};

}  // namespace jobhost::worker
