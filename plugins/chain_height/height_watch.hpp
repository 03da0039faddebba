// chain_height.watch: one run asks every configured chain for its block
// number and updates that chain's health (chain_health.hpp).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "chain_health.hpp"
#include "jobhost/job_context.hpp"

namespace chain_height {

class HeightWatch {
 public:
  // Thread-safe; runs are serialised. Uses context.scheduled_time() as "now"
  // and reads the settings from context.settings() (ConfigError when bad).
  void run(jobhost::JobContext& context);

 private:
  std::mutex mutex_;
  std::map<std::string, ChainHealth> chains_;  // by name; guarded by mutex_
};

}  // namespace chain_height
