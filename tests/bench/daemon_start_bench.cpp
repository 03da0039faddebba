// Start-up time and resident memory of the real daemon (`jobhost run`) with
// many plugins and jobs.
//
//   jobhost_bench_daemon_start [--plugins N] [--jobs-per-plugin N] [--runs N]
//
// `--plugins` (200) distinct copies of the many_jobs fixture with
// `--jobs-per-plugin` (50) jobs each (10,000 jobs, none firing during the
// bench). `--runs` (5) times, alternately:
// 1. `jobhost run` with those plugins, each in its worker process (the
//    default isolation): also the workers' proportional set size (Pss), in
//    all and of one idle worker;
// 2. the same with `isolation = none`, every plugin in the daemon;
// 3. the baseline: `jobhost run` with an empty plugin directory.
// Start-up is the time from the spawn to the daemon's READY=1 on its notify
// socket (sent after the scheduler started, so after /healthz answers); then
// VmRSS and VmHWM from /proc/PID/status, /healthz must answer 200 and the
// daemon must say it started with every plugin and job, or the bench fails.
// Each run gets a fresh state directory.
// 3. The other baseline, in this process: a bare dlopen + dlclose of the
//    same files, `--runs` times.
// Prints p50 and max of each, and their ratios. No goal is asserted.
#include <dlfcn.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_daemon.hpp"
#include "bench_flags.hpp"
#include "plugin_copies.hpp"
#include "process_figures.hpp"
#include "spread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace jobhost;
using Milliseconds = std::chrono::duration<double, std::milli>;

struct StartUps {
  std::vector<double> ms, rss_mib, hwm_mib;
  std::vector<double> workers_pss_mib, worker_pss_mib, worker_rss_mib;  // all workers of a start; each worker
};

// One start and stop of the daemon; throws when it does not start, does not
// load everything or does not stop cleanly.
void start_once(const std::filesystem::path& plugin_dir, std::vector<std::string> args, bool isolated,
                std::size_t plugins, std::size_t jobs, StartUps& into) {
  if (!isolated) args.insert(args.end(), {"--set", "isolation=none"});
  testing::TempDir work;
  bench::BenchDaemon daemon(plugin_dir, work.path(), args);
  const auto memory = bench::resident_memory(daemon.pid());
  into.ms.push_back(daemon.start_up().count());
  into.rss_mib.push_back(memory.vm_rss_mib);
  into.hwm_mib.push_back(memory.vm_hwm_mib);
  const std::vector<pid_t> workers = testing::child_processes(daemon.pid());
  if (workers.size() != (isolated ? plugins : 0)) {
    throw std::runtime_error("the daemon runs " + std::to_string(workers.size()) + " worker processes");
  }
  if (isolated) {
    double all = 0;
    for (pid_t worker : workers) {
      const double pss = bench::proportional_set_size_mib(worker);
      into.worker_pss_mib.push_back(pss);
      into.worker_rss_mib.push_back(bench::resident_memory(worker).vm_rss_mib);
      all += pss;
    }
    into.workers_pss_mib.push_back(all);
  }

  httplib::Client client("127.0.0.1", daemon.port());
  const auto health = client.Get("/healthz");
  if (!health || health->status != 200) throw std::runtime_error("/healthz did not answer 200");
  const std::string started = "started: " + std::to_string(plugins) + " plugins, " + std::to_string(jobs) + " jobs";
  if (daemon.log().find(started) == std::string::npos) {
    throw std::runtime_error("the daemon did not log \"" + started + "\":\n" + daemon.log());
  }
  if (const int status = daemon.stop(); status != 0) {
    throw std::runtime_error("jobhost run exited with status " + std::to_string(status) + ":\n" + daemon.log());
  }
}

std::vector<double> bare_dlopen_runs(const std::vector<std::filesystem::path>& files, std::size_t runs) {
  std::vector<double> ms;
  for (std::size_t run = 0; run < runs; ++run) {
    const auto began = std::chrono::steady_clock::now();
    std::vector<void*> handles;
    for (const auto& file : files) {
      void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) throw std::runtime_error(std::string("dlopen failed: ") + dlerror());
      handles.push_back(handle);
    }
    for (void* handle : handles) dlclose(handle);
    ms.push_back(Milliseconds(std::chrono::steady_clock::now() - began).count());
  }
  return ms;
}

