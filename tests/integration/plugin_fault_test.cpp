// Fault injection against a running daemon (issues 5 and 15): broken plugin
// files dropped into its plugin directory, a run that throws, a run that
// ignores its stop token (its worker killed; in-process, its plugin leaked),
// plugins that crash their worker, a worker stopped with SIGSTOP, a plugin
// that logs in a loop, and one plugin file dropped in, replaced and removed
// 100 times. Each fault is one
// log line naming the file, a healthy plugin's job keeps its schedule
// throughout, and the daemon's standard error holds no sanitizer report.
// (The same files are refused at loader level in
// host/loader/plugin_loader_test.cpp and plugin_safety_test.cpp.)
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "support/count.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

// The log lines that contain `text`.
std::vector<std::string> lines_with(const std::string& log, const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(text) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// The time of day of a log line ("2026-01-02T03:04:05.678+0000 ..."), in seconds.
double time_of_day(const std::string& line) {
  return std::stoi(line.substr(11, 2)) * 3600 + std::stoi(line.substr(14, 2)) * 60 + std::stod(line.substr(17, 6));
}

class PluginFaults : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path plugins = dir / "plugins";
  fs::path log = dir / "jobhost.log";
  std::unique_ptr<BackgroundProcess> daemon;
  // The healthy job's line, logged once a run, and when it first came.
  std::string tick = "[good.tick] tick!";
  std::chrono::steady_clock::time_point first_tick;

  void SetUp() override {
    fs::create_directory(plugins);
    fs::permissions(plugins, fs::perms(0755));
  }

  // A sanitizer's report: the daemon's on its standard error, a worker's in
  // the log (its output is the plugin's).
  void TearDown() override {
    const std::string err = read_file(dir / "err");
    const std::string text = read_file(log);
    for (const char* report : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer",
                               "runtime error:"}) {
      EXPECT_EQ(err.find(report), std::string::npos) << "the daemon's standard error:\n" << err;
      EXPECT_EQ(text.find(report), std::string::npos) << "the log:\n" << text;
    }
  }

  // Starts the daemon and waits for the healthy job's first run.
  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", "--plugin-dir", plugins.string(), "--state-dir", (dir / "state").string(),
                                     "--log-file", log.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon = std::make_unique<BackgroundProcess>(JOBHOST_TEST_BINARY, args, dir / "out", dir / "err");
    ASSERT_TRUE(logged(tick)) << read_file(log) << read_file(dir / "err");
    first_tick = std::chrono::steady_clock::now();
  }

  bool logged(const std::string& text, std::size_t times = 1) { return testing::log_holds(log, text, times); }

  int stop() {
    daemon->signal(SIGTERM);
    return daemon->wait_for_exit(15s);
  }

  // Lets `write` make a file beside the plugins under a name the host
  // ignores, and renames it into place as `as`.
  void drop_in(const std::function<void(const fs::path&)>& write, const std::string& as) {
    const fs::path incoming = plugins / ".incoming.tmp";
    write(incoming);
    fs::rename(incoming, plugins / as);
  }
  void drop_in(const std::string& fixture, const std::string& as) {
    drop_in([&](const fs::path& to) { copy_fixture(fixture, to.parent_path(), to.filename().string()); }, as);
  }

  // The healthy job has run about once a second since its first run (±2),
  // never more than 2.5 s apart.
  void expect_on_schedule() {
    const std::string text = read_file(log);
    const std::vector<std::string> ticks = lines_with(text, tick);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - first_tick).count();
    EXPECT_NEAR(static_cast<double>(ticks.size() - 1), elapsed, 2.0) << text;
    for (std::size_t i = 1; i < ticks.size(); ++i) {
      double gap = time_of_day(ticks[i]) - time_of_day(ticks[i - 1]);
      if (gap < 0) gap += 24 * 3600;  // past midnight
      EXPECT_LT(gap, 2.5) << "between\n" << ticks[i - 1] << "\n" << ticks[i];
    }
  }

  // The error lines naming `file`.
  std::vector<std::string> errors_naming(const fs::path& file) {
    std::vector<std::string> errors;
    for (const auto& line : lines_with(read_file(log), file.string() + ":")) {
      if (line.find(" [error] ") != std::string::npos) errors.push_back(line);
    }
    return errors;
  }
};

