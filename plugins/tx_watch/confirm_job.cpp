#include "confirm_job.hpp"

#include <chrono>
#include <exception>
#include <string>
#include <system_error>
#include <vector>

#include "inbox.hpp"
#include "verdict.hpp"

namespace tx_watch {
namespace {

using Clock = std::chrono::system_clock;

std::int64_t unix_seconds(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

void ConfirmJob::run(jobhost::JobContext& context) {
  const Config config = parse_config(context.settings());
  const std::stop_token stop = context.stop_token();
  // Every step leaves the files consistent, so returning between any two of
  // them on a stop request loses nothing.
  if (stop.stop_requested()) return;
  std::scoped_lock lock(mutex_);

  const std::filesystem::path& dir = context.state_dir();
  if (!confirmed_) confirmed_.emplace(dir / "confirmed.jsonl", context.log());
  PendingSet pending = load_pending(dir / "pending", context.log());

  Tally tally;
  take_inbox(context, pending, tally);
  if (stop.stop_requested()) return;
  settle(context, config, pending, tally);
  if (stop.stop_requested()) return;

  const std::string summary = std::to_string(tally.added) + " new, " + std::to_string(tally.confirmed) +
                              " confirmed, " + std::to_string(tally.dropped) + " dropped, " +
                              std::to_string(pending.size()) + " pending";
  if (tally.added + tally.confirmed + tally.dropped > 0) {
    context.log().info(summary);
  } else {
    context.log().debug(summary);
  }
}

void ConfirmJob::take_inbox(jobhost::JobContext& context, PendingSet& pending, Tally& tally) {
  jobhost::Logger& log = context.log();
  const std::int64_t now = unix_seconds(context.scheduled_time());
  std::vector<std::filesystem::path> taken;
  for (const auto& file : list_inbox(context.state_dir() / "inbox")) {
    if (context.stop_token().stop_requested()) return;
    if (!is_ready_to_read(file)) {
      log.debug(file.string() + ": its last line is still being written; read later");
      continue;
    }
    std::vector<std::string> hashes;
    const auto before = file_identity(file);
    try {
      hashes = read_inbox_file(file, log);
    } catch (const std::exception& e) {
      log.error(std::string(e.what()) + "; the file stays in the inbox");
      continue;
    }
    if (file_identity(file) != before) {
      log.info(file.string() + " changed while it was read (written in place?); it is read again next run");
      continue;
    }
    for (auto& hash : hashes) {
      if (pending.count(hash) != 0) continue;
      if (confirmed_->contains(hash)) {
        log.info(hash + " from " + file.string() + " was already reported; skipped");
        continue;
      }
      pending.emplace(std::move(hash), now);
      ++tally.added;
    }
    taken.push_back(file);
  }

  // Persist first, delete second: a crash in between only means the files are
  // read again, and their hashes are then already pending.
  if (tally.added > 0) save_pending(context.state_dir() / "pending", pending);
  for (const auto& file : taken) {
    std::error_code error;
    std::filesystem::remove(file, error);
    if (error) log.error("cannot delete " + file.string() + " (" + error.message() + "); it will be read again");
  }
}

void ConfirmJob::settle(jobhost::JobContext& context, const Config& config, PendingSet& pending, Tally& tally) {
  if (pending.empty()) return;
  jobhost::Logger& log = context.log();
  std::vector<std::string> hashes;
  for (const auto& entry : pending) hashes.push_back(entry.first);

  // A node failure is logged here and the run ends normally, rather than
  // being rethrown for the host to count as a failed run: an unreachable node
  // is an outside condition, not a bug in the job, and the next run simply
  // asks again. The pending set stays as it was.
  std::vector<jobhost::TxInfo> infos;
  std::uint64_t head = 0;
  try {
    jobhost::ChainClient& client = context.clients().chain(config.chain);
    infos = client.tx_infos(hashes);
    // Asked second, so the head is at least as new as any block above.
    head = client.block_number();
  } catch (const jobhost::ClientUnavailableError& e) {
    log.error("chain " + config.chain + " is unavailable: " + e.what() + " (retry after " +
              std::to_string(e.retry_after().count()) + "ms); " + std::to_string(hashes.size()) +
              " transactions stay pending");
    return;
  } catch (const std::exception& e) {
    log.error("cannot check transactions on chain " + config.chain + ": " + e.what() + "; " +
              std::to_string(hashes.size()) + " transactions stay pending");
    return;
  }
  if (infos.size() != hashes.size()) {
    log.error("chain " + config.chain + " answered " + std::to_string(infos.size()) + " statuses for " +
              std::to_string(hashes.size()) + " transactions; they stay pending");
    return;
  }
  if (context.stop_token().stop_requested()) return;

  const auto now = context.scheduled_time();
  std::vector<std::string> finished;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const std::string& hash = hashes[i];
    const Clock::time_point first_seen{std::chrono::seconds(pending.at(hash))};
    const auto verdict = judge(infos[i], first_seen, now, head, config);
    if (!verdict) continue;
    // Report first, forget second: a crash in between leaves the hash pending
    // and already reported, and the contains() check keeps the report single.
    if (!confirmed_->contains(hash)) {
      try {
        confirmed_->append(config.chain, hash, *verdict);
      } catch (...) {
        confirmed_.reset();  // the file may end with a partial line: read and repair it next run
        throw;
      }
    }
    ++(verdict->outcome == Outcome::dropped ? tally.dropped : tally.confirmed);
    std::string line = json_line(config.chain, hash, *verdict);
    line.pop_back();  // the newline
    log.debug("finished: " + line);
    finished.push_back(hash);
  }
  if (finished.empty()) return;
  for (const auto& hash : finished) pending.erase(hash);
  save_pending(context.state_dir() / "pending", pending);
}

}  // namespace tx_watch
