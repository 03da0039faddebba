#include "common/line_budget.hpp"

#include <algorithm>
#include <cstdint>

namespace jobhost {

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
  verdict.write = tokens_ >= 1;
  if (verdict.write) {
    tokens_ -= 1;
  } else {
    ++dropped_;
  }
  verdict.report_dropped = report_if_due(now);
  return verdict;
}

std::optional<std::uint64_t> LineBudget::add_dropped(std::uint64_t lines, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  // Saturating: a worker's count is untrusted, and a counter never goes back.
  dropped_ = lines > UINT64_MAX - dropped_ ? UINT64_MAX : dropped_ + lines;
  return report_if_due(now);
}

std::optional<std::uint64_t> LineBudget::report_if_due(Clock::time_point now) {
  const bool unreported = dropped_ > reported_;
  const bool due = !reported_at_ || now - *reported_at_ >= kReportEvery;
  if (!unreported || !due) return std::nullopt;
  reported_at_ = now;
  reported_ = dropped_;
  return dropped_;
}

std::uint64_t LineBudget::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace jobhost