TEST_F(PluginFaults, EachBrokenFileDroppedInIsOneErrorLineAndTheOthersKeepTheirSchedule) {
  copy_fixture("good", plugins);
  start({"--set", "plugin-debounce=200ms"});
  const std::string good = read_file(fs::path(JOBHOST_TEST_FIXTURE_DIR) / "good.so");
  const auto fixture = [](const std::string& name) {
    return [name](const fs::path& to) { copy_fixture(name, to.parent_path(), to.filename().string()); };
  };
  const auto bytes = [](const std::string& content) {
    return [content](const fs::path& to) { testing::write_file(to, content); };
  };
  struct Fault {
    std::string file;
    std::function<void(const fs::path& incoming)> write;
    std::string cause;
  };
  const std::vector<Fault> faults = {
      {"constructor.so", fixture("throws_in_entry"), "entry point threw: constructor refuses"},
      {"configure.so", fixture("throws_in_configure"), "configure() threw: missing setting 'endpoint'"},
      {"jobs.so", fixture("throws_in_jobs"), "jobs() threw a non-standard exception"},
      {"abi.so", fixture("abi_mismatch"), "ABI mismatch: built against SDK 99.0, this host provides SDK "},
      {"no_marker.so", fixture("no_marker"), "no jobhost ABI marker"},
      {"truncated.so", bytes(good.substr(0, good.size() / 2)), "truncated ELF file ("},
      {"text.so", bytes("#!/bin/sh\necho not a plugin\n"), "not an ELF file"},
      {"self_init.so", fixture("unresolved_symbol"),
       "unresolved symbol jobhost_sdk_global_init (a plugin may use only the jobhost SDK; the host exports nothing)"},
      {"loop.so", [](const fs::path& to) { ASSERT_EQ(symlink("loop.so", to.c_str()), 0); }, "symbolic link loop"},
      {"open.so",
       [&](const fs::path& to) {
         fixture("slow")(to);
         fs::permissions(to, fs::perms(0666));
       },
       "the file is writable by group or others (mode 0666)"},
  };

  for (const Fault& fault : faults) {
    SCOPED_TRACE(fault.file);
    drop_in(fault.write, fault.file);
    EXPECT_TRUE(logged((plugins / fault.file).string() + ": not loaded: " + fault.cause)) << read_file(log);
    expect_on_schedule();
  }
  // Later checks of the directory do not repeat them.
  daemon->signal(SIGHUP);
  ASSERT_TRUE(logged("rescanning the plugin directories")) << read_file(log);
  std::this_thread::sleep_for(1500ms);
  for (const Fault& fault : faults) {
    const auto errors = errors_naming(plugins / fault.file);
    EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  }
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(PluginFaults, ARunThatThrowsFailsAloneAndItsPluginUnloads) {
  copy_fixture("good", plugins);
  start();
  const fs::path file = plugins / "slow.so";
  drop_in("slow", "slow.so");
  ASSERT_TRUE(logged(file.string() + ": loaded, 2 jobs scheduled")) << read_file(log);
  ASSERT_TRUE(logged("[slow.fail] run failed after ", 2)) << read_file(log);
  const auto failures = lines_with(read_file(log), "[slow.fail] run failed after ");
  EXPECT_NE(failures[0].find(" [error] "), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find(": deliberate failure"), std::string::npos) << failures[0];

  fs::remove(file);
  EXPECT_TRUE(logged(file.string() + ": removed; its plugin is unloaded (2 jobs stopped firing)")) << read_file(log);
  EXPECT_TRUE(logged("[slow.wait] stop honoured")) << read_file(log);
  EXPECT_TRUE(errors_naming(file).empty()) << read_file(log);
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);
}

