// /jobs: every job as JSON — schedule, zone, policies, run counts, the last
// run (outcome, duration) and the next fire.
//
//   [{"name": "hello.greet", "schedule": "@every 10s", "zone": "Etc/UTC", "enabled": true, "paused": false,
//     "policies": "overlap=skip misfire=once", "isolation": "process", "worker": "running (pid 42)",
//     "running": 0,
//     "runs": {"ok": 3, "failed": 0, "stopped": 0, "timeout": 0, "killed": 0, "skipped": 0, "missed": 0},
//     "last_run": {"scheduled": "...", "outcome": "ok", "duration_seconds": 0.0001, "finished": "..."},
//     "next_fire": "2026-03-07T12:00:10Z"}]
//
// Instants are ISO 8601 in the job's zone; last_run and next_fire are null
// when there is none, and worker (its state: running, restarting,
// quarantined) when the job's plugin runs in the daemon's process.
#pragma once

#include <string>

#include "observe/host_snapshot.hpp"

namespace jobhost::observe {

std::string render_jobs_json(const HostSnapshot& host);

}  // namespace jobhost::observe
