// Hot drop-in latency of the real daemon (`jobhost run`): how long after a
// plugin file is renamed into its plugin directory the plugin is loaded and
// its job first runs, and the same for a file renamed over a loaded plugin
// whose job runs every second (a swap).
//
//   jobhost_bench_drop_in_latency [--swaps N] [--starts N]
//
// The plugins are distinct copies of the many_jobs fixture (plugin_copies.hpp)
// with one job, job_0, made to fire every second. It logs "ran", so a
// plugin's first run is its first `[NAME.job_0] ran` line, whose timestamp
// (milliseconds, the daemon's wall clock) is when the run started. One daemon,
// with the default settings, then `--swaps` (50) times:
// 1. drop-in: copy A is dropped in as p.so (copied as .p.so.tmp, renamed);
//    t0 is just before the rename. "To loaded" ends at the reloader's
//    `p.so: loaded, 1 jobs scheduled` line, "to first run" at A's first run;
// 2. swap: while A runs every second, copy B is renamed over p.so. "To
//    loaded" ends at the `loaded` line after A was drained and unloaded, "to
//    first run" at B's first run; A must not run after its unload line;
// 3. p.so is removed, and must be logged unloaded.
// A job on an every-second schedule starts at the next whole second after it
// is scheduled, so "to first run" includes a wait of 0-1 s that depends only
// on where in the second it was scheduled. Each rename (and each start below)
// waits a random 0-1 s first (fixed seed), so that point is random rather than
// locked to the previous run.
// The baselines:
// - the settle time: a rename is applied once the directory has been quiet
//   that long (100 ms, loader/plugin_dir_watcher.hpp) after it, so "to
//   loaded" cannot be shorter; the excess is the watcher's and the
//   reloader's own cost;
// - the same plugin present at start, `--starts` (20) fresh daemons: spawn to
//   READY=1 (loaded and scheduled) and spawn to first run, with the same wait
//   for a whole second: a drop-in's "to first run" should be about that plus
//   the settle time.
// Prints p50 and max of each, and ratios. Exits non-zero when an expected log
// line does not come within 10 s or the daemon does not stop cleanly; no goal
// is asserted.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_daemon.hpp"
#include "bench_flags.hpp"
#include "plugin_copies.hpp"
#include "spread.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace jobhost;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// The watcher's quiet period after a rename (PluginDirWatcherOptions::settle).
constexpr auto kSettle = 100ms;
constexpr auto kLineTimeout = 10s;

// The time at the start of a text log line, e.g.
// `2026-11-28T19:42:39.000+00:00 [info] [good.tick] tick!`.
Clock::time_point line_time(const std::string& line) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0, offset_hours = 0,
      offset_minutes = 0;
  char sign = 0;
  if (std::sscanf(line.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%2d:%2d", &year, &month, &day, &hour, &minute, &second,
                  &millisecond, &sign, &offset_hours, &offset_minutes) != 10 ||
      (sign != '+' && sign != '-')) {
    throw std::runtime_error("a log line without a timestamp: " + line);
  }
  const std::chrono::minutes offset = std::chrono::hours(offset_hours) + std::chrono::minutes(offset_minutes);
  const auto local = std::chrono::sys_days(std::chrono::year(year) / month / day) + std::chrono::hours(hour) +
                     std::chrono::minutes(minute) + std::chrono::seconds(second) +
                     std::chrono::milliseconds(millisecond);
  return Clock::time_point(sign == '+' ? local - offset : local + offset);
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The daemon's log file, read as it grows.
class LogFile {
 public:
  struct Line {
    Clock::time_point time;
    std::size_t end;  // where the line ends in the log
  };

  explicit LogFile(std::filesystem::path file) : file_(std::move(file)) {}

  // Where the complete lines written so far end.
  std::size_t end() {
    read_more();
    const auto newline = text_.rfind('\n');
    return newline == std::string::npos ? 0 : newline + 1;
  }

