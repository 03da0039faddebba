// Fakes of the host's interfaces for the chain_height tests. Every fake is
// thread-safe where the real interface is.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "common/fake_host.hpp"
#include "jobhost/jobhost.hpp"

namespace chain_height::testing {

using plugin_common::testing::FakeLogger;
using plugin_common::testing::settings;

// A node whose head block a test sets, or that fails with a TransportError.
class FakeChainClient final : public jobhost::ChainClient {
 public:
  void set_head(std::uint64_t head) {
    head_ = head;
    failing_ = false;
  }
  void fail() { failing_ = true; }

  std::uint64_t chain_id() override { return 1; }
  std::uint64_t block_number() override {
    if (failing_) throw jobhost::TransportError("connection refused");
    return head_;
  }
  std::vector<jobhost::TxInfo> tx_infos(const std::vector<std::string>&) override {
    throw jobhost::RpcError("fake node does not implement tx_infos", -32601);
  }
  std::string call(const std::string& method, const std::string&) override {
    throw jobhost::RpcError("fake node does not implement " + method, -32601);
  }

 private:
  std::atomic<std::uint64_t> head_{0};
  std::atomic<bool> failing_{false};
};

// One run's context; add_chain() registers a fake node under a name.
class FakeContext final : public plugin_common::testing::FakeContext {
 public:
  FakeContext() : plugin_common::testing::FakeContext("chain_height.watch", "/nonexistent/chain_height") {}

  // The fake node registered as `name`, created on first use.
  FakeChainClient& add_chain(const std::string& name) {
    auto& client = chains_[name];
    if (!client) {
      client = std::make_unique<FakeChainClient>();
      provider.add(name, *client);
    }
    return *client;
  }

 private:
  std::map<std::string, std::unique_ptr<FakeChainClient>> chains_;
};

}  // namespace chain_height::testing
