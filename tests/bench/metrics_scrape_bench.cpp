// The cost of a /metrics scrape of the real daemon (`jobhost run`) with many
// jobs.
//
//   jobhost_bench_metrics_scrape [--plugins N] [--jobs-per-plugin N] [--scrapes N]
//
// One daemon with `--plugins` (200) distinct copies of the many_jobs fixture,
// `--jobs-per-plugin` (50) jobs each (10,000 jobs, none firing during the
// bench). `--scrapes` (50) GETs each, one after the other, a new connection
// each, as Prometheus's first scrape of a target makes:
// 1. /metrics of the daemon;
// 2. the baseline: /healthz of the same daemon (the HTTP round trip alone);
// 3. the other baseline: a body of the same size as /metrics, served ready
//    made by cpp-httplib in this process (moving the bytes, not rendering
//    them).
// Every /metrics must answer 200 with every job and plugin in it, or the
// bench fails. Prints p50 and max latency, the daemon's CPU per request (from
// /proc/PID/stat), its VmRSS and VmHWM before and after, and the ratios. No
// goal is asserted.
#include <httplib.h>

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
#include "support/temp_dir.hpp"

namespace {

using namespace jobhost;
using namespace std::chrono_literals;
using Milliseconds = std::chrono::duration<double, std::milli>;

struct Scrapes {
  std::vector<double> ms;
  double daemon_cpu_ms_per_request = 0;
  std::size_t bytes = 0;
};

// `count` GETs of `path` on 127.0.0.1:`port`; throws unless each answers 200
// with a body `check` accepts. `daemon`: whose CPU to count (0: none).
template <class Check>
Scrapes scrape(int port, const char* path, std::size_t count, pid_t daemon, Check check) {
  Scrapes scrapes;
  const double cpu_before = daemon ? bench::cpu_seconds(daemon) : 0;
  for (std::size_t i = 0; i < count; ++i) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60s);
    const auto began = std::chrono::steady_clock::now();
    const auto response = client.Get(path);
    scrapes.ms.push_back(Milliseconds(std::chrono::steady_clock::now() - began).count());
    if (!response || response->status != 200) throw std::runtime_error(std::string(path) + " did not answer 200");
    check(response->body);
    scrapes.bytes = response->body.size();
  }
  if (daemon) scrapes.daemon_cpu_ms_per_request = (bench::cpu_seconds(daemon) - cpu_before) * 1000 / count;
  return scrapes;
}

// Throws unless `metrics` has `jobs` jobs and `plugins` plugins loaded.
void check_metrics(const std::string& metrics, std::size_t plugins, std::size_t jobs) {
  const std::string loaded = "\njobhost_plugins_loaded " + std::to_string(plugins) + "\n";
  if (metrics.find(loaded) == std::string::npos) throw std::runtime_error("/metrics lacks" + loaded);
  std::size_t running = 0;
  for (auto at = metrics.find("\njobhost_job_running{"); at != std::string::npos;
       at = metrics.find("\njobhost_job_running{", at + 1)) {
    ++running;
  }
  if (running != jobs) {
    throw std::runtime_error("/metrics has " + std::to_string(running) + " jobs, not " + std::to_string(jobs));
  }
}

// Serves `body` as /metrics on 127.0.0.1, two answering threads as the
// daemon's endpoint has, until it goes.
class StaticServer {
 public:
  explicit StaticServer(std::string body) : body_(std::move(body)) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(2); };
    server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
      response.set_content(body_, "text/plain; version=0.0.4; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot listen on 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~StaticServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::string body_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

void print(const char* what, const Scrapes& scrapes, bool daemon_cpu = true) {
  const auto ms = bench::spread(scrapes.ms);
  std::printf("%-46s p50 %8.3f ms  max %8.3f ms  %9zu bytes", what, ms.p50, ms.max, scrapes.bytes);
  if (daemon_cpu) std::printf("  daemon CPU %7.3f ms/request", scrapes.daemon_cpu_ms_per_request);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t plugins = bench::flag(argc, argv, "--plugins", 200);
  const std::size_t jobs_per_plugin = bench::flag(argc, argv, "--jobs-per-plugin", 50);
  const std::size_t count = std::max<std::size_t>(1, bench::flag(argc, argv, "--scrapes", 50));
  const std::size_t jobs = plugins * jobs_per_plugin;

  testing::TempDir dir;
  std::filesystem::create_directories(dir / "plugins");
  bench::make_plugin_copies(dir / "plugins", plugins);
  const std::vector<std::string> args = bench::plugin_copy_job_args(plugins, jobs_per_plugin);
  std::filesystem::create_directories(dir / "daemon");
  bench::BenchDaemon daemon(dir / "plugins", dir / "daemon", args);
  const auto check = [&](const std::string& body) { check_metrics(body, plugins, jobs); };
  const auto any = [](const std::string&) {};

  std::printf("/metrics scrape: %zu plugins x %zu jobs = %zu jobs, %zu scrapes each, %u cores\n", plugins,
              jobs_per_plugin, jobs, count, std::thread::hardware_concurrency());
  const auto before = bench::resident_memory(daemon.pid());
  const std::string body = [&] {  // a first scrape, untimed: warms up, and the static baseline serves it
    httplib::Client client("127.0.0.1", daemon.port());
    client.set_read_timeout(60s);
    const auto response = client.Get("/metrics");
    if (!response || response->status != 200) throw std::runtime_error("/metrics did not answer 200");
    check(response->body);
    return response->body;
  }();
  const auto metrics = scrape(daemon.port(), "/metrics", count, daemon.pid(), check);
  const auto after = bench::resident_memory(daemon.pid());
  const auto health = scrape(daemon.port(), "/healthz", count, daemon.pid(), any);
  StaticServer same_bytes(body);
  const auto served = scrape(same_bytes.port(), "/metrics", count, 0, any);
  if (const int status = daemon.stop(); status != 0) {
    throw std::runtime_error("jobhost run exited with status " + std::to_string(status) + ":\n" + daemon.log());
  }

  print("jobhost /metrics", metrics);
  print("baseline: jobhost /healthz", health);
  print("baseline: same bytes, ready made, in-process", served, false);
  const auto m = bench::spread(metrics.ms), h = bench::spread(health.ms), s = bench::spread(served.ms);
  std::printf("ratio /metrics / /healthz: p50 %.0fx; /metrics / same bytes: p50 %.1fx (render ~%.2f us per job)\n",
              m.p50 / h.p50, m.p50 / s.p50, (m.p50 - s.p50) * 1000 / static_cast<double>(std::max<std::size_t>(jobs, 1)));
  std::printf("daemon VmRSS %.1f -> %.1f MiB, VmHWM %.1f -> %.1f MiB across the /metrics scrapes (%.1fx)\n",
              before.vm_rss_mib, after.vm_rss_mib, before.vm_hwm_mib, after.vm_hwm_mib,
              after.vm_hwm_mib / before.vm_hwm_mib);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "jobhost_bench_metrics_scrape: %s\n", e.what());
  return 1;
}
