// What a worker process adds to a run and to a chain call, and how soon a
// plugin whose worker crashed runs again.
//
//   jobhost_bench_worker_round_trip [--runs N] [--calls N] [--crashes N]
//
// The round_trip fixture placed as the host places plugins
// (isolation::place_plugin): in a worker process, and, the baseline in the
// same run, in this process (isolation none).
// 1. `--runs` (20,000) runs of round_trip.noop in each, in alternating blocks
//    of 1,000: p50 and p99 of one run, and the p50 the worker adds.
//    Goal: under 50 us added. Measured twice: as a caller that waits for
//    the run sees it (run-job, the job's run function), and as the daemon
//    runs it (PluginWorker::start_run: from the start until the run's end
//    is handled on the daemon's reader of the worker, with no thread
//    waiting for it in between).
// 2. `--calls` (10,000) chain_id() calls from one run of
//    round_trip.chain_calls, 5 runs in each, on a chain of the host's whose
//    answer costs nothing: the time per call, and what the worker adds.
//    Goal: under 30 us added. Beside it: a bare ping-pong of a byte over a
//    socketpair between two processes that sleep while they wait
//    (process_ring.hpp), the two wake-ups a call would cost if both ends of
//    the lane slept (they stay awake while calls come quickly:
//    protocol::AdaptiveSpin); and the CPU a call costs, the host's and the
//    worker's, for these calls and for calls whose answer takes a
//    millisecond (for which nobody spins).
// 3. `--crashes` (5) times, round_trip.crash segfaults its worker; then a
//    run is tried every millisecond until one succeeds: with the restart
//    backoff at 0, the time a restart costs (fork, exec, load, handshake);
//    the daemon's first backoff (1 s) comes on top. The baseline: in-process,
//    the crash ends the daemon, which systemd starts again after RestartSec
//    (5 s in packaging/jobhost.service.in); its start-up with this plugin
//    (spawn to READY=1) is measured here.
// No goal is asserted.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_daemon.hpp"
#include "bench_flags.hpp"
#include "jobhost/testing.hpp"
#include "isolation/place_plugin.hpp"
#include "logging/log_hub.hpp"
#include "process_figures.hpp"
#include "process_ring.hpp"
#include "spread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace jobhost;
using Microseconds = std::chrono::duration<double, std::micro>;
using FakeContext = jobhost::testing::FakeJobContext;

// A chain whose chain_id() takes `answer_time` (nothing by default; a
// millisecond, as a node over the network does).
class BenchChain final : public ChainClient {
 public:
  explicit BenchChain(std::chrono::microseconds answer_time = {}) : answer_time_(answer_time) {}
  std::uint64_t chain_id() override {
    if (answer_time_.count() > 0) std::this_thread::sleep_for(answer_time_);
    return 1337;
  }
  std::uint64_t block_number() override { return 1; }
  std::vector<TxInfo> tx_infos(const std::vector<std::string>&) override { return {}; }
  std::string call(const std::string&, const std::string&) override { return "null"; }

 private:
  std::chrono::microseconds answer_time_;
};

struct Placement {
  loader::LoadedPlugin plugin;
  const JobDefinition& job(const std::string& name) const {
    for (const auto& job : plugin.jobs) {
      if (job->name == name) return *job;
    }
    throw std::runtime_error("round_trip has no job " + name);
  }
};

struct Quantiles {
  double p50 = 0, p99 = 0;
};

Quantiles quantiles(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return {samples[samples.size() / 2], samples[std::min(samples.size() - 1, samples.size() * 99 / 100)]};
}

double time_run_us(const JobDefinition& job, FakeContext& context) {
  const auto began = std::chrono::steady_clock::now();
  job.run(context);
  return Microseconds(std::chrono::steady_clock::now() - began).count();
}

// A run as the daemon starts it: the time from the start to its end on the
// reader thread (the wait for it to be seen here is not counted).
double time_started_run_us(runtime::PluginWorker& worker, FakeContext& context) {
  std::mutex mutex;
  std::condition_variable ended;
  std::optional<std::chrono::steady_clock::time_point> end;
  const auto began = std::chrono::steady_clock::now();
  worker.start_run("noop", context, [&](std::exception_ptr) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex);
    end = now;
    ended.notify_all();
  });
  std::unique_lock lock(mutex);
  ended.wait(lock, [&] { return end.has_value(); });
  return Microseconds(*end - began).count();
}

