// FakeChainClient: a jobhost::ChainClient whose answers a test scripts — the
// head block, each transaction's status, raw calls — or that fails with any
// error the real client throws, for a plugin's unit tests
// (jobhost/testing.hpp). Header-only; needs no node.
//
// Thread-safety: every member function may be called from any thread, as the
// real ChainClient's; scripting it while a job runs is safe too.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jobhost/chain_client.hpp"
#include "jobhost/error.hpp"

namespace jobhost::testing {

class FakeChainClient final : public ChainClient {
 public:
  void set_chain_id(std::uint64_t id) { chain_id_ = id; }
  void set_head(std::uint64_t head) { head_ = head; }
  // What tx_infos() says about `hash` (any other hash is not_found); a block
  // number also sets a block hash.
  void set(const std::string& hash, TxStatus status, std::optional<std::uint64_t> block = std::nullopt) {
    TxInfo info;
    info.hash = hash;
    info.status = status;
    info.block_number = block;
    if (block) info.block_hash = "0xb10c";
    std::scoped_lock lock(mutex_);
    txs_[hash] = std::move(info);
  }
  // What call(method, params) returns (JSON text); an unscripted method
  // throws RpcError -32601, as a node does.
  void on_call(std::function<std::string(const std::string& method, const std::string& params_json)> answer) {
    std::scoped_lock lock(mutex_);
    call_ = std::move(answer);
  }
  // From now on every call throws `error` (e.g. TransportError("connection
  // refused"), ClientUnavailableError("...", 5s)), until stop_failing().
  template <class ErrorType>
  void fail_with(ErrorType error) {
    std::scoped_lock lock(mutex_);
    failure_ = std::make_exception_ptr(std::move(error));
  }
  void stop_failing() {
    std::scoped_lock lock(mutex_);
    failure_ = nullptr;
  }
  // Called inside every tx_infos() call, before it answers: a test's way to
  // act in the middle of a run (request a stop, say).
  void on_tx_infos(std::function<void()> hook) {
    std::scoped_lock lock(mutex_);
    hook_ = std::move(hook);
  }
  int tx_infos_calls() const { return tx_infos_calls_; }

  std::uint64_t chain_id() override {
    raise_failure();
    return chain_id_;
  }
  std::uint64_t block_number() override {
    raise_failure();
    return head_;
  }
  std::vector<TxInfo> tx_infos(const std::vector<std::string>& hashes) override {
    ++tx_infos_calls_;
    std::function<void()> hook;
    {
      std::scoped_lock lock(mutex_);
      hook = hook_;
    }
    if (hook) hook();
    raise_failure();
    std::scoped_lock lock(mutex_);
    std::vector<TxInfo> infos;
    for (const auto& hash : hashes) {
      const auto it = txs_.find(hash);
      infos.push_back(it != txs_.end() ? it->second : TxInfo{hash, TxStatus::not_found, {}, {}, {}});
    }
    return infos;
  }
  std::string call(const std::string& method, const std::string& params_json) override {
    raise_failure();
    std::function<std::string(const std::string&, const std::string&)> answer;
    {
      std::scoped_lock lock(mutex_);
      answer = call_;
    }
    if (!answer) throw RpcError("the fake node does not implement " + method, -32601);
    return answer(method, params_json);
  }

 private:
  void raise_failure() const {
    std::exception_ptr failure;
    {
      std::scoped_lock lock(mutex_);
      failure = failure_;
    }
    if (failure) std::rethrow_exception(failure);
  }

  std::atomic<std::uint64_t> chain_id_{1};
  std::atomic<std::uint64_t> head_{0};
  std::atomic<int> tx_infos_calls_{0};
  mutable std::mutex mutex_;  // guards the members below
  std::map<std::string, TxInfo> txs_;
  std::function<std::string(const std::string&, const std::string&)> call_;
  std::function<void()> hook_;
  std::exception_ptr failure_;
};

}  // namespace jobhost::testing
