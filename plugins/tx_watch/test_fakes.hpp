// Fakes of the host's interfaces for the tx_watch tests, and small file
// helpers. Every fake is thread-safe where the real interface is.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "common/fake_host.hpp"
#include "jobhost/jobhost.hpp"

namespace tx_watch::testing {

// A fresh directory, removed with its content when the object goes.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/tx_watch_test.XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& file, const std::string& content) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
}

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

using plugin_common::testing::FakeLogger;
using plugin_common::testing::settings;

// A valid, lowercase transaction hash made from `n`: 0x000…00n in hex.
inline std::string tx(unsigned long long n) {
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", n);
  return "0x" + std::string(48, '0') + digits;
}

// A node whose answers a test scripts: statuses by hash (unknown hashes are
// not_found), the head block, and a failure to raise instead of answering.
class FakeChainClient final : public jobhost::ChainClient {
 public:
  enum class Failure { none, transport, unavailable };

  void set(const std::string& hash, jobhost::TxStatus status, std::optional<std::uint64_t> block = std::nullopt) {
    std::scoped_lock lock(mutex_);
    jobhost::TxInfo info;
    info.hash = hash;
    info.status = status;
    info.block_number = block;
    if (block) info.block_hash = "0xb10c";
    txs_[hash] = info;
  }
  void set_head(std::uint64_t head) { head_ = head; }
  void fail_with(Failure failure) { failure_ = failure; }
  // Called inside every tx_infos() call, before it answers.
  void on_tx_infos(std::function<void()> hook) { hook_ = std::move(hook); }
  int tx_infos_calls() const { return calls_; }

  std::uint64_t chain_id() override { return 1; }
  std::uint64_t block_number() override {
    raise_failure();
    return head_;
  }
  std::vector<jobhost::TxInfo> tx_infos(const std::vector<std::string>& hashes) override {
    ++calls_;
    if (hook_) hook_();
    raise_failure();
    std::scoped_lock lock(mutex_);
    std::vector<jobhost::TxInfo> infos;
    for (const auto& hash : hashes) {
      auto it = txs_.find(hash);
      infos.push_back(it != txs_.end() ? it->second : jobhost::TxInfo{hash, jobhost::TxStatus::not_found, {}, {}, {}});
    }
    return infos;
  }
  std::string call(const std::string& method, const std::string&) override {
    throw jobhost::RpcError("fake node does not implement " + method, -32601);
  }

 private:
  void raise_failure() const {
    if (failure_ == Failure::transport) throw jobhost::TransportError("connection refused by 127.0.0.1:8545");
    if (failure_ == Failure::unavailable) {
      throw jobhost::ClientUnavailableError("client initialisation failed", std::chrono::milliseconds(5000));
    }
  }

  std::mutex mutex_;
  std::map<std::string, jobhost::TxInfo> txs_;
  std::atomic<std::uint64_t> head_{0};
  std::atomic<Failure> failure_{Failure::none};
  std::atomic<int> calls_{0};
  std::function<void()> hook_;
};

// One run's context, with a scriptable node registered as "main".
class FakeContext final : public plugin_common::testing::FakeContext {
 public:
  explicit FakeContext(std::filesystem::path state_dir)
      : plugin_common::testing::FakeContext("tx_watch.confirm", std::move(state_dir)) {
    provider.add("main", client);
  }

  FakeChainClient client;
};

}  // namespace tx_watch::testing
