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

// {"t":"job", number, job, settings, state_dir, level}: what every run of a
// job shares, and the number its runs name it by. Sent before the job's
// first run on a socket, and again (with the same number) before the first
// run after any of it changed.
struct JobConstants {
  std::uint64_t number;  // the job's on this socket, from 0
  std::string job;
  std::map<std::string, std::string> settings;
  std::string state_dir;
  LogLevel level = LogLevel::info;  // the lowest level the host's job logger writes
};
Message write_job(const JobConstants& job);
JobConstants read_job(const Message& message);

// {"t":"runs","runs":[run id, job number, scheduled_ns, run id, ...]}: runs
// to start, in order, three numbers each (a flat list costs no allocation
// per run to write or read); each job's constants came before.
struct RunOrder {
  std::uint64_t id;
  std::uint64_t job;          // JobConstants::number
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
