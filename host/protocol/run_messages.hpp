// The messages of a run in a worker (docs/isolation.md lists every message):
// what every run of a job shares, sent once; the runs an instant brings, in
// one message; and their ends, in one message back.
//
// Stateless functions; any thread. The read_* functions throw ProtocolError
// naming what was malformed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "jobhost/logger.hpp"
#include "protocol/message_channel.hpp"

namespace jobhost::protocol {

// {"t":"job", job, settings, state_dir, level}: what every run of a job
// shares. Sent before the job's first run on a socket, and again before the
// first run after any of it changed.
struct JobConstants {
  std::string job;
  std::map<std::string, std::string> settings;
  std::string state_dir;
  LogLevel level = LogLevel::info;  // the lowest level the host's job logger writes
};
Message write_job(const JobConstants& job);
JobConstants read_job(const Message& message);

// {"t":"runs","runs":[[run id, job, scheduled_ns], ...]}: runs to start, in
// order; each job's constants came before.
struct RunOrder {
  std::uint64_t id;
  std::string job;
  std::int64_t scheduled_ns;  // since the epoch
};
Message write_runs(const std::vector<RunOrder>& runs);
std::vector<RunOrder> read_runs(const Message& message);

// {"t":"done","ok":[run id, ...],"ended":[[run id, outcome, error], ...]}:
// runs that ended, those that ended well by their id alone; outcome is
// "failed" or "stopped", error what the run threw.
struct RunEnd {
  enum class Outcome { ok, failed, stopped };
  std::uint64_t id;
  Outcome outcome = Outcome::ok;
  std::string error;  // empty for ok
};
Message write_done(const std::vector<RunEnd>& ends);
std::vector<RunEnd> read_done(const Message& message);

}  // namespace jobhost::protocol
