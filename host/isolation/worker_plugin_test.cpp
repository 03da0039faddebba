#include "isolation/worker_plugin.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/write_batch.hpp"
#include "isolation/place_plugin.hpp"
#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"
#include "protocol/chain_messages.hpp"
#include "runtime/run_killed_error.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::isolation {
namespace {

using testing::copy_fixture;
using testing::eventually;
using testing::process_has_ended;
using testing::TempDir;

// A chain client whose answers the tests know.
class FakeChain final : public ChainClient {
 public:
  std::uint64_t chain_id() override { return 1337; }
  std::uint64_t block_number() override { throw TransportError("connection refused"); }
  std::vector<TxInfo> tx_infos(const std::vector<std::string>&) override { return {}; }
  std::string call(const std::string&, const std::string&) override { return "null"; }
};

class FakeClients final : public ClientProvider {
 public:
  ChainClient& chain(std::string_view name) override {
    ++lookups;
    if (delay_.load().count() > 0) take_time();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !holding_; });
    if (block_next_) {
      block_next_ = false;
      blocked_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !blocked_; });
    }
    if (name != "x") throw UnknownClientError("no chain \"" + std::string(name) + "\" (configured: x)");
    return chain_;
  }
  // The next lookup blocks until release().
  void block_next_call() {
    std::lock_guard lock(mutex_);
    block_next_ = true;
  }
  bool wait_until_blocked() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [this] { return blocked_; });
  }
  // Every lookup from now on blocks until release().
  void hold_calls() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    blocked_ = false;
    holding_ = false;
    changed_.notify_all();
  }
  // From now on every lookup takes `delay`.
  void slow_down(std::chrono::milliseconds delay) { delay_ = delay; }
  std::atomic<int> lookups{0};
  std::atomic<int> most_at_once{0};  // the most slowed-down lookups in progress at once

 private:
  void take_time() {
    const int now = ++at_once_;
    for (int most = most_at_once; now > most && !most_at_once.compare_exchange_weak(most, now);) {
    }
    std::this_thread::sleep_for(delay_.load());
    --at_once_;
  }

  std::atomic<std::chrono::milliseconds> delay_{std::chrono::milliseconds(0)};
  std::atomic<int> at_once_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool block_next_ = false;
  bool blocked_ = false;
  bool holding_ = false;
  FakeChain chain_;
};

// The JobContext a run gets from the host.
class TestContext final : public JobContext {
 public:
  TestContext(Logger& log, ClientProvider& clients, std::filesystem::path state_dir)
      : log_(log), clients_(clients), state_dir_(std::move(state_dir)) {}
  Logger& log() override { return log_; }
  ClientProvider& clients() override { return clients_; }
  const Settings& settings() const override { return settings_; }
  const std::filesystem::path& state_dir() const override { return state_dir_; }
  std::stop_token stop_token() const override { return stop.get_token(); }
  std::chrono::system_clock::time_point scheduled_time() const override { return {}; }
  std::string_view job_name() const override { return "test.job"; }

  std::stop_source stop;
  Settings settings_;

 private:
  Logger& log_;
  ClientProvider& clients_;
  std::filesystem::path state_dir_;
};

class WorkerPluginTest : public ::testing::Test {
 protected:
  TempDir dir;
  logging::LogHub logs{logging::LogOptions{.levels = {}, .file = dir / "jobhost.log"}};
  std::unique_ptr<Logger> job_log = logs.make_plugin_logger("test.job");
  std::map<std::string, std::map<std::string, std::string>> settings;
  std::shared_ptr<loader::ShadowCopies> copies = loader::ShadowCopies::temporary({});
  loader::PluginEnvironment env{logs, [this](const std::string& name) { return Settings(settings[name]); }, copies};
  Supervisor supervisor{worker_executable(), 0};
  FakeClients clients;
  SupervisionPolicy policy{.first_backoff = std::chrono::milliseconds(20),
                           .max_backoff = std::chrono::milliseconds(20)};
  IsolationChoice choice;

