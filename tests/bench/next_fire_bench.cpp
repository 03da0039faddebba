// Schedule::next for typical specs, and a baseline: one libc local-time
// conversion round trip (localtime_r + mktime), which is what a naive
// implementation pays per candidate minute.
//
//   jobhost_bench_next_fire [--benchmark_min_time=0.05]
//
// The plain specs are matched in UTC; the zoned ones in America/New_York
// (whose DST changes the 2020-2030 starts cross) or through a CRON_TZ=
// prefix. The baseline uses the host's time zone (TZ or /etc/localtime),
// printed in the context. Goals: next() under 1 us per call, under 2 us with
// a zone.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

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
  const auto schedule = jobhost::schedule::parse_schedule(spec, jobhost::schedule::TimeZone::utc());
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
// Quartz extras.
BENCHMARK_CAPTURE(BM_Next, last_day, "0 0 L * *");
BENCHMARK_CAPTURE(BM_Next, nearest_weekday_15W, "0 0 9 15W * *");
BENCHMARK_CAPTURE(BM_Next, last_weekday_LW, "0 0 18 LW * *");
BENCHMARK_CAPTURE(BM_Next, last_friday_5L, "0 30 17 ? * 5L");
BENCHMARK_CAPTURE(BM_Next, second_tuesday_2_hash_2, "0 0 10 ? * 2#2");
BENCHMARK_CAPTURE(BM_Next, fifth_monday_feb, "0 0 * 2 1#5");

// The same kinds of spec matched in a zone with DST.
void BM_NextZoned(benchmark::State& state, const char* spec) {
  const auto schedule =
      jobhost::schedule::parse_schedule(spec, jobhost::schedule::TimeZone::named("America/New_York"));
  const auto& from = starts();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(schedule->next(from[i++ % from.size()]));
  }
  state.SetLabel(std::string(spec) + " in America/New_York");
}

BENCHMARK_CAPTURE(BM_NextZoned, every_5_minutes, "*/5 * * * *");
BENCHMARK_CAPTURE(BM_NextZoned, weekdays_0930, "0 30 9 * * MON-FRI");
BENCHMARK_CAPTURE(BM_NextZoned, daily_0230_fixed, "30 2 * * *");
BENCHMARK_CAPTURE(BM_NextZoned, hourly, "@hourly");
BENCHMARK_CAPTURE(BM_NextZoned, new_year, "0 0 1 1 *");
BENCHMARK_CAPTURE(BM_NextZoned, last_weekday_LW, "0 0 18 LW * *");
BENCHMARK_CAPTURE(BM_NextZoned, second_tuesday_2_hash_2, "0 0 10 ? * 2#2");
BENCHMARK_CAPTURE(BM_Next, cron_tz_prefix_lord_howe, "CRON_TZ=Australia/Lord_Howe 0 30 9 * * MON-FRI");

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