  // The first complete line after `from` that contains `text`, if any.
  std::optional<Line> find(const std::string& text, std::size_t from) {
    read_more();
    for (auto at = text_.find(text, from); at != std::string::npos; at = text_.find(text, at + 1)) {
      const auto begin = text_.rfind('\n', at);
      const auto line_begin = begin == std::string::npos ? 0 : begin + 1;
      const auto line_end = text_.find('\n', at);
      if (line_end == std::string::npos) return std::nullopt;
      if (line_begin < from) continue;
      return Line{line_time(text_.substr(line_begin, line_end - line_begin)), line_end + 1};
    }
    return std::nullopt;
  }

  // The same, waiting up to 10 s for it; throws with the log's end when it
  // does not come.
  Line wait_for(const std::string& text, std::size_t from) {
    const auto deadline = std::chrono::steady_clock::now() + kLineTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto line = find(text, from)) return *line;
      std::this_thread::sleep_for(2ms);
    }
    throw std::runtime_error("no log line with \"" + text + "\" within 10 s; the log ends:\n" + tail());
  }

  std::string tail() const { return text_.size() <= 4000 ? text_ : "..." + text_.substr(text_.size() - 4000); }

 private:
  void read_more() {
    std::ifstream in(file_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(text_.size()));
    text_.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::filesystem::path file_;
  std::string text_;
};

struct Latencies {
  std::vector<double> to_loaded, to_first_run;
};

// Waits a random part of a second, so that what comes next falls at a random
// point of the second.
class RandomPhase {
 public:
  void wait() { std::this_thread::sleep_for(std::chrono::microseconds(phase_(random_))); }

 private:
  std::mt19937 random_{20261128};
  std::uniform_int_distribution<int> phase_{0, 999'999};
};

std::string ran(const std::string& plugin) { return "[" + plugin + ".job_0] ran"; }

// Drop-ins, swaps and removals of one file in one daemon, as the header says.
void drop_in_and_swap(const std::filesystem::path& dir, std::size_t swaps, RandomPhase& phase, Latencies& drops,
                      Latencies& replacements) {
  const auto plugins = dir / "plugins";
  std::filesystem::create_directories(plugins);
  std::filesystem::permissions(plugins, std::filesystem::perms(0755));
  std::filesystem::create_directories(dir / "copies");
  const auto copies = bench::make_plugin_copies(dir / "copies", 2 * swaps);

  std::vector<std::string> args = bench::plugin_copy_job_args(copies.size(), 1);
  const auto schedules = bench::plugin_copy_schedule_args(copies.size(), "@every 1s");
  args.insert(args.end(), schedules.begin(), schedules.end());
  args.insert(args.end(), {"--log-file", (dir / "jobhost.log").string()});
  bench::BenchDaemon daemon(plugins, dir, args);
  LogFile log(daemon.log_file());

  const std::string file = (plugins / "p.so").string();
  const std::string loaded = file + ": loaded, 1 jobs scheduled";
  for (std::size_t i = 0; i < swaps; ++i) {
    const std::string a = bench::plugin_copy_name(2 * i), b = bench::plugin_copy_name(2 * i + 1);

    phase.wait();
    std::size_t from = log.end();
    auto renamed_at = bench::drop_in(copies[2 * i], plugins, "p.so");
    drops.to_loaded.push_back(ms_between(renamed_at, log.wait_for(loaded, from).time));
    drops.to_first_run.push_back(ms_between(renamed_at, log.wait_for(ran(a), from).time));

    phase.wait();
    from = log.end();
    renamed_at = bench::drop_in(copies[2 * i + 1], plugins, "p.so");
    const auto unloaded = log.wait_for(file + ": replaced; its plugin is unloaded", from);
    replacements.to_loaded.push_back(ms_between(renamed_at, log.wait_for(loaded, unloaded.end).time));
    replacements.to_first_run.push_back(ms_between(renamed_at, log.wait_for(ran(b), from).time));
    if (log.find(ran(a), unloaded.end)) {
      throw std::runtime_error(a + " ran after it was unloaded; the log ends:\n" + log.tail());
    }

    from = log.end();
    std::filesystem::remove(plugins / "p.so");
    log.wait_for(file + ": removed; its plugin is unloaded", from);
  }
  if (const int status = daemon.stop(); status != 0) {
    throw std::runtime_error("jobhost run exited with status " + std::to_string(status) + "; the log ends:\n" +
                             log.tail());
  }
}

// Fresh daemons with one plugin present from the start: spawn to READY=1
// and spawn to its job's first run.
void start_with_plugin(const std::filesystem::path& dir, std::size_t starts, RandomPhase& phase, Latencies& into) {
  const auto plugins = dir / "present";
  std::filesystem::create_directories(plugins);
  std::filesystem::permissions(plugins, std::filesystem::perms(0755));
  bench::make_plugin_copies(plugins, 1);
  std::vector<std::string> args = bench::plugin_copy_job_args(1, 1);
  const auto schedules = bench::plugin_copy_schedule_args(1, "@every 1s");
  args.insert(args.end(), schedules.begin(), schedules.end());
  for (std::size_t i = 0; i < starts; ++i) {
    testing::TempDir work;
    std::vector<std::string> run_args = args;
    run_args.insert(run_args.end(), {"--log-file", (work / "jobhost.log").string()});
    phase.wait();
    bench::BenchDaemon daemon(plugins, work.path(), run_args);
    LogFile log(daemon.log_file());
    into.to_loaded.push_back(daemon.start_up().count());
    into.to_first_run.push_back(ms_between(daemon.spawned_at(), log.wait_for(ran(bench::plugin_copy_name(0)), 0).time));
    if (const int status = daemon.stop(); status != 0) {
      throw std::runtime_error("jobhost run exited with status " + std::to_string(status) + "; the log ends:\n" +
                               log.tail());
    }
  }
}

void print_row(const char* what, const Latencies& latencies) {
  const auto loaded = bench::spread(latencies.to_loaded), first_run = bench::spread(latencies.to_first_run);
  std::printf("%-46s %8.1f / %8.1f ms     %8.1f / %8.1f ms\n", what, loaded.p50, loaded.max, first_run.p50,
              first_run.max);
}

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t swaps = std::max<std::size_t>(1, bench::flag(argc, argv, "--swaps", 50));
  const std::size_t starts = std::max<std::size_t>(1, bench::flag(argc, argv, "--starts", 20));

