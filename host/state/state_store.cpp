#include "state/state_store.hpp"

#include <memory>

#include <sqlite3.h>

namespace jobhost::state {
namespace {

// Bumped when the schema changes; a newer file is refused, not rewritten.
constexpr int kSchemaVersion = 1;

}  // namespace

StateStore::Statement StateStore::prepare(const char* sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) fail("cannot prepare \"" + std::string(sql) + "\"");
  return Statement(statement);
}

void StateStore::StatementDeleter::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

StateStore::StateStore(const std::filesystem::path& file, std::chrono::milliseconds busy_timeout) : file_(file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StateError("state database " + file_.string() + ": cannot open: " + why);
  }
  try {
    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
    const int found = schema_version();
    if (found > kSchemaVersion) {
      throw StateError("state database " + file_.string() + ": written by a newer jobhost (schema " +
                       std::to_string(found) + ", this one knows " + std::to_string(kSchemaVersion) + ")");
    }
    if (found < kSchemaVersion) {
      // A new file. WAL mode stays with the file once set.
      execute("PRAGMA journal_mode=WAL");
      execute("CREATE TABLE IF NOT EXISTS job_fires (job TEXT PRIMARY KEY, last_fire INTEGER NOT NULL) WITHOUT ROWID");
      execute(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
    }
    // In WAL mode a commit survives a crash of the process; NORMAL only
    // gives up the last commits on a power loss, which costs a catch-up run
    // at most.
    execute("PRAGMA synchronous=NORMAL");
    upsert_ = prepare(
        "INSERT INTO job_fires (job, last_fire) VALUES (?1, ?2) "
        "ON CONFLICT (job) DO UPDATE SET last_fire = excluded.last_fire");
  } catch (...) {
    upsert_.reset();
    sqlite3_close(db_);
    throw;
  }
}

int StateStore::schema_version() const {
  const Statement version = prepare("PRAGMA user_version");
  if (sqlite3_step(version.get()) != SQLITE_ROW) fail("cannot read the schema version");
  return sqlite3_column_int(version.get(), 0);
}

StateStore::~StateStore() {
  upsert_.reset();
  sqlite3_close(db_);
}

void StateStore::execute(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string why = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw StateError("state database " + file_.string() + ": " + why);
  }
}

void StateStore::fail(const std::string& what) const {
  throw StateError("state database " + file_.string() + ": " + what + ": " + sqlite3_errmsg(db_));
}

std::map<std::string, std::chrono::sys_seconds> StateStore::last_fires() const {
  const Statement select = prepare("SELECT job, last_fire FROM job_fires");
  std::map<std::string, std::chrono::sys_seconds> fires;
  int step;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) {
    const auto* job = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
    fires[job ? job : ""] = std::chrono::sys_seconds(std::chrono::seconds(sqlite3_column_int64(select.get(), 1)));
  }
  if (step != SQLITE_DONE) fail("cannot read the last fires");
  return fires;
}

void StateStore::record_fires(std::span<const FireRecord> fires) {
  if (fires.empty()) return;
  execute("BEGIN IMMEDIATE");
  for (const auto& [job, fire] : fires) {
    sqlite3_bind_text(upsert_.get(), 1, job.data(), static_cast<int>(job.size()), SQLITE_STATIC);
    sqlite3_bind_int64(upsert_.get(), 2, fire.time_since_epoch().count());
    const int step = sqlite3_step(upsert_.get());
    sqlite3_reset(upsert_.get());
    if (step != SQLITE_DONE) {
      const std::string why = sqlite3_errmsg(db_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw StateError("state database " + file_.string() + ": cannot record fires: " + why);
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw StateError("state database " + file_.string() + ": cannot record fires: " + why);
  }
}

}  // namespace jobhost::state
