// StateStore: what the host remembers across restarts, in SQLite at
// STATE/jobhost.db (WAL mode): per job, the last scheduled fire it handed
// out, so that after downtime the scheduler knows which fires were missed and
// never runs a fire twice.
//
// Every write is one transaction: the file is never half-written, whatever
// kills the process. Not thread-safe: the scheduler thread owns it once the
// host has started.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
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

  // Job name -> the last fire handed out.
  std::map<std::string, std::chrono::sys_seconds> last_fires() const;

  // Records, in one transaction, that these jobs' fires were handed out.
  // Throws StateError; then nothing of the batch is recorded.
  void record_fires(std::span<const FireRecord> fires);

 private:
  struct StatementDeleter {
    void operator()(sqlite3_stmt* statement) const;
  };
  using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

  Statement prepare(const char* sql) const;
  int schema_version() const;
  void execute(const char* sql) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  Statement upsert_;  // prepared once: the scheduler records fires every second
};

}  // namespace jobhost::state