// The CPU time used so far by this process and the processes it started that
// still run (the worker), in seconds.
double cpu_of_this_and_children() {
  double seconds = bench::cpu_seconds(::getpid());
  for (const pid_t child : testing::child_processes(::getpid())) seconds += bench::cpu_seconds(child);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t runs = std::max<std::size_t>(1000, bench::flag(argc, argv, "--runs", 20000));
  const std::size_t calls = std::max<std::size_t>(1, bench::flag(argc, argv, "--calls", 10000));
  const std::size_t crashes = std::max<std::size_t>(1, bench::flag(argc, argv, "--crashes", 5));

  testing::TempDir dir;
  testing::copy_fixture("round_trip", dir.path());
  const auto file = dir / "round_trip.so";
  logging::LogHub logs(logging::LogOptions{.levels = {}, .file = dir / "jobhost.log"});
  loader::PluginEnvironment env{logs, [](const std::string&) { return Settings(); },
                                loader::ShadowCopies::temporary({})};
  isolation::Supervisor supervisor(JOBHOST_BENCH_WORKER, 0);
  BenchChain chain;
  jobhost::testing::FakeClientProvider clients;
  clients.add("x", chain);
  BenchChain slow_chain(std::chrono::milliseconds(1));
  clients.add("slow", slow_chain);
  isolation::SupervisionPolicy restart_at_once{.first_backoff = std::chrono::milliseconds(0),
                                               .max_backoff = std::chrono::milliseconds(0),
                                               .healthy_after = std::chrono::milliseconds(60000),
                                               .quarantine_deaths = crashes + 1};
  isolation::IsolationChoice in_worker{.host_wide = isolation::Isolation::process, .plugins = {}};
  isolation::IsolationChoice in_process{.host_wide = isolation::Isolation::none, .plugins = {}};
  const Placement worker{isolation::place_plugin(file, env, {supervisor, &clients, restart_at_once}, in_worker)};
  const Placement local{isolation::place_plugin(file, env, {supervisor, &clients, restart_at_once}, in_process)};
  if (!worker.plugin.worker || local.plugin.worker) throw std::runtime_error("the plugin was not placed as asked");
  FakeContext context("round_trip.noop", dir.path());
  context.provider.add("x", chain);

  std::printf("worker round trip: %zu runs, %zu chain calls a run, %zu crashes, %u cores\n", runs, calls, crashes,
              std::thread::hardware_concurrency());

  // 1. A run.
  std::vector<double> worker_us, local_us;
  for (std::size_t i = 0; i < 200; ++i) time_run_us(worker.job("noop"), context), time_run_us(local.job("noop"), context);
  for (std::size_t block = 0; block < runs / 1000; ++block) {
    for (std::size_t i = 0; i < 1000; ++i) worker_us.push_back(time_run_us(worker.job("noop"), context));
    for (std::size_t i = 0; i < 1000; ++i) local_us.push_back(time_run_us(local.job("noop"), context));
  }
  const Quantiles run_worker = quantiles(worker_us), run_local = quantiles(local_us);
  std::printf("%-44s p50 %8.2f us  p99 %8.2f us\n", "a run, in a worker process", run_worker.p50, run_worker.p99);
  std::printf("%-44s p50 %8.2f us  p99 %8.2f us\n", "baseline: a run, in-process", run_local.p50, run_local.p99);
  std::printf("%-44s p50 %8.2f us  (goal: under 50 us)\n", "added by the worker", run_worker.p50 - run_local.p50);
  std::vector<double> started_us;
  for (std::size_t i = 0; i < runs / 2; ++i) started_us.push_back(time_started_run_us(*worker.plugin.worker, context));
  const Quantiles run_started = quantiles(started_us);
  std::printf("%-44s p50 %8.2f us  p99 %8.2f us\n", "a run as the daemon runs it, in a worker", run_started.p50,
              run_started.p99);
  std::printf("%-44s p50 %8.2f us  (goal: under 50 us)\n", "added by the worker", run_started.p50 - run_local.p50);

  // 2. A chain call.
  context.job_settings = Settings(std::map<std::string, std::string>{{"calls", std::to_string(calls)}});
  std::vector<double> worker_call_us, local_call_us, ping_pong;
  double worker_cpu_s = 0, local_cpu_s = 0;
  for (int i = 0; i < 5; ++i) {
    double cpu = cpu_of_this_and_children();
    worker_call_us.push_back(time_run_us(worker.job("chain_calls"), context) / static_cast<double>(calls));
    worker_cpu_s += cpu_of_this_and_children() - cpu;
    cpu = cpu_of_this_and_children();
    local_call_us.push_back(time_run_us(local.job("chain_calls"), context) / static_cast<double>(calls));
    local_cpu_s += cpu_of_this_and_children() - cpu;
    ping_pong.push_back(2 * bench::process_ring_hop_us(2, calls));  // a round trip is 2 hops
  }
  const auto call_worker = bench::spread(worker_call_us), call_local = bench::spread(local_call_us);
  const auto floor = bench::spread(ping_pong);
  std::printf("%-44s p50 %8.2f us  max %8.2f us\n", "a chain call, from a worker process", call_worker.p50,
              call_worker.max);
  std::printf("%-44s p50 %8.3f us  max %8.3f us\n", "baseline: a chain call, in-process", call_local.p50,
              call_local.max);
  std::printf("%-44s p50 %8.2f us  (goal: under 30 us)\n", "added by the worker", call_worker.p50 - call_local.p50);
  std::printf("%-44s p50 %8.2f us  max %8.2f us  (the worker adds %.2fx this)\n",
              "baseline: a bare ping-pong, both ends asleep", floor.p50, floor.max,
              (call_worker.p50 - call_local.p50) / floor.p50);
  const double all_calls = 5.0 * static_cast<double>(calls);
  std::printf("%-44s %8.2f us a call, the host's and the worker's (in-process: %.2f us)\n",
              "CPU of a chain call, from a worker process", worker_cpu_s * 1e6 / all_calls,
              local_cpu_s * 1e6 / all_calls);
  // Calls whose answer takes a millisecond: nobody spins for them.
  const std::size_t slow_calls = std::max<std::size_t>(100, calls / 5);
  context.job_settings =
      Settings(std::map<std::string, std::string>{{"calls", std::to_string(slow_calls)}, {"chain", "slow"}});
  const double cpu_before_slow = cpu_of_this_and_children();
  const double slow_call_us = time_run_us(worker.job("chain_calls"), context) / static_cast<double>(slow_calls);
  std::printf("%-44s %8.2f us a call, the host's and the worker's, for one taking %.0f us\n",
              "CPU of a chain call answered in 1 ms", (cpu_of_this_and_children() - cpu_before_slow) * 1e6 /
              static_cast<double>(slow_calls), slow_call_us);

  // 3. A crash.
  std::vector<double> back_ms;
  for (std::size_t crash = 0; crash < crashes; ++crash) {
    context.job_settings = Settings(std::map<std::string, std::string>{{"crash", "yes"}});
    try {
      worker.job("crash").run(context);
      throw std::runtime_error("round_trip.crash did not crash");
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()).find("died: SIGSEGV") == std::string::npos) throw;
    }
    const auto crashed = std::chrono::steady_clock::now();
    context.job_settings = Settings();
    for (;;) {
      try {
        worker.job("crash").run(context);
        break;
      } catch (const std::runtime_error&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    back_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - crashed).count());
  }
  std::vector<double> daemon_ms;
  for (std::size_t start = 0; start < crashes; ++start) {
    testing::TempDir work;
    bench::BenchDaemon daemon(dir.path(), work.path(), {"--set", "isolation=none"});
    daemon_ms.push_back(daemon.start_up().count());
    if (daemon.stop() != 0) throw std::runtime_error("jobhost run did not stop cleanly:\n" + daemon.log());
  }
  const auto back = bench::spread(back_ms), daemon_start = bench::spread(daemon_ms);
  std::printf("%-44s p50 %8.1f ms  max %8.1f ms  (+ the first backoff, 1 s)\n",
              "crash to the next successful run (worker)", back.p50, back.max);
  std::printf("%-44s p50 %8.1f ms  max %8.1f ms  (+ RestartSec, 5 s)\n",
              "baseline: daemon start-up, in-process", daemon_start.p50, daemon_start.max);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "jobhost_bench_worker_round_trip: %s\n", e.what());
  return 1;
}
