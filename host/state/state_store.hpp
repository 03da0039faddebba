// StateStore: what the host remembers across restarts, in SQLite at
// STATE/jobhost.db (WAL mode): enough to know, per job, the last scheduled
// fire it handed out, so that after downtime the scheduler knows which fires
// were missed and never runs a fire twice.
//
// It is kept in two parts, so that 10,000 jobs firing at one instant cost
// one row, not 10,000: the instant through which every fire was handed out
// (`handed_out_through`: a job without jitter fires when due, so its last
// fire is its latest fire at or before that instant), and one row per job
// with jitter (dispatched after their instant, so not covered by it).
//
// Every write is one transaction: the file is never half-written, whatever
// kills the process. Not thread-safe: the scheduler thread owns it once the
// host has started.
//
// A write never copies the log into the database file (a checkpoint, which
// syncs the file to disk and can take milliseconds): SQLite would do it
// inside every 1000th commit, delaying the runs recorded by it. The owner
// calls checkpoint_if_due() once the runs are handed out.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "jobhost/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace jobhost::state {

// A state database that cannot be opened, read or written; the message names
// the file.
class StateError : public Error {
 public:
  using Error::Error;
};

// One job's fire, handed out.
struct FireRecord {
  std::string_view job;
  std::chrono::sys_seconds fire;
};

// What the store holds.
struct FireState {
  // Every fire due at or before it was handed out, except fires of jobs with
  // jitter due within their jitter of it.
  std::optional<std::chrono::sys_seconds> handed_out_through;
  // Job name -> the last fire handed out, for jobs that have had jitter.
  std::map<std::string, std::chrono::sys_seconds> last_fires;
};

class StateStore {
 public:
  // Opens `file`, creating it (not its directory) if missing. Throws
  // StateError naming the file when it is not a jobhost state database.
  // A write waits up to `busy_timeout` for another writer of the file.
  explicit StateStore(const std::filesystem::path& file,
                      std::chrono::milliseconds busy_timeout = std::chrono::seconds(1));
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::filesystem::path& file() const { return file_; }

  FireState load() const;

  // Records, in one transaction, that every fire through
  // `handed_out_through` was handed out, and these fires of jobs with
  // jitter. Throws StateError; then nothing of it is recorded.
  void record(std::chrono::sys_seconds handed_out_through, std::span<const FireRecord> jittered_fires);

  // Copies the log into the database file when it holds kCheckpointPages
  // pages or more (SQLite's own threshold); returns whether it did. Throws
  // StateError; the log then stays as it was and is copied by a later call.
  bool checkpoint_if_due();
  static constexpr int kCheckpointPages = 1000;

 private:
  struct StatementDeleter {
    void operator()(sqlite3_stmt* statement) const;
  };
  using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

  Statement prepare(const char* sql) const;
  int schema_version() const;
  void execute(const char* sql) const;
  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void rollback_and_fail();

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  // Prepared once: the scheduler records fires every second.
  Statement upsert_fire_;
  Statement upsert_through_;
  int log_pages_ = 0;  // pages in the log, as the last commit left it
};

}  // namespace jobhost::state