  loader::LoadedPlugin load(const std::string& fixture) {
    copy_fixture(fixture, dir.path());
    return place_plugin(dir / (fixture + ".so"), env, {supervisor, &clients, policy}, choice);
  }

  // Runs the plugin's first job; returns the error it ended with, "" for ok.
  std::string run(const loader::LoadedPlugin& plugin, TestContext* context = nullptr) {
    TestContext own(*job_log, clients, dir.path());
    try {
      plugin.jobs.at(0)->run(context ? *context : own);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }

  // The plugin's job named `name`, or null.
  static const JobDefinition* job_named(const loader::LoadedPlugin& plugin, const std::string& name) {
    for (const auto& job : plugin.jobs) {
      if (job->name == name) return job.get();
    }
    return nullptr;
  }

  // `count` contexts of runs started at once, which must outlive the runs.
  std::vector<std::unique_ptr<TestContext>> make_contexts(int count) {
    std::vector<std::unique_ptr<TestContext>> contexts;
    for (int i = 0; i < count; ++i) contexts.push_back(std::make_unique<TestContext>(*job_log, clients, dir.path()));
    return contexts;
  }
  // The pid a job of the "signals" fixture wrote: the process it started.
  pid_t started_child() {
    pid_t child = 0;
    std::ifstream(dir / "child.pid") >> child;
    return child;
  }
  // Expects `child` to end soon; kills it if it does not.
  static void expect_ends(pid_t child) {
    EXPECT_TRUE(eventually([&] { return process_has_ended(child); }));
    if (!process_has_ended(child)) ::kill(child, SIGKILL);
  }
  // What a run's end is told, passed on to `end`: "ok", "killed: " and the
  // cause, or the error.
  static std::function<void(std::exception_ptr)> report_to(std::promise<std::string>& end) {
    return [&end](std::exception_ptr thrown) {
      try {
        if (thrown) std::rethrow_exception(thrown);
        end.set_value("ok");
      } catch (const runtime::RunKilledError& e) {
        end.set_value(std::string("killed: ") + e.what());
      } catch (const std::exception& e) {
        end.set_value(e.what());
      }
    };
  }
  std::string log_text() {
    logs.flush();
    std::ifstream in(dir / "jobhost.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

TEST_F(WorkerPluginTest, RunsAJobInAWorkerWithItsLogsWrittenByTheHost) {
  settings["good"] = {{"word", "tock"}};
  const auto plugin = load("good");
  ASSERT_TRUE(plugin.worker);
  EXPECT_FALSE(plugin.plugin);
  EXPECT_EQ(plugin.info.version, "2.3.4");
  ASSERT_EQ(plugin.jobs.size(), 1u);
  EXPECT_EQ(plugin.jobs[0]->schedule, "@every 1s");
  EXPECT_EQ(plugin.worker->state().rfind("running (pid ", 0), 0u) << plugin.worker->state();
  EXPECT_EQ(run(plugin), "");
  EXPECT_TRUE(std::filesystem::exists(dir / "ticks"));  // the state directory the host gave
  const std::string log = log_text();
  EXPECT_NE(log.find("[good] configured with word tock"), std::string::npos) << log;
  EXPECT_NE(log.find("[test.job] tock"), std::string::npos) << log;  // the job's logger, on the host
}

TEST_F(WorkerPluginTest, ChainCallsRunOnTheHostsProviderAndKeepTheirErrorTypes) {
  settings["stampede"] = {{"jobs", "1"}, {"chains", "x,y"}};
  const auto plugin = load("stampede");
  EXPECT_EQ(run(plugin), "");
  EXPECT_EQ(run(plugin), "");
  const std::string log = log_text();
  EXPECT_NE(log.find(" id 1337"), std::string::npos) << log;
  EXPECT_NE(log.find("chain y unavailable: no chain \"y\" (configured: x)"), std::string::npos) << log;
  // Per run: "chain" for a name the worker has not kept (x once: it keeps
  // it; y each time: an error is not kept), and one for each client call
  // (chain_id), which the host's provider answers from its own table.
  EXPECT_EQ(clients.lookups, 5);
}

TEST_F(WorkerPluginTest, ASegfaultFailsTheRunNamingTheSignalAndTheWorkerRestarts) {
  const auto plugin = load("crash_segv");
  const pid_t first = std::stoi(plugin.worker->state().substr(13));
  EXPECT_EQ(run(plugin), "worker of crash_segv died: SIGSEGV");
  EXPECT_EQ(plugin.worker->deaths(), 1u);
  ASSERT_TRUE(eventually([&] { return plugin.worker->state().starts_with("running"); })) << plugin.worker->state();
  EXPECT_NE(std::stoi(plugin.worker->state().substr(13)), first);
  EXPECT_EQ(run(plugin), "worker of crash_segv died: SIGSEGV");  // it works again, up to the fault
  EXPECT_NE(log_text().find("worker of crash_segv died: SIGSEGV; restarting it in"), std::string::npos);
}

// What a worker writes on its standard output and error is the plugin's:
// logged under its name, a line at a time, escaped like its log lines.
TEST_F(WorkerPluginTest, WhatAWorkerWritesOnItsStandardOutputAndErrorIsLoggedAsThePlugins) {
  const auto plugin = load("crash_output");
  EXPECT_EQ(run(plugin), "");
  EXPECT_TRUE(eventually([&] { return log_text().find("output: to stderr") != std::string::npos; })) << log_text();
  const std::string log = log_text();
  EXPECT_NE(log.find("[warning] [crash_output] output: to stdout\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[warning] [crash_output] output: to stderr\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[warning] [crash_output] output: <2>[critical] [jobhost] stopped\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("\n<2>"), std::string::npos) << log;
  plugin.worker->ask_to_exit();  // a line not ended is written once the worker has gone
  EXPECT_TRUE(eventually([&] { return log_text().find("output: no line end") != std::string::npos; })) << log_text();
}

// A worker that fails to load is named with what it wrote last.
TEST_F(WorkerPluginTest, AWorkerThatDiesLoadingIsNamedWithItsLastOutput) {
  try {
    load("crash_info_abort");
    FAIL() << "loaded";
  } catch (const loader::PluginLoadError& e) {
    EXPECT_STREQ(e.what(), "the worker died: SIGABRT during loading; its last output: cannot start: no such thing");
  }
}

TEST_F(WorkerPluginTest, AbortAndExitAreNamed) {
  EXPECT_EQ(run(load("crash_abort")), "worker of crash_abort died: SIGABRT");
  EXPECT_EQ(run(load("crash_exit")), "worker of crash_exit exited with status 3");
}

TEST_F(WorkerPluginTest, AWorkerThatExitsInConfigureFailsTheLoad) {
  try {
    load("crash_configure");
    FAIL() << "loaded";
  } catch (const loader::PluginLoadError& e) {
    EXPECT_STREQ(e.what(), "the worker exited with status 3 during configure() and jobs()");
  }
  EXPECT_NE(log_text().find("[crash_configure] leaving from configure()"), std::string::npos);
}

// The patience bounds an answer with the log lines before it: a configure()
// that logs on and on is cut off all the same.
TEST_F(WorkerPluginTest, AWorkerThatLogsOnInConfigureIsCutOffAtThePatience) {
  settings["slow"] = {{"configure-delay", "30s"}, {"configure-chatter", "true"}};
  // Long enough for a worker to start and answer "info" on a loaded machine.
  policy.start_patience = std::chrono::seconds(3);
  const auto started = std::chrono::steady_clock::now();
  try {
    load("slow");
    FAIL() << "loaded";
  } catch (const loader::PluginLoadError& e) {
    EXPECT_NE(std::string(e.what()).find("(no message in the time allowed) and was killed during configure()"),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_NE(log_text().find("[slow] still configuring"), std::string::npos);
}

TEST_F(WorkerPluginTest, ASettingThePluginDoesNotDeclareIsRefusedBeforeItsWorkerConfiguresIt) {
  settings["good"] = {{"wrod", "tock"}};
  try {
    load("good");
    FAIL() << "loaded";
  } catch (const loader::PluginLoadError& e) {
    EXPECT_STREQ(e.what(), "good.wrod: good has no setting \"wrod\" (its settings: word, suffix)");
  }
  EXPECT_EQ(log_text().find("configured with word"), std::string::npos) << "configure() never ran";
  settings["good"] = {{"word", "tock"}};
  const auto plugin = load("good");
  ASSERT_TRUE(plugin.declarations) << "the declarations travel from the worker";
  EXPECT_EQ(plugin.declarations->settings.size(), 2u);
}

TEST_F(WorkerPluginTest, AWorkerThatSendsGarbageIsKilledAndNamed) {
  const auto plugin = load("crash_garbage");
  EXPECT_EQ(run(plugin),
            "worker of crash_garbage sent an invalid message (a message of 4294967167 bytes (at most 16777216)) and "
            "was killed");
}

TEST_F(WorkerPluginTest, AWorkerThatSendsGarbageOnItsChainCallLaneIsKilledAndNamed) {
  const auto plugin = load("crash_lane_garbage");
  EXPECT_EQ(run(plugin),
            "worker of crash_lane_garbage sent an invalid message (a message of 4294967167 bytes (at most 16777216)) "
            "and was killed");
}

// One call at a time has the lane; one made meanwhile goes over the
// worker's socket, so a slow call never holds up another.
TEST_F(WorkerPluginTest, AChainCallThatBlocksOnTheHostDoesNotHoldUpAnother) {
  settings["stampede"] = {{"jobs", "1"}, {"chains", "x"}};
  const auto plugin = load("stampede");
  clients.block_next_call();
  std::string first_error;
  std::atomic<bool> first_ended{false};
  std::thread first([&] {
    first_error = run(plugin);
    first_ended = true;
  });
  ASSERT_TRUE(clients.wait_until_blocked());
  EXPECT_EQ(run(plugin), "");  // while the first call blocks on the host
  EXPECT_FALSE(first_ended);
  clients.release();
  first.join();
  EXPECT_EQ(first_error, "");
}

// Calls one after another: both ends of the lane wait for them awake
// (protocol::AdaptiveSpin), and every one still reaches the host's client.
TEST_F(WorkerPluginTest, ManyQuickChainCallsInARowAllReachTheHost) {
  const auto plugin = load("round_trip");
  const JobDefinition* chain_calls = job_named(plugin, "chain_calls");
  ASSERT_NE(chain_calls, nullptr);
  TestContext context(*job_log, clients, dir.path());
  context.settings_ = Settings(std::map<std::string, std::string>{{"calls", "500"}});
  for (int run = 0; run < 3; ++run) chain_calls->run(context);
  EXPECT_EQ(clients.lookups, 1 + 3 * 500);  // the worker looks the chain up once; each call comes on its own
}

// However many threads of a plugin call at once, its calls take at most
// kMaxCallsInFlight of the daemon's threads (and one for its lane); the
// others wait in the worker, and every call gets its answer.
TEST_F(WorkerPluginTest, ManyChainCallsAtOnceTakeABoundedNumberOfTheHostsThreads) {
  const auto plugin = load("round_trip");
  const JobDefinition* parallel_calls = job_named(plugin, "parallel_calls");
  ASSERT_NE(parallel_calls, nullptr);
  clients.slow_down(std::chrono::milliseconds(20));
  TestContext context(*job_log, clients, dir.path());
  context.settings_ = Settings(std::map<std::string, std::string>{{"threads", "64"}});
  parallel_calls->run(context);
  EXPECT_GE(clients.lookups, 64);
  EXPECT_LE(clients.most_at_once, static_cast<int>(protocol::kMaxCallsInFlight) + 1);
  EXPECT_GE(clients.most_at_once, 2);
}

TEST_F(WorkerPluginTest, AWorkerThatSendsMoreChainCallsAtOnceThanAllowedIsKilledAndNamed) {
  clients.hold_calls();  // none is answered
  const auto plugin = load("crash_call_flood");
  // The calls the host is making end before the worker's runs fail.
  std::thread releaser([&] {
    EXPECT_TRUE(eventually([&] { return plugin.worker->deaths() == 1; }));
    clients.release();
  });
  EXPECT_EQ(run(plugin), "worker of crash_call_flood sent an invalid message (more than 16 chain calls at once) and "
                         "was killed");
  releaser.join();
}

TEST_F(WorkerPluginTest, KillRunsEndsARunThatIgnoresItsStopToken) {
  const auto plugin = load("crash_spin");
  std::string error;
  std::thread runner([&] {
    TestContext context(*job_log, clients, dir.path());
    try {
      plugin.jobs[0]->run(context);
    } catch (const runtime::RunKilledError& e) {
      error = std::string("killed: ") + e.what();
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  ASSERT_TRUE(eventually([&] { return log_text().find("fault spin now") != std::string::npos; }));
  plugin.worker->kill_runs("it ignored its stop token");
  runner.join();
  EXPECT_EQ(error, "killed: worker of crash_spin was killed: it ignored its stop token");
}

TEST_F(WorkerPluginTest, AStopRequestReachesTheRunInTheWorker) {
  const auto plugin = load("slow");
  TestContext context(*job_log, clients, dir.path());
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    context.stop.request_stop();
  });
  const JobDefinition* wait = job_named(plugin, "wait");
  ASSERT_NE(wait, nullptr);
  EXPECT_NO_THROW(wait->run(context));
  stopper.join();
}

// The stop forwarder sends nothing before the run has left; a stop requested
// by then goes after it.
TEST_F(WorkerPluginTest, AStopRequestedBeforeTheRunStartsReachesItInTheWorker) {
  const auto plugin = load("slow");
  TestContext context(*job_log, clients, dir.path());
  context.stop.request_stop();
  const JobDefinition* wait = job_named(plugin, "wait");
  ASSERT_NE(wait, nullptr);
  auto ran = std::async(std::launch::async, [&] { wait->run(context); });
  if (ran.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    plugin.worker->kill_runs("the test gave up");
    FAIL() << "the run never saw its stop";
  }
  EXPECT_NO_THROW(ran.get());
}

// Runs started under one WriteBatch reach the worker in one write and run one
// after another on one thread there; one that blocks must not hold up the
// runs sent after it.
TEST_F(WorkerPluginTest, ARunThatBlocksDoesNotHoldUpTheRunsSentWithIt) {
  const auto plugin = load("slow");
  constexpr int kQuick = 20;
  const auto contexts = make_contexts(kQuick + 1);
  std::mutex mutex;
  std::vector<std::string> quick_errors;
  std::atomic<bool> wait_ended{false};
  {
    WriteBatch batch;
    plugin.worker->start_run("wait", *contexts[0], [&](std::exception_ptr) { wait_ended = true; });
    for (int i = 1; i <= kQuick; ++i) {
      plugin.worker->start_run("fail", *contexts[i], [&](std::exception_ptr thrown) {
        std::string error = "ok";
        try {
          if (thrown) std::rethrow_exception(thrown);
        } catch (const std::exception& e) {
          error = e.what();
        }
        std::lock_guard lock(mutex);
        quick_errors.push_back(error);
      });
    }
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return quick_errors.size() == kQuick;
  }));
  EXPECT_FALSE(wait_ended);
  for (const auto& error : quick_errors) EXPECT_EQ(error, "deliberate failure");
  contexts[0]->stop.request_stop();
  EXPECT_TRUE(eventually([&] { return wait_ended.load(); }));
}

// The ends of runs sent together leave in one write once the last has ended;
// but when the last blocks, the ends of those before it must not wait for it.
TEST_F(WorkerPluginTest, TheEndsOfRunsSentWithARunThatBlocksLastArriveWhileItBlocks) {
  const auto plugin = load("slow");
  constexpr int kQuick = 20;
  const auto contexts = make_contexts(kQuick + 1);
  std::atomic<int> quick_ended{0};
  std::atomic<bool> wait_ended{false};
  {
    WriteBatch batch;
    for (int i = 1; i <= kQuick; ++i) {
      plugin.worker->start_run("fail", *contexts[i], [&](std::exception_ptr) { ++quick_ended; });
    }
    plugin.worker->start_run("wait", *contexts[0], [&](std::exception_ptr) { wait_ended = true; });
  }
  EXPECT_TRUE(eventually([&] { return quick_ended.load() == kQuick; }));
  EXPECT_FALSE(wait_ended);
  contexts[0]->stop.request_stop();
  EXPECT_TRUE(eventually([&] { return wait_ended.load(); }));
}

// A worker whose run waits in silence is not hung: its reader answers the
// pings. Stopped with SIGSTOP it answers none, and is killed: its run ends
// as killed, naming why, and it restarts.
TEST_F(WorkerPluginTest, ASilentWorkerAnswersPingsAndAStoppedOneIsKilledAndRestarted) {
  // Long enough that a healthy worker slowed by a loaded machine answers.
  policy.ping_interval = std::chrono::seconds(1);
  const auto plugin = load("slow");
  const pid_t first = std::stoi(plugin.worker->state().substr(13));
  const auto contexts = make_contexts(1);
  std::promise<std::string> ended;
  plugin.worker->start_run("wait", *contexts[0], report_to(ended));
  auto end = ended.get_future();
  ASSERT_EQ(end.wait_for(std::chrono::milliseconds(3500)), std::future_status::timeout);  // several intervals
  EXPECT_EQ(plugin.worker->deaths(), 0u);
  ASSERT_EQ(::kill(first, SIGSTOP), 0);
  ASSERT_EQ(end.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(end.get(), "killed: worker of slow was killed: it did not answer a ping within 1s (hung or stopped)");
  EXPECT_EQ(plugin.worker->deaths(), 1u);
  ASSERT_TRUE(eventually([&] { return plugin.worker->state().starts_with("running"); })) << plugin.worker->state();
  EXPECT_NE(std::stoi(plugin.worker->state().substr(13)), first);
}

// A worker that keeps talking but reads nothing is never silent. What is sent
// to it must not hold up the thread sending it (an executor thread, shared by
// every plugin), and it is killed once it has read nothing for a ping interval.
TEST_F(WorkerPluginTest, AWorkerThatTalksButReadsNothingHoldsUpNoSenderAndIsKilled) {
  policy.ping_interval = std::chrono::seconds(1);  // the fixture talks every 20 ms
  const auto plugin = load("crash_deaf");
  const pid_t worker = std::stoi(plugin.worker->state().substr(13));
  const auto contexts = make_contexts(2);
  std::promise<std::string> deaf_run;
  std::promise<std::string> next_run;
  plugin.worker->start_run("boom", *contexts[0], report_to(deaf_run));
  ASSERT_TRUE(eventually([&] { return log_text().find("[crash_deaf] deaf") != std::string::npos; }));
  // Settings larger than the socket holds: the job's message cannot leave whole.
  contexts[1]->settings_ = Settings(std::map<std::string, std::string>{{"filler", std::string(4 << 20, 'x')}});
  auto sent = std::async(std::launch::async, [&] { plugin.worker->start_run("boom", *contexts[1], report_to(next_run)); });
  const bool returned = sent.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
  if (!returned) ::kill(worker, SIGKILL);  // lets it return
  EXPECT_TRUE(returned) << "start_run() waited for a worker that reads nothing";
  sent.get();
  const std::string cause = "worker of crash_deaf was killed: it read nothing sent to it for 1s (hung or stopped)";
  auto deaf_end = deaf_run.get_future();
  auto next_end = next_run.get_future();
  ASSERT_EQ(deaf_end.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(next_end.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  if (returned) {
    EXPECT_EQ(deaf_end.get(), "killed: " + cause);
    EXPECT_EQ(next_end.get(), "killed: " + cause);
  }
  EXPECT_TRUE(eventually([&] { return plugin.worker->state().starts_with("running"); })) << plugin.worker->state();
}

// A process the plugin started, by fork and exec or by fork alone, does not
// keep a killed worker connected: the host sees it end and restarts it, and
// the process ends with it.
TEST_F(WorkerPluginTest, AProcessThePluginStartedDoesNotKeepAKilledWorkerConnectedAndEndsWithIt) {
  const auto plugin = load("signals");
  for (const std::string job : {"spawn", "fork"}) {
    SCOPED_TRACE(job);
    const std::uint64_t deaths = plugin.worker->deaths();
    ASSERT_TRUE(eventually([&] { return plugin.worker->state().starts_with("running"); }));
    std::filesystem::remove(dir / "child.pid");
    TestContext context(*job_log, clients, dir.path());
    job_named(plugin, job)->run(context);
    const pid_t child = started_child();
    ASSERT_GT(child, 0);
    ASSERT_FALSE(process_has_ended(child));
    plugin.worker->kill_runs("the test killed it");
    EXPECT_TRUE(eventually([&] { return plugin.worker->deaths() == deaths + 1; })) << plugin.worker->state();
    expect_ends(child);
  }
}

// A worker that dies by itself while a child it forked holds its socket open
// is found at the next silence, not after an unanswered ping, and named by
// how it died; the child ends with it.
TEST_F(WorkerPluginTest, AWorkerThatDiesWhileItsForkedChildHoldsItsSocketIsNamedAndTheChildEnds) {
  policy.ping_interval = std::chrono::milliseconds(300);
  const auto plugin = load("signals");
  TestContext context(*job_log, clients, dir.path());
  std::string error;
  try {
    job_named(plugin, "fork_and_exit")->run(context);
  } catch (const std::exception& e) {
    error = e.what();
  }
  // Not "was killed: it did not answer a ping", as it was before the silence
  // looked at the process.
  EXPECT_EQ(error, "worker of signals exited with status 3");
  const pid_t child = started_child();
  ASSERT_GT(child, 0);
  expect_ends(child);
}

// A worker asked to exit while a child it forked holds its socket open is
// seen to exit at the next silence, not waited for until its patience runs
// out and then killed; the child ends with it.
TEST_F(WorkerPluginTest, AWorkerThatExitsWhileItsForkedChildHoldsItsSocketIsSeenToExit) {
  policy.ping_interval = std::chrono::milliseconds(300);
  pid_t child = 0;
  {
    const auto plugin = load("signals");
    TestContext context(*job_log, clients, dir.path());
    job_named(plugin, "fork")->run(context);
    child = started_child();
  }  // the plugin goes: its worker is asked to exit
  ASSERT_GT(child, 0);
  EXPECT_EQ(log_text().find("did not exit within"), std::string::npos) << log_text();
  expect_ends(child);
}

TEST_F(WorkerPluginTest, QuarantinedAfterRepeatedDeathsUntilReleased) {
  policy.quarantine_deaths = 2;
  const auto plugin = load("crash_exit");
  EXPECT_EQ(run(plugin), "worker of crash_exit exited with status 3");
  ASSERT_TRUE(eventually([&] { return plugin.worker->state().starts_with("running"); }));
  EXPECT_EQ(run(plugin), "worker of crash_exit exited with status 3");
  EXPECT_EQ(plugin.worker->state(), "quarantined: worker of crash_exit exited with status 3");
  EXPECT_EQ(run(plugin), "plugin crash_exit is quarantined (worker of crash_exit exited with status 3)");
  EXPECT_NE(log_text().find("plugin crash_exit is quarantined after 2 deaths"), std::string::npos);
  plugin.worker->release_quarantine();
  ASSERT_TRUE(eventually([&] { return plugin.worker->state().starts_with("running"); }));
}

TEST_F(WorkerPluginTest, APluginChosenToRunInProcessIsLoadedHere) {
  choice.plugins["good"] = Isolation::none;
  const auto plugin = load("good");
  EXPECT_FALSE(plugin.worker);
  ASSERT_TRUE(plugin.plugin);
  EXPECT_EQ(run(plugin), "");
}

TEST_F(WorkerPluginTest, AThrowingDestructorAtUnloadDoesNotReachTheHost) {
  {
    const auto plugin = load("crash_dtor");
    EXPECT_EQ(run(plugin), "");
  }
  SUCCEED();  // the worker died of it, alone
}

}  // namespace
}  // namespace jobhost::isolation
