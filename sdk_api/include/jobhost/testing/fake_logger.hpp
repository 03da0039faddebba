// FakeLogger: a jobhost::Logger that records every message, for a plugin's
// unit tests (jobhost/testing.hpp). Header-only; needs no host.
//
// Thread-safety: every member function may be called from any thread, as
// the real Logger's.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jobhost/logger.hpp"

namespace jobhost::testing {

class FakeLogger final : public Logger {
 public:
  explicit FakeLogger(std::string name = "test") : name_(std::move(name)) {}

  std::string_view name() const override { return name_; }
  bool enabled(LogLevel) const override { return true; }
  void log(LogLevel level, std::string_view message) override {
    std::scoped_lock lock(mutex_);
    messages_.emplace_back(level, std::string(message));
  }

  // How many messages at `level` contain `text`.
  std::size_t count(LogLevel level, std::string_view text) const {
    std::scoped_lock lock(mutex_);
    std::size_t n = 0;
    for (const auto& [at, message] : messages_) n += at == level && message.find(text) != std::string::npos;
    return n;
  }

  // Everything logged, one message a line, for failure output.
  std::string text() const {
    std::scoped_lock lock(mutex_);
    std::string out;
    for (const auto& message : messages_) out += message.second + "\n";
    return out;
  }

  // The messages at `level` or above, one a line, and forgets every message:
  // each check sees only what happened since the last one.
  std::string take(LogLevel level = LogLevel::info) {
    std::scoped_lock lock(mutex_);
    std::string out;
    for (const auto& [at, message] : messages_) {
      if (at >= level) out += message + "\n";
    }
    messages_.clear();
    return out;
  }

 private:
  const std::string name_;
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> messages_;
};

}  // namespace jobhost::testing