void print_start_ups(const char* what, const StartUps& runs) {
  const auto ms = bench::spread(runs.ms), rss = bench::spread(runs.rss_mib), hwm = bench::spread(runs.hwm_mib);
  std::printf("%-44s p50 %8.1f ms  max %8.1f ms   VmRSS p50 %6.1f MiB  max %6.1f   VmHWM p50 %6.1f MiB  max %6.1f\n",
              what, ms.p50, ms.max, rss.p50, rss.max, hwm.p50, hwm.max);
}

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t plugins = bench::flag(argc, argv, "--plugins", 200);
  const std::size_t jobs_per_plugin = bench::flag(argc, argv, "--jobs-per-plugin", 50);
  const std::size_t runs = std::max<std::size_t>(1, bench::flag(argc, argv, "--runs", 5));
  const std::size_t jobs = plugins * jobs_per_plugin;

  testing::TempDir dir;
  std::filesystem::create_directories(dir / "plugins");
  std::filesystem::create_directories(dir / "empty");
  const auto files = bench::make_plugin_copies(dir / "plugins", plugins);
  const std::vector<std::string> args = bench::plugin_copy_job_args(plugins, jobs_per_plugin);

  std::printf("daemon start-up (spawn to READY=1): %zu plugins x %zu jobs = %zu jobs, %zu runs, %u cores\n", plugins,
              jobs_per_plugin, jobs, runs, std::thread::hardware_concurrency());
  StartUps loaded, in_process, empty;
  for (std::size_t run = 0; run < runs; ++run) {
    start_once(dir / "plugins", args, true, plugins, jobs, loaded);
    start_once(dir / "plugins", args, false, plugins, jobs, in_process);
    start_once(dir / "empty", {}, false, 0, 0, empty);
  }
  const auto dlopen_ms = bench::spread(bare_dlopen_runs(files, runs));

  const std::string with = "jobhost run, " + std::to_string(plugins) + " plugins, " + std::to_string(jobs) + " jobs";
  print_start_ups(with.c_str(), loaded);
  const auto all_pss = bench::spread(loaded.workers_pss_mib), one_pss = bench::spread(loaded.worker_pss_mib);
  const auto one_rss = bench::spread(loaded.worker_rss_mib);
  std::printf("%-44s all p50 %6.1f MiB  one idle worker p50 %5.2f MiB  max %5.2f (goal: under 6 MiB); its VmRSS "
              "p50 %5.2f MiB\n",
              "  its worker processes' Pss", all_pss.p50, one_pss.p50, one_pss.max, one_rss.p50);
  print_start_ups("baseline: the same with isolation = none", in_process);
  print_start_ups("baseline: jobhost run, empty plugin dir", empty);
  std::printf("%-44s p50 %8.1f ms  max %8.1f ms\n", "baseline: bare dlopen+dlclose, in-process", dlopen_ms.p50,
              dlopen_ms.max);

  const auto ms = bench::spread(loaded.ms), empty_ms = bench::spread(empty.ms);
  const auto rss = bench::spread(loaded.rss_mib), empty_rss = bench::spread(empty.rss_mib);
  const auto hwm = bench::spread(loaded.hwm_mib), empty_hwm = bench::spread(empty.hwm_mib);
  std::printf("ratio start-up loaded/empty: p50 %.1fx (+%.1f ms, %.2f ms per plugin)\n", ms.p50 / empty_ms.p50,
              ms.p50 - empty_ms.p50, (ms.p50 - empty_ms.p50) / static_cast<double>(std::max<std::size_t>(plugins, 1)));
  std::printf("ratio (start-up loaded - empty) / bare dlopen: p50 %.1fx\n", (ms.p50 - empty_ms.p50) / dlopen_ms.p50);
  std::printf("ratio VmRSS loaded/empty: p50 %.1fx (+%.1f MiB, %.1f KiB per job); VmHWM %.1fx (+%.1f MiB)\n",
              rss.p50 / empty_rss.p50, rss.p50 - empty_rss.p50,
              (rss.p50 - empty_rss.p50) * 1024 / static_cast<double>(std::max<std::size_t>(jobs, 1)),
              hwm.p50 / empty_hwm.p50, hwm.p50 - empty_hwm.p50);
  const auto none_ms = bench::spread(in_process.ms), none_rss = bench::spread(in_process.rss_mib);
  std::printf("ratio start-up process/none: p50 %.1fx (+%.2f ms per worker); daemon VmRSS process/none %.2fx; "
              "daemon VmRSS + workers' Pss, process/none: %.1fx\n",
              ms.p50 / none_ms.p50, (ms.p50 - none_ms.p50) / static_cast<double>(std::max<std::size_t>(plugins, 1)),
              rss.p50 / none_rss.p50, (rss.p50 + all_pss.p50) / none_rss.p50);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "jobhost_bench_daemon_start: %s\n", e.what());
  return 1;
}
