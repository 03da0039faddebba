// tx_watch.confirm: one run takes new hashes from the inbox into the pending
// set, asks the node about every pending transaction, and reports the
// finished ones in confirmed.jsonl (files described in tx_watch.cpp).
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>

#include "confirmed_log.hpp"
#include "config.hpp"
#include "jobhost/job_context.hpp"
#include "pending_set.hpp"

namespace tx_watch {

class ConfirmJob {
 public:
  // Thread-safe; runs are serialised. Uses context.scheduled_time() as "now"
  // and reads the settings from context.settings() (ConfigError when bad).
  void run(jobhost::JobContext& context);

 private:
  struct Tally {
    std::size_t added = 0, confirmed = 0, dropped = 0;
  };

  // Adds the inbox's new hashes to `pending`, persists it, then deletes the
  // files read. Returns early, having persisted and deleted nothing, when a
  // stop is requested.
  void take_inbox(jobhost::JobContext& context, PendingSet& pending, Tally& tally);

  // Asks the node about `pending`, reports and removes the finished ones, and
  // persists what is left.
  void settle(jobhost::JobContext& context, const Config& config, PendingSet& pending, Tally& tally);

  std::mutex mutex_;
  std::optional<ConfirmedLog> confirmed_;  // read on the first run; guarded by mutex_
};

}  // namespace tx_watch