// A plugin that was there at start-up is unloaded when its file goes, as
// one dropped in later is: nothing keeps the jobs of start-up alive.
TEST_F(PluginFaults, APluginLoadedAtStartUpIsUnloadedWhenItsFileIsRemoved) {
  copy_fixture("good", plugins);
  copy_fixture("slow", plugins);
  start();
  const fs::path copies = dir / "state" / "plugin-copies";
  const auto copies_now = [&] {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(copies)) n += entry.path().extension() == ".so" ? 1 : 0;
    return n;
  };
  ASSERT_EQ(copies_now(), 2u);
  const fs::path file = plugins / "slow.so";
  fs::remove(file);
  ASSERT_TRUE(logged(file.string() + ": removed; its plugin is unloaded (2 jobs stopped firing)")) << read_file(log);
  // Its private copy goes with the library, once the last job holding it is destroyed.
  EXPECT_TRUE(testing::eventually([&] { return copies_now() == 1; })) << "the start-up plugin's library stayed loaded";
  EXPECT_EQ(count(read_file(log), "still loaded after unloading"), 0u) << read_file(log);
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);
}

TEST_F(PluginFaults, ARunThatIgnoresStopInAWorkerIsKilledWhenItsPluginIsRemoved) {
  copy_fixture("good", plugins);
  // A drain longer than a tick: were it to hold up the schedule, a tick would be late.
  start({"--drain-timeout", "3s"});
  const fs::path file = plugins / "stuck.so";
  drop_in("stuck", "stuck.so");
  ASSERT_TRUE(logged("[stuck.forever] ignoring stop requests")) << read_file(log);
  fs::remove(file);
  ASSERT_TRUE(logged(file.string() +
                     ": removed; runs did not return within the drain timeout 3s after being asked to stop: its "
                     "worker is killed"))
      << read_file(log);
  ASSERT_TRUE(logged(file.string() + ": removed; its plugin is unloaded (1 jobs stopped firing)")) << read_file(log);
  EXPECT_TRUE(logged("[stuck.forever] run killed after ")) << read_file(log);
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);
}

// In-process, nothing can end such a run: its plugin stays loaded.
TEST_F(PluginFaults, ARunThatIgnoresStopInProcessLeaksItsPluginWhenRemovedAndTheOthersGoOn) {
  copy_fixture("good", plugins);
  start({"--drain-timeout", "3s", "--shutdown-timeout", "500ms", "--set", "isolation=none"});
  const fs::path file = plugins / "stuck.so";
  drop_in("stuck", "stuck.so");
  ASSERT_TRUE(logged("[stuck.forever] ignoring stop requests")) << read_file(log);
  fs::remove(file);
  ASSERT_TRUE(logged(file.string() +
                     ": removed; runs of stuck.forever did not return within the drain timeout 3s after being asked "
                     "to stop: its plugin stays loaded (leaked) until jobhost restarts"))
      << read_file(log);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(errors_naming(file).size(), 1u) << read_file(log);
  expect_on_schedule();
  // Its run never returns, so shutdown cannot unload it either.
  EXPECT_EQ(stop(), 1) << read_file(log);
  EXPECT_NE(read_file(log).find("jobs still running after the shutdown timeout: stuck.forever; exiting without "
                                "unloading their plugins"),
            std::string::npos)
      << read_file(log);
}

TEST_F(PluginFaults, AnExitZeroFromAPluginInProcessIsLoggedAndEndsTheDaemonWithAFailure) {
  copy_fixture("good", plugins);
  start({"--set", "isolation=none"});
  drop_in("crash_exit0", "crash_exit0.so");
  EXPECT_EQ(daemon->wait_for_exit(15s), 70) << read_file(log);
  EXPECT_NE(read_file(log).find("[critical] [jobhost] exit(0) called by the run of job crash_exit0.boom: a plugin "
                                "may not end the daemon; exiting with status 70"),
            std::string::npos)
      << read_file(log);
}

