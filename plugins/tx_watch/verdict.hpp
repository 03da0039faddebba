// Whether a pending transaction is finished, given what the node reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "config.hpp"
#include "jobhost/chain_client.hpp"

namespace tx_watch {

enum class Outcome { success, failed, dropped };

struct Verdict {
  Outcome outcome;
  std::optional<std::uint64_t> block;  // none when dropped
  std::uint64_t confirmations;         // 0 when dropped
};

// Finished when mined (success or failed) with at least
// `config.confirmations` blocks counting its own up to `head`, or unknown to
// the node for longer than `config.drop_after` since `first_seen`. Nothing
// while it must wait: pending in the node's pool, mined too recently, or
// unknown for a shorter time.
std::optional<Verdict> judge(const jobhost::TxInfo& info, std::chrono::system_clock::time_point first_seen,
                             std::chrono::system_clock::time_point now, std::uint64_t head, const Config& config);

}  // namespace tx_watch
