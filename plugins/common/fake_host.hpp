// Fakes of what the host hands a plugin — Logger, ClientProvider, JobContext —
// for testing a plugin's logic without a host. Each plugin's tests add their
// own fake ChainClient. The fakes are thread-safe where the real interfaces are.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "jobhost/jobhost.hpp"

namespace plugin_common::testing {

// Settings from `key = value` pairs (a braced list is ambiguous for
// jobhost::Settings' own constructor when it holds one pair).
inline jobhost::Settings settings(std::map<std::string, std::string> values) {
  return jobhost::Settings(std::move(values));
}

// Records every message.
class FakeLogger final : public jobhost::Logger {
 public:
  explicit FakeLogger(std::string name = "test") : name_(std::move(name)) {}

  std::string_view name() const override { return name_; }
  bool enabled(jobhost::LogLevel) const override { return true; }
  void log(jobhost::LogLevel level, std::string_view message) override {
    std::scoped_lock lock(mutex_);
    messages_.emplace_back(level, std::string(message));
  }

  // How many messages at `level` contain `text`.
  std::size_t count(jobhost::LogLevel level, std::string_view text) const {
    std::scoped_lock lock(mutex_);
    std::size_t n = 0;
    for (const auto& [l, message] : messages_) n += l == level && message.find(text) != std::string::npos;
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
  const std::string name_;
  mutable std::mutex mutex_;
  std::vector<std::pair<jobhost::LogLevel, std::string>> messages_;
};

// Knows the chains a test registers; any other name is UnknownClientError.
class FakeClientProvider final : public jobhost::ClientProvider {
 public:
  void add(std::string name, jobhost::ChainClient& client) { chains_[std::move(name)] = &client; }
  jobhost::ChainClient& chain(std::string_view name) override {
    auto it = chains_.find(name);
    if (it == chains_.end()) throw jobhost::UnknownClientError("no chain named \"" + std::string(name) + "\"");
    return *it->second;
  }

 private:
  std::map<std::string, jobhost::ChainClient*, std::less<>> chains_;
};

// One run's context; a test sets the settings, the time and the stop request.
class FakeContext : public jobhost::JobContext {
 public:
  FakeContext(std::string job_name, std::filesystem::path state_dir)
      : logger(job_name), job_name_(std::move(job_name)), state_dir_(std::move(state_dir)) {}

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
  std::string_view job_name() const override { return job_name_; }

 private:
  std::string job_name_;
  std::filesystem::path state_dir_;
};

}  // namespace plugin_common::testing
