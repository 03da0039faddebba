// Readiness (/readyz): whether the daemon does all it should, with the
// reasons when it does not. Liveness (/healthz) says only that the process
// answers, so a probe restarts it only when it is stuck; readiness reports
// degradation that a restart would not fix and an operator should see:
//   - a plugin-dir that no longer exists;
//   - a state directory with less than kStateFreeMin free (fires cannot be
//     recorded, tx_watch cannot write);
//   - resident memory above ready-memory-max (a leak);
//   - plugin files that failed to load at start-up, quarantined plugins,
//     and new plugin files that were refused.
//
// Stateless functions; any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "observe/host_snapshot.hpp"

namespace jobhost::observe {

inline constexpr std::uint64_t kStateFreeMin = 64ull * 1024 * 1024;

// What the checks read from the machine; tests give their own.
struct MachineReadings {
  // Bytes free to an unprivileged writer on the file system of `dir`, or an
  // error text.
  std::function<std::uint64_t(const std::filesystem::path& dir, std::string& error)> free_bytes;
  std::function<std::uint64_t()> resident_bytes;  // this process's
  std::function<bool(const std::filesystem::path& dir)> is_directory;
};
MachineReadings read_this_machine();

// One line per problem; empty when ready.
std::vector<std::string> readiness_problems(const HostSnapshot& host,
                                            const MachineReadings& machine = read_this_machine());

}  // namespace jobhost::observe