TEST_F(PluginFaults, AtShutdownTheWorkerOfARunThatIgnoresStopIsKilled) {
  copy_fixture("good", plugins);
  copy_fixture("stuck", plugins);
  start({"--shutdown-timeout", "500ms"});
  ASSERT_TRUE(logged("[stuck.forever] ignoring stop requests")) << read_file(log);
  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(stop(), 1) << read_file(log);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s);
  const std::string text = read_file(log);
  EXPECT_NE(text.find("jobs still running after the shutdown timeout: stuck.forever; their workers were killed"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[stuck.forever] run killed after "), std::string::npos) << text;
}

// Workers are asked to exit all at once: three whose plugin's destructor
// never returns are killed together after the stop patience (5 s), not one
// after another.
TEST_F(PluginFaults, AtShutdownWorkersThatDoNotExitAreKilledTogether) {
  copy_fixture("good", plugins);
  for (const char* hang : {"crash_dtor_hang_a", "crash_dtor_hang_b", "crash_dtor_hang_c"}) copy_fixture(hang, plugins);
  start();
  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(stop(), 0) << read_file(log);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 10s);
  const std::string text = read_file(log);
  for (const char* hang : {"crash_dtor_hang_a", "crash_dtor_hang_b", "crash_dtor_hang_c"}) {
    EXPECT_NE(text.find(std::string("worker of ") + hang + " did not exit within 5s of being asked to: killed"),
              std::string::npos)
        << text;
  }
}

// A run past its timeout and the kill grace is ended by killing its worker,
// counted as killed; the plugin's next run gets a new worker.
TEST_F(PluginFaults, AStuckRunInAWorkerIsKilledAfterTheKillGrace) {
  copy_fixture("good", plugins);
  copy_fixture("crash_spin", plugins);
  start({"--set", "job.crash_spin.boom.timeout=200ms", "--set", "job.crash_spin.boom.kill-grace=300ms"});
  ASSERT_TRUE(logged("[crash_spin.boom] run is stuck: still running 300ms after its timeout asked it to stop; its "
                     "worker is killed"))
      << read_file(log);
  ASSERT_TRUE(logged("[crash_spin.boom] run killed after ")) << read_file(log);
  ASSERT_TRUE(logged("worker of crash_spin restarted (pid ")) << read_file(log);
  ASSERT_TRUE(logged("[crash_spin.boom] fault spin now", 2)) << read_file(log);
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);
}

// The pid of the worker running `job`, as `jobhost status` shows it ("process:
// running (pid 42)"); 0 when it shows none.
pid_t worker_of(const fs::path& state_dir, const std::string& job) {
  const ProcessResult status = run_jobhost({"status", "--state-dir", state_dir.string()});
  const std::string running = "running (pid ";
  std::istringstream in(status.out);
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find(running);
    if (line.rfind(job + " ", 0) == 0 && at != std::string::npos) return std::stoi(line.substr(at + running.size()));
  }
  return 0;
}