  testing::TempDir dir;
  RandomPhase phase;
  Latencies drops, replacements, present;
  drop_in_and_swap(dir.path(), swaps, phase, drops, replacements);
  start_with_plugin(dir.path(), starts, phase, present);

  const double settle_ms = std::chrono::duration<double, std::milli>(kSettle).count();
  std::printf("hot drop-in latency: %zu drop-ins and %zu swaps of a plugin whose job runs every second, %zu starts, "
              "settle %.0f ms, %u cores\n",
              swaps, swaps, starts, settle_ms, std::thread::hardware_concurrency());
  std::printf("%-46s %-28s %s\n", "", "to loaded (p50 / max)", "to first run (p50 / max)");
  print_row("drop-in (rename of a new file)", drops);
  print_row("swap (rename over the running plugin's file)", replacements);
  print_row("baseline: present at start (from the spawn)", present);
  std::printf("%-46s %8.1f ms\n", "baseline: the settle time after a rename", settle_ms);

  const auto drop_loaded = bench::spread(drops.to_loaded), swap_loaded = bench::spread(replacements.to_loaded);
  const auto drop_run = bench::spread(drops.to_first_run), swap_run = bench::spread(replacements.to_first_run);
  const auto start_run = bench::spread(present.to_first_run);
  std::printf("ratio to loaded / settle time: drop-in p50 %.2fx (+%.1f ms), swap p50 %.2fx (+%.1f ms)\n",
              drop_loaded.p50 / settle_ms, drop_loaded.p50 - settle_ms, swap_loaded.p50 / settle_ms,
              swap_loaded.p50 - settle_ms);
  std::printf("ratio to first run / present at start: drop-in p50 %.1fx (+%.1f ms), swap p50 %.1fx (+%.1f ms); "
              "the settle time is %.0f ms of that\n",
              drop_run.p50 / start_run.p50, drop_run.p50 - start_run.p50, swap_run.p50 / start_run.p50,
              swap_run.p50 - start_run.p50, settle_ms);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "jobhost_bench_drop_in_latency: %s\n", e.what());
  return 1;
}
