#include "verdict.hpp"

namespace tx_watch {

std::optional<Verdict> judge(const jobhost::TxInfo& info, std::chrono::system_clock::time_point first_seen,
                             std::chrono::system_clock::time_point now, std::uint64_t head, const Config& config) {
  switch (info.status) {
    case jobhost::TxStatus::success:
    case jobhost::TxStatus::failed: {
      if (!info.block_number) return std::nullopt;  // a node bug; ask again next run
      const std::uint64_t block = *info.block_number;
      // A load-balanced node may report a head behind the receipt's block.
      const std::uint64_t confirmations = head >= block ? head - block + 1 : 0;
      if (confirmations < config.confirmations) return std::nullopt;
      return Verdict{info.status == jobhost::TxStatus::success ? Outcome::success : Outcome::failed, block,
                     confirmations};
    }
    case jobhost::TxStatus::not_found:
      if (now - first_seen > config.drop_after) return Verdict{Outcome::dropped, std::nullopt, 0};
      return std::nullopt;
    case jobhost::TxStatus::pending:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace tx_watch
