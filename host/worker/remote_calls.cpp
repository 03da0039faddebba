#include "worker/remote_calls.hpp"

#include <chrono>

#include "jobhost/error.hpp"
#include "protocol/chain_messages.hpp"

namespace jobhost::worker {

using protocol::read_unsigned;

Message RemoteCalls::call(Message request) {
  if (std::unique_lock lane(lane_mutex_, std::try_to_lock); lane) return call_on_lane(std::move(request));
  std::uint64_t id;
  {
    std::unique_lock lock(mutex_);
    slot_free_.wait(lock, [this] { return failed_ || waiting_.size() < protocol::kMaxCallsInFlight; });
    if (failed_) throw TransportError("the host is gone");
    id = next_id_++;
    waiting_.emplace(id, std::nullopt);
  }
  request["call"] = id;
  if (!channel_.send(request)) {
    leave(id);
    throw TransportError("the host is gone");
  }
  std::unique_lock lock(mutex_);
  answered_.wait(lock, [&] { return failed_ || waiting_[id].has_value(); });
  auto reply = std::move(waiting_[id]);
  lock.unlock();
  leave(id);
  if (!reply) throw TransportError("the host is gone");
  return protocol::value_or_throw(*reply);
}

void RemoteCalls::leave(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    waiting_.erase(id);
  }
  slot_free_.notify_one();
}

Message RemoteCalls::call_on_lane(Message request) {
  {
    std::lock_guard lock(mutex_);
    if (failed_) throw TransportError("the host is gone");
  }
  // The host starts serving the lane when asked, on first use.
  if (!lane_opened_ && !channel_.send({{"t", "lane"}})) throw TransportError("the host is gone");
  lane_opened_ = true;
  request["call"] = 0;  // one call at a time: the id says nothing
  const auto spin = reply_spin_.budget();
  request["awake"] = spin.count() > 0;
  const auto sent = std::chrono::steady_clock::now();
  if (!lane_.send(request)) throw TransportError("the host is gone");
  lane_.spin_for_input(spin);
  const auto reply = lane_.receive();
  reply_spin_.record(std::chrono::steady_clock::now() - sent);
  if (!reply) throw TransportError("the host is gone");
  return protocol::value_or_throw(*reply);
}

bool RemoteCalls::answer(const Message& reply) {
  const std::uint64_t id = read_unsigned(reply, "call");
  std::lock_guard lock(mutex_);
  const auto it = waiting_.find(id);
  if (it == waiting_.end()) return false;
  it->second = reply;
  answered_.notify_all();
  return true;
}

void RemoteCalls::fail_all() {
  std::lock_guard lock(mutex_);
  failed_ = true;
  answered_.notify_all();
  slot_free_.notify_all();
}

}  // namespace jobhost::worker