// A worker stopped with SIGSTOP (it reads nothing and ends nothing, as a
// worker hung as a whole would) is killed when its run passes the timeout
// and the kill grace, and restarted, while the healthy plugin keeps its
// schedule; one stopped at shutdown is killed, and none is left behind.
TEST_F(PluginFaults, AWorkerStoppedWithSigstopIsKilledAtItsRunsKillGraceAndAtShutdown) {
  copy_fixture("good", plugins);
  copy_fixture("slow", plugins);
  // Its runs are asked to stop at 300 ms, and the worker killed 4 s later;
  // no pings, which would kill it first (the next test).
  start({"--set", "job.slow.wait.timeout=300ms", "--set", "job.slow.wait.kill-grace=4s", "--shutdown-timeout",
         "500ms", "--set", "worker-ping-interval=0"});
  ASSERT_TRUE(logged("[slow.wait] stop honoured")) << read_file(log);
  const pid_t stopped = worker_of(dir / "state", "slow.wait");
  ASSERT_GT(stopped, 0) << run_jobhost({"status", "--state-dir", (dir / "state").string()}).out;
  ASSERT_EQ(::kill(stopped, SIGSTOP), 0);
  ASSERT_TRUE(logged("[slow.wait] run is stuck: still running 4s after its timeout asked it to stop; its worker is "
                     "killed"))
      << read_file(log);
  ASSERT_TRUE(logged("worker of slow restarted (pid ")) << read_file(log);
  const std::size_t honoured = count(read_file(log), "[slow.wait] stop honoured");
  ASSERT_TRUE(logged("[slow.wait] stop honoured", honoured + 1)) << read_file(log);
  expect_on_schedule();

  // Stopped again: within a second its jobs' next runs are sent to it and
  // stay in flight, so the daemon told to stop 2 s later finds them there,
  // seconds before their kill grace ends.
  const pid_t restarted = worker_of(dir / "state", "slow.wait");
  ASSERT_GT(restarted, 0);
  ASSERT_NE(restarted, stopped);
  ASSERT_EQ(::kill(restarted, SIGSTOP), 0);
  std::this_thread::sleep_for(2000ms);
  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(stop(), 1) << read_file(log);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s);
  EXPECT_NE(read_file(log).find("jobs still running after the shutdown timeout: slow."), std::string::npos)
      << read_file(log);
  for (const pid_t worker : {stopped, restarted}) {
    const int gone = ::kill(worker, 0) == -1 ? errno : 0;
    EXPECT_EQ(gone, ESRCH) << "worker " << worker << " is left";
  }
}

// A worker stopped with SIGSTOP whose job has no timeout (its run waits for
// ever) answers no ping: it is killed and restarted, while the healthy
// plugin keeps its schedule. The daemon itself stopped for several ping
// intervals kills no worker for its own pause.
TEST_F(PluginFaults, AWorkerThatAnswersNoPingIsKilledButNoneForTheDaemonsOwnPause) {
  copy_fixture("good", plugins);
  copy_fixture("slow", plugins);
  start({"--set", "worker-ping-interval=1s"});
  ASSERT_TRUE(logged("[slow.wait] waiting for stop")) << read_file(log);
  const pid_t stopped = worker_of(dir / "state", "slow.wait");
  ASSERT_GT(stopped, 0) << run_jobhost({"status", "--state-dir", (dir / "state").string()}).out;
  ASSERT_EQ(::kill(stopped, SIGSTOP), 0);
  const std::string killed = (plugins / "slow.so").string() +
                             ": worker of slow was killed: it did not answer a ping within 1s (hung or stopped)";
  ASSERT_TRUE(logged(killed + "; restarting it in 1s")) << read_file(log);
  ASSERT_TRUE(logged("worker of slow restarted (pid ")) << read_file(log);
  ASSERT_TRUE(logged("[slow.wait] waiting for stop", 2)) << read_file(log);
  expect_on_schedule();

  const pid_t slow = worker_of(dir / "state", "slow.wait");
  const pid_t good = worker_of(dir / "state", "good.tick");
  ASSERT_GT(slow, 0);
  ASSERT_GT(good, 0);
  daemon->signal(SIGSTOP);
  std::this_thread::sleep_for(3500ms);
  daemon->signal(SIGCONT);
  const std::size_t ticks = count(read_file(log), tick);
  ASSERT_TRUE(logged(tick, ticks + 2)) << read_file(log);
  EXPECT_EQ(count(read_file(log), killed), 1u) << read_file(log);
  EXPECT_EQ(worker_of(dir / "state", "slow.wait"), slow);
  EXPECT_EQ(worker_of(dir / "state", "good.tick"), good);
  EXPECT_EQ(stop(), 0) << read_file(log);
}

