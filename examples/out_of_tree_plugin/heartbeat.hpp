// The `heartbeat` plugin: an example of a plugin built out of tree, against
// the installed jobhost SDK (see CMakeLists.txt beside this file), with unit
// tests against the SDK's test kit (heartbeat_test.cpp).
//
// Job heartbeat.beat (default @every 1m) appends one line to beats.txt in the
// plugin's state directory (STATE/plugins/heartbeat/beats.txt) and logs it:
//   2026-03-09T09:00:00Z heartbeat.beat alive
// Job heartbeat.head (default @every 30s) asks the chain client for the
// latest block and logs it: "chain main is at block 42".
// Settings:
//   [heartbeat]
//   message = alive          (the last word of each line; one line of text)
//   chain = main             (the host's chain client head asks, [chain.NAME])
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "jobhost/jobhost.hpp"

namespace heartbeat {

class HeartbeatPlugin final : public jobhost::Plugin {
 public:
  // The settings it reads and the chain it asks (SDK 1.1): the host refuses
  // any other key, `jobhost list --settings` shows them and `jobhost check`
  // reports a chain that is not configured.
  static jobhost::Declarations declarations();

  jobhost::PluginInfo info() const override;
  void configure(const jobhost::Settings& settings, jobhost::Logger& logger) override;
  std::vector<jobhost::JobDefinition> jobs() override;

 private:
  std::string message_;
  std::mutex file_mutex_;
};

}  // namespace heartbeat
