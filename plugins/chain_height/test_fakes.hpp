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

#include "jobhost/jobhost.hpp"

namespace chain_height::testing {

// Settings from `key = value` pairs (a braced list is ambiguous for
// jobhost::Settings' own constructor when it holds one pair).
inline jobhost::Settings settings(std::map<std::string, std::string> values) {
  return jobhost::Settings(std::move(values));
}

// Records every message.
class FakeLogger final : public jobhost::Logger {
 public:
  std::string_view name() const override { return "chain_height.watch"; }
  bool enabled(jobhost::LogLevel) const override { return true; }
  void log(jobhost::LogLevel level, std::string_view message) override {
    std::scoped_lock lock(mutex_);
    messages_.emplace_back(level, std::string(message));
  }

  // The messages at `level` or above, one a line, and forgets every message:
  // each check sees only what happened since the last one.
  std::string take(jobhost::LogLevel level = jobhost::LogLevel::info) {
    std::scoped_lock lock(mutex_);
    std::string out;
    for (const auto& [l, message] : messages_) {
      if (l >= level) out += message + "\n";
    }
    messages_.clear();
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<jobhost::LogLevel, std::string>> messages_;
};

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

// Creates a client for each name a test asks for, and answers any other
// name with UnknownClientError.
class FakeClientProvider final : public jobhost::ClientProvider {
 public:
  FakeChainClient& add(const std::string& name) {
    return *clients_.emplace(name, std::make_unique<FakeChainClient>()).first->second;
  }
  jobhost::ChainClient& chain(std::string_view name) override {
    auto it = clients_.find(name);
    if (it == clients_.end()) throw jobhost::UnknownClientError("no chain named \"" + std::string(name) + "\"");
    return *it->second;
  }

 private:
  std::map<std::string, std::unique_ptr<FakeChainClient>, std::less<>> clients_;
};

// One run's context; a test sets the settings, the time and the stop request.
class FakeContext final : public jobhost::JobContext {
 public:
  FakeLogger logger;
  FakeClientProvider provider;
  jobhost::Settings job_settings;
  std::stop_source stop;
  std::chrono::system_clock::time_point now{std::chrono::seconds(1'773'046'800)};  // 2026-03-09T09:00:00Z

  jobhost::Logger& log() override { return logger; }
  jobhost::ClientProvider& clients() override { return provider; }
  const jobhost::Settings& settings() const override { return job_settings; }
  const std::filesystem::path& state_dir() const override { return state_dir_; }
  std::stop_token stop_token() const override { return stop.get_token(); }
  std::chrono::system_clock::time_point scheduled_time() const override { return now; }
  std::string_view job_name() const override { return "chain_height.watch"; }

 private:
  std::filesystem::path state_dir_ = "/nonexistent/chain_height";  // the job keeps no files
};

}  // namespace chain_height::testing
