// FakeJobContext: one run's jobhost::JobContext as a test sets it up — its
// logger, chains, settings, state directory, scheduled time and stop
// request — for calling a job's run function without a host
// (jobhost/testing.hpp). Header-only.
//
// Thread-safety: as JobContext's; the test sets the public members before
// the run, and may request a stop (`stop`) from any thread during it.
#pragma once

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>
#include <utility>

#include "jobhost/job_context.hpp"
#include "jobhost/settings.hpp"
#include "jobhost/testing/fake_client_provider.hpp"
#include "jobhost/testing/fake_logger.hpp"

namespace jobhost::testing {

class FakeJobContext : public JobContext {
 public:
  FakeJobContext(std::string job_name, std::filesystem::path state_dir)
      : logger(job_name), job_name_(std::move(job_name)), state_dir_(std::move(state_dir)) {}

  FakeLogger logger;             // log()
  FakeClientProvider provider;   // clients()
  Settings job_settings;         // settings()
  std::stop_source stop;         // stop_token(): stop.request_stop() asks the run to stop
  std::chrono::system_clock::time_point now{std::chrono::seconds(1'773'046'800)};  // scheduled_time(): 2026-03-09T09:00:00Z

  Logger& log() override { return logger; }
  ClientProvider& clients() override { return provider; }
  const Settings& settings() const override { return job_settings; }
  const std::filesystem::path& state_dir() const override { return state_dir_; }
  std::stop_token stop_token() const override { return stop.get_token(); }
  std::chrono::system_clock::time_point scheduled_time() const override { return now; }
  std::string_view job_name() const override { return job_name_; }

 private:
  std::string job_name_;
  std::filesystem::path state_dir_;
};

}  // namespace jobhost::testing
