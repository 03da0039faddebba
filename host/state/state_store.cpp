#include "state/state_store.hpp"

#include <memory>

#include <sqlite3.h>

namespace jobhost::state {
namespace {

// Bumped when the schema changes; a newer file is refused, not rewritten.
constexpr int kSchemaVersion = 1;

std::chrono::sys_seconds seconds_since_epoch(std::int64_t value) {
  return std::chrono::sys_seconds(std::chrono::seconds(value));
}

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
      execute("CREATE TABLE IF NOT EXISTS host_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
      execute(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
    }
    // In WAL mode a commit survives a crash of the process; NORMAL only
    // gives up the last commits on a power loss, which costs a catch-up run
    // at most.
    execute("PRAGMA synchronous=NORMAL");
    // Replaces SQLite's automatic checkpoint: see checkpoint_if_due().
    sqlite3_wal_hook(
        db_,
        [](void* store, sqlite3*, const char*, int pages) {
          static_cast<StateStore*>(store)->log_pages_ = pages;
          return SQLITE_OK;
        },
        this);
    upsert_fire_ = prepare(
        "INSERT INTO job_fires (job, last_fire) VALUES (?1, ?2) "
        "ON CONFLICT (job) DO UPDATE SET last_fire = excluded.last_fire");
    upsert_through_ = prepare(
        "INSERT INTO host_state (key, value) VALUES ('handed_out_through', ?1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  } catch (...) {
    upsert_fire_.reset();
    upsert_through_.reset();
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
  upsert_fire_.reset();
  upsert_through_.reset();
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

FireState StateStore::load() const {
  FireState state;
  const Statement through = prepare("SELECT value FROM host_state WHERE key = 'handed_out_through'");
  int step = sqlite3_step(through.get());
  if (step == SQLITE_ROW) state.handed_out_through = seconds_since_epoch(sqlite3_column_int64(through.get(), 0));
  if (step != SQLITE_ROW && step != SQLITE_DONE) fail("cannot read the fires handed out");

  const Statement select = prepare("SELECT job, last_fire FROM job_fires");
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) {
    const auto* job = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
    state.last_fires[job ? job : ""] = seconds_since_epoch(sqlite3_column_int64(select.get(), 1));
  }
  if (step != SQLITE_DONE) fail("cannot read the fires handed out");
  return state;
}

void StateStore::record(std::chrono::sys_seconds handed_out_through, std::span<const FireRecord> jittered_fires) {
  execute("BEGIN IMMEDIATE");
  // Runs the statement once; on failure rolls back and throws.
  const auto step = [this](sqlite3_stmt* statement) {
    const int result = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (result != SQLITE_DONE) rollback_and_fail();
  };
  sqlite3_bind_int64(upsert_through_.get(), 1, handed_out_through.time_since_epoch().count());
  step(upsert_through_.get());
  for (const auto& [job, fire] : jittered_fires) {
    sqlite3_bind_text(upsert_fire_.get(), 1, job.data(), static_cast<int>(job.size()), SQLITE_STATIC);
    sqlite3_bind_int64(upsert_fire_.get(), 2, fire.time_since_epoch().count());
    step(upsert_fire_.get());
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) rollback_and_fail();
}

bool StateStore::checkpoint_if_due() {
  if (log_pages_ < kCheckpointPages) return false;
  int pages = 0;
  int copied = 0;
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied) != SQLITE_OK) {
    fail("cannot copy the log into the database");
  }
  // The next commit starts the log afresh once all of it was copied.
  log_pages_ = pages - copied;
  return true;
}

void StateStore::rollback_and_fail() {
  const std::string why = sqlite3_errmsg(db_);
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  throw StateError("state database " + file_.string() + ": cannot record fires: " + why);
}

}  // namespace jobhost::state
