// Schedule::next for typical specs, and a baseline: one libc local-time
// conversion round trip (localtime_r + mktime), which is what a naive
// implementation pays per candidate minute.
//
//   jobhost_bench_next_fire [--benchmark_min_time=0.05]
//
// Results depend on the host's time zone (TZ or /etc/localtime), which is
// printed in the context. Goal: next() under 1 us per call.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "schedule/schedule.hpp"

namespace {

using std::chrono::system_clock;

// Start instants spread over 2020-2030 with sub-second fractions, so the
// benchmark does not replay one lucky path.
const std::array<system_clock::time_point, 1024>& starts() {
  static const auto values = [] {
    std::array<system_clock::time_point, 1024> out{};
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (auto& t : out) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const std::int64_t seconds = 1577836800 + static_cast<std::int64_t>(x % 315576000);  // 2020..2030
      t = system_clock::time_point{std::chrono::seconds{seconds} + std::chrono::nanoseconds{x % 1000000000}};
    }
    return out;
  }();
  return values;
}

void BM_Next(benchmark::State& state, const char* spec) {
  const auto schedule = jobhost::schedule::parse_schedule(spec);
  const auto& from = starts();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(schedule->next(from[i++ % from.size()]));
  }
  state.SetLabel(spec);
}

BENCHMARK_CAPTURE(BM_Next, every_5_minutes, "*/5 * * * *");
BENCHMARK_CAPTURE(BM_Next, weekdays_0930, "0 30 9 * * MON-FRI");
BENCHMARK_CAPTURE(BM_Next, hourly, "@hourly");
BENCHMARK_CAPTURE(BM_Next, new_year, "0 0 1 1 *");
BENCHMARK_CAPTURE(BM_Next, every_15s, "@every 15s");
BENCHMARK_CAPTURE(BM_Next, leap_day, "0 0 29 2 *");

// Baseline: one libc local-time round trip.
void BM_LocaltimeMktime(benchmark::State& state) {
  const auto& from = starts();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::time_t t = system_clock::to_time_t(from[i++ % from.size()]);
    std::tm fields{};
    localtime_r(&t, &fields);
    fields.tm_isdst = -1;
    benchmark::DoNotOptimize(std::mktime(&fields));
  }
}
BENCHMARK(BM_LocaltimeMktime);

// For reference: localtime_r alone (next() makes about two of these).
void BM_Localtime(benchmark::State& state) {
  const auto& from = starts();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::time_t t = system_clock::to_time_t(from[i++ % from.size()]);
    std::tm fields{};
    benchmark::DoNotOptimize(localtime_r(&t, &fields));
  }
}
BENCHMARK(BM_Localtime);

}  // namespace

int main(int argc, char** argv) {
  const char* tz = std::getenv("TZ");
  benchmark::AddCustomContext("TZ", tz != nullptr ? tz : "(unset: /etc/localtime)");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
