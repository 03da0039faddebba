// RemoteCalls: the worker's side of the chain calls it sends to the host.
//
// call() sends a request and blocks until the host's reply arrives. The
// host runs the call on its one ClientProvider, so a worker never creates a
// client (protocol/chain_messages.hpp has the messages).
//
// Two ways there: the lane, a socket of its own (descriptor 4) that one call
// at a time has for itself, whose thread reads its reply itself and whose
// host side makes the call on the thread that read it (a call then wakes
// two threads, not four); and, for a call made while the lane is taken, the
// worker's socket, whose reader hands the reply over with answer(). A slow
// call on the lane so never holds up another. The lane's caller waits for
// its reply awake while replies come quickly (AdaptiveSpin), as the host's
// side waits for the next call: a quick call then wakes nobody. At most
// protocol::kMaxCallsInFlight calls wait for replies over the socket at once;
// a further one waits for one of them to return before it is sent.
//
// Thread-safety: call() from any number of threads at once; answer() and
// fail_all() from the reader thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include "protocol/adaptive_spin.hpp"
#include "protocol/message_channel.hpp"

namespace jobhost::worker {

using protocol::Message;
using protocol::MessageChannel;

class RemoteCalls {
 public:
  // `lane`: the descriptor of the lane, owned from now on.
  RemoteCalls(MessageChannel& channel, int lane) : channel_(channel), lane_(lane) {}

  // Sends `request` (a "call" message; its "call" id is set here) and returns
  // the reply's value. Rethrows the error the host's client threw, as the
  // same SDK error type.
  Message call(Message request);
  // Hands a "reply" message to its caller; false for an unknown call id.
  bool answer(const Message& reply);
  // Fails every call waiting and every later one: the host is gone.
  void fail_all();

 private:
  // The call on the lane, which this thread has taken.
  Message call_on_lane(Message request);
  // Ends the wait of call `id` and frees its place for a call held back.
  void leave(std::uint64_t id);

  MessageChannel& channel_;
  std::mutex lane_mutex_;  // held by the call on the lane
  MessageChannel lane_;
  bool lane_opened_ = false;  // the host was told to serve it; guarded by lane_mutex_
  protocol::AdaptiveSpin reply_spin_{protocol::usable_cores()};  // guarded by lane_mutex_
  std::mutex mutex_;
  std::condition_variable answered_;
  std::condition_variable slot_free_;  // a call left waiting_
  std::uint64_t next_id_ = 1;
  bool failed_ = false;
  std::map<std::uint64_t, std::optional<Message>> waiting_;  // the calls in flight over the socket
};

}  // namespace jobhost::worker
