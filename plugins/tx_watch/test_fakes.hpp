// The tx_watch tests' run context (the SDK's test kit, jobhost/testing.hpp,
// with a scriptable node as "main"), and small file helpers.
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

#include "jobhost/jobhost.hpp"
#include "jobhost/testing.hpp"

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

using jobhost::testing::FakeChainClient;
using jobhost::testing::FakeLogger;
using jobhost::testing::settings;

// A valid, lowercase transaction hash made from `n`: 0x000…00n in hex.
inline std::string tx(unsigned long long n) {
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", n);
  return "0x" + std::string(48, '0') + digits;
}

// One run's context, with a scriptable node registered as "main".
class FakeContext final : public jobhost::testing::FakeJobContext {
 public:
  explicit FakeContext(std::filesystem::path state_dir)
      : FakeJobContext("tx_watch.confirm", std::move(state_dir)) {
    provider.add("main", client);
  }

  FakeChainClient client;
};

}  // namespace tx_watch::testing