// Each plugin that crashes its worker fails its runs with the cause, and its
// worker restarts; one that crashes it in configure() is not loaded; one
// whose destructor throws dies alone at shutdown, what it wrote as it died
// logged as its own. The healthy plugin keeps
// its schedule and the daemon logs no other error.
TEST_F(PluginFaults, EachCrashOfAWorkerIsOneErrorLineNamingTheCauseAndTheOthersKeepTheirSchedule) {
  const std::map<std::string, std::string> crashes = {
      {"crash_segv", "died: SIGSEGV"},
      {"crash_abort", "died: SIGABRT"},
      {"crash_exit", "exited with status 3"},
      {"crash_garbage", "sent an invalid message (a message of 4294967167 bytes (at most 16777216)) and was killed"},
  };
  copy_fixture("good", plugins);
  for (const auto& [plugin, cause] : crashes) copy_fixture(plugin, plugins);
  copy_fixture("crash_configure", plugins);
  copy_fixture("crash_dtor", plugins);
  start();
  for (const auto& [plugin, cause] : crashes) {
    SCOPED_TRACE(plugin);
    const std::string death = "worker of " + plugin + " " + cause;
    EXPECT_TRUE(logged((plugins / (plugin + ".so")).string() + ": " + death + "; restarting it in 1s"))
        << read_file(log);
    EXPECT_TRUE(logged("[" + plugin + ".boom] run failed after ")) << read_file(log);
    EXPECT_TRUE(logged("worker of " + plugin + " restarted (pid ")) << read_file(log);
  }
  const std::string not_loaded = (plugins / "crash_configure.so").string() +
                                 ": the worker exited with status 3 during configure() and jobs()";
  EXPECT_TRUE(logged(not_loaded)) << read_file(log);
  EXPECT_TRUE(logged("[crash_dtor.boom] run ok in ")) << read_file(log);
  std::this_thread::sleep_for(1500ms);
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);

  const std::string text = read_file(log);
  // What the C++ runtime wrote as it ended the worker whose destructor threw
  // is the plugin's, not the daemon's.
  EXPECT_NE(text.find("[warning] [crash_dtor] output: terminate called after throwing"), std::string::npos) << text;
  EXPECT_EQ(read_file(dir / "err").find("terminate called"), std::string::npos) << read_file(dir / "err");
  for (const auto& line : lines_with(text, " [error] ")) {
    const bool expected = line.find(not_loaded) != std::string::npos ||
                          std::any_of(crashes.begin(), crashes.end(), [&](const auto& crash) {
                            return line.find("[" + crash.first + ".boom] run failed after ") != std::string::npos &&
                                   line.find("worker of " + crash.first + " " + crash.second) != std::string::npos;
                          });
    EXPECT_TRUE(expected) << line;
  }
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// A sanitizer's shadow memory does not fit a data limit, so sanitizer builds
// start workers without one: this runs in the plain build only.
TEST_F(PluginFaults, AWorkerRunsIntoItsMemoryLimitAndNotTheMachines) {
  copy_fixture("good", plugins);
  copy_fixture("crash_memory", plugins);
  start({"--set", "worker-memory-max=256MiB"});
  EXPECT_TRUE(logged("[crash_memory.boom] run failed after ")) << read_file(log);
  EXPECT_NE(read_file(log).find("std::bad_alloc"), std::string::npos) << read_file(log);
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);
}
#endif

