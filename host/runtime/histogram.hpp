// Histogram: counts of durations in fixed buckets, for the Prometheus
// histograms of run durations and fire lags.
//
// Thread-safety: observe() and snapshot() may be called from any thread at
// once, without a lock; a snapshot taken during observations is consistent
// in itself (its count is the sum of its buckets).
#pragma once

#include <array>
#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace jobhost::runtime {

class Histogram {
 public:
  // The most bounds a histogram has. Its buckets are stored inline, so that
  // an observation does not chase a pointer to another cache line.
  static constexpr std::size_t kMaxBounds = 12;

  // `bounds`: the buckets' upper bounds in seconds, ascending, at most
  // kMaxBounds; the span must outlive the histogram (a static array).
  explicit Histogram(std::span<const double> bounds) : bounds_(bounds) { assert(bounds.size() <= kMaxBounds); }

  void observe(std::chrono::nanoseconds value) {
    buckets_[bucket_of(value)].fetch_add(1, std::memory_order_relaxed);
    sum_nanoseconds_.fetch_add(value.count(), std::memory_order_relaxed);
  }
  // observe() for writers that already exclude one another (they hold a
  // lock): plain loads and stores instead of atomic read-modify-writes, each
  // of which stalls the writing core. Readers still need no lock.
  void observe_serialized(std::chrono::nanoseconds value) {
    auto& bucket = buckets_[bucket_of(value)];
    bucket.store(bucket.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    sum_nanoseconds_.store(sum_nanoseconds_.load(std::memory_order_relaxed) + value.count(),
                           std::memory_order_relaxed);
  }

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (= count)
    double sum_seconds = 0;
  };

  Snapshot snapshot() const {
    Snapshot snapshot;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      total += buckets_[i].load(std::memory_order_relaxed);
      snapshot.cumulative.push_back(total);
    }
    snapshot.sum_seconds = static_cast<double>(sum_nanoseconds_.load(std::memory_order_relaxed)) / 1e9;
    return snapshot;
  }

  std::span<const double> bounds() const { return bounds_; }

 private:
  std::size_t bucket_of(std::chrono::nanoseconds value) const {
    const double seconds = std::chrono::duration<double>(value).count();
    std::size_t bucket = 0;
    while (bucket < bounds_.size() && seconds > bounds_[bucket]) ++bucket;
    return bucket;
  }

  std::span<const double> bounds_;
  std::atomic<std::int64_t> sum_nanoseconds_{0};
  std::array<std::atomic<std::uint64_t>, kMaxBounds + 1> buckets_{};  // one per bound, then the overflow
};

// Bounds in seconds: how long runs take, how late they start.
inline constexpr double kRunDurationBounds[] = {0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800};
inline constexpr double kFireLagBounds[] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30};
static_assert(std::size(kRunDurationBounds) <= Histogram::kMaxBounds);
static_assert(std::size(kFireLagBounds) <= Histogram::kMaxBounds);

}  // namespace jobhost::runtime
