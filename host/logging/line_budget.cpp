#include "logging/line_budget.hpp"

#include <algorithm>

namespace jobhost::logging {

LineBudget::LineBudget(std::uint32_t per_second)
    : per_second_(per_second),
      capacity_(static_cast<double>(per_second) * static_cast<double>(kBurst.count())),
      tokens_(capacity_),
      refilled_at_(Clock::now()) {}

LineBudget::Verdict LineBudget::take(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (now > refilled_at_) {
    const double seconds = std::chrono::duration<double>(now - refilled_at_).count();
    tokens_ = std::min(capacity_, tokens_ + seconds * per_second_);
    refilled_at_ = now;
  }
  Verdict verdict;
  if (tokens_ >= 1) {
    tokens_ -= 1;
    verdict.write = true;
    return verdict;
  }
  ++dropped_;
  if (!reported_at_ || now - *reported_at_ >= kReportEvery) {
    reported_at_ = now;
    verdict.report_dropped = dropped_;
  }
  return verdict;
}

std::uint64_t LineBudget::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace jobhost::logging