// A plugin that logs in a loop (here a few hundred thousand lines a second)
// is held to its rate limit: it neither fills and rotates the log file,
// which would push every other line out, nor holds up the others.
TEST_F(PluginFaults, APluginThatLogsInALoopIsHeldToItsRateLimitAndTheOthersKeepTheirSchedule) {
  copy_fixture("good", plugins);
  copy_fixture("crash_log_flood", plugins);
  const auto started = std::chrono::steady_clock::now();
  start({"--set", "log.rate-limit=50"});
  // Said by the job's logger in the daemon, or by the plugin's for what its
  // worker dropped.
  ASSERT_TRUE(logged("log lines of plugin crash_log_flood dropped: it logs more than 50 lines a second "
                     "(log.rate-limit); 1 dropped so far"))
      << read_file(log);
  if (isolation_under_test() == "process") {
    // Its worker drops what it may not log, so the daemon hardly works for
    // it: when it read each line and dropped it, it spent 0.76 of the
    // flooding worker's CPU.
    const auto workers_cpu = [&] {
      std::map<pid_t, std::chrono::nanoseconds> cpu;
      for (const pid_t worker : child_processes(daemon->pid())) cpu[worker] = cpu_time(worker);
      return cpu;
    };
    const auto daemon_before = cpu_time(daemon->pid());
    ASSERT_GT(daemon_before, 0ns) << "the daemon's CPU clock cannot be read";
    const auto before = workers_cpu();
    std::this_thread::sleep_for(3s);
    const auto after = workers_cpu();
    const auto daemon_cpu = cpu_time(daemon->pid()) - daemon_before;
    ASSERT_EQ(after.size(), 2u) << "good's worker and the flood's";
    std::chrono::nanoseconds busiest_worker{0};
    for (const auto& [worker, cpu] : after) {
      if (before.contains(worker)) busiest_worker = std::max(busiest_worker, cpu - before.at(worker));
    }
    EXPECT_GT(busiest_worker, 300ms) << "the flood runs";
    EXPECT_LT(daemon_cpu * 10, busiest_worker) << "the daemon used " << daemon_cpu.count() / 1e6 << " ms of CPU, "
                                               << "the flood's worker " << busiest_worker.count() / 1e6;
  } else {
    std::this_thread::sleep_for(3s);
  }
  expect_on_schedule();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t flood = count(read_file(log), "[crash_log_flood.boom] flood ");
  EXPECT_GT(flood, 500u);  // ten seconds' worth at once
  EXPECT_LT(static_cast<double>(flood), 500 + 50 * seconds + 50);
  EXPECT_FALSE(fs::exists(dir / "jobhost.1.log"));  // never rotated
  EXPECT_EQ(stop(), 0) << read_file(log);
  EXPECT_NE(read_file(log).find("[jobhost] jobhost "), std::string::npos);  // the start-up lines are still there
}

TEST_F(PluginFaults, APluginDroppedInReplacedAndRemoved100TimesLeavesTheOthersOnSchedule) {
  fs::copy_file(fs::path(JOBHOST_TEST_PLUGIN_DIR) / "hello.so", plugins / "hello.so");
  tick = "[hello.greet] Hello from jobhost (scheduled for ";
  start({"--schedule", "hello.greet=* * * * * *", "--set", "plugin-debounce=50ms"});
  const std::string file = (plugins / "churn.so").string();
  const int cycles = 100;
  for (int cycle = 1; cycle <= cycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    drop_in("good", "churn.so");
    ASSERT_TRUE(logged(file + ": loaded, 1 jobs scheduled", cycle)) << read_file(log);
    drop_in("slow", "churn.so");
    ASSERT_TRUE(logged(file + ": replaced; its plugin is unloaded (1 jobs stopped firing)", cycle)) << read_file(log);
    ASSERT_TRUE(logged(file + ": loaded, 2 jobs scheduled", cycle)) << read_file(log);
    fs::remove(plugins / "churn.so");
    ASSERT_TRUE(logged(file + ": removed; its plugin is unloaded (2 jobs stopped firing)", cycle)) << read_file(log);
  }
  expect_on_schedule();
  EXPECT_EQ(stop(), 0) << read_file(log);

  const std::string text = read_file(log);
  EXPECT_EQ(count(text, file + ": loaded, "), 2u * cycles);
  EXPECT_EQ(count(text, file + ": replaced; "), 1u * cycles);
  EXPECT_EQ(count(text, file + ": removed; "), 1u * cycles);
  EXPECT_TRUE(errors_naming(file).empty()) << ::testing::PrintToString(errors_naming(file));
  EXPECT_EQ(count(text, "still loaded after unloading"), 0u) << "a library stayed mapped";
  // The churned plugins' jobs ran now and then (a fire at each whole second
  // it was loaded for), and every run of slow.wait returned when asked to stop.
  const std::size_t waits = count(text, "[slow.wait] waiting for stop");
  EXPECT_GT(waits + count(text, "[good.tick] tick!"), 0u);
  EXPECT_EQ(count(text, "[slow.wait] stop honoured"), waits);
}

}  // namespace
}  // namespace jobhost
