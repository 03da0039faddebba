#include "worker/plugin_server.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <unordered_map>

#include <boost/dll/shared_library.hpp>

#include "common/on_demand_pool.hpp"
#include "jobhost/error.hpp"
#include "loader/open_library.hpp"
#include "protocol/plugin_messages.hpp"
#include "protocol/run_messages.hpp"
#include "worker/forwarding_logger.hpp"
#include "worker/remote_calls.hpp"
#include "worker/remote_clients.hpp"
#include "worker/rescue_timer.hpp"
#include "worker/run_queue.hpp"

namespace jobhost::worker {
namespace {

using protocol::read_string;
using protocol::read_unsigned;

// How often the reader looks at the runs queued while it waits for a message.
constexpr std::chrono::milliseconds kWatchEvery{1};

// The JobContext of one run in the worker: what the host sent for it.
class WorkerJobContext final : public JobContext {
 public:
  // `run.job` must not be null.
  WorkerJobContext(ForwardingLogger::Send send, LineBudget* budget, ClientProvider& clients, const RunQueue::Run& run)
      : job_(run.job),
        logger_(std::move(send), run.order.id, job_->logger_name, job_->level, budget),
        clients_(clients),
        stop_(run.stop),
        scheduled_(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(run.order.scheduled_ns))) {}

  Logger& log() override { return logger_; }
  ClientProvider& clients() override { return clients_; }
  const Settings& settings() const override { return job_->settings; }
  const std::filesystem::path& state_dir() const override { return job_->state_dir; }
  std::stop_token stop_token() const override { return stop_; }
  std::chrono::system_clock::time_point scheduled_time() const override { return scheduled_; }
  std::string_view job_name() const override { return job_->logger_name; }

 private:
  std::shared_ptr<const JobShared> job_;  // first: the logger names itself with it
  ForwardingLogger logger_;
  ClientProvider& clients_;
  std::stop_token stop_;
  std::chrono::system_clock::time_point scheduled_;
};

class PluginServer {
 public:
  PluginServer(int fd, int lane) : channel_(fd), calls_(channel_, lane), clients_(calls_) {}

  int serve(const std::filesystem::path& copy);

 private:
  // Loading, up to the "jobs" message; throws PluginLoadError.
  void load(const std::filesystem::path& copy);
  // Reads the host's messages, queueing runs, and answers pings. Once the
  // runs that came together are queued, `run_here` runs them on this thread, whose wake-up
  // for the message was theirs, and goes on reading unless they took so long
  // that another thread took the reading over (rescue()); otherwise a thread
  // of the pool runs them. Returns when another thread reads, or when "exit"
  // has come (exit_ told). Ends the process when the host is gone.
  void read_messages(bool run_here);
  // Does `work`, which may block, while nobody reads; false when the
  // rescuer handed the reading to another thread meanwhile.
  bool unread(const std::function<void()>& work);
  // The rescuer's thread: when runs keep the reader from reading for
  // kWatchEvery, hands the reading to another thread (or reads itself when
  // no thread can be had).
  void rescue();
  // While runs are queued, waits for the next message a little at a time:
  // has what was held back written, and puts another thread on the queue
  // when no run started (one blocks the thread running them).
  void watch_queue();
  // Keeps what a "job" message says, for the runs naming its number.
  void remember_job(protocol::JobConstants job);
  // Queues the runs of a "runs" message.
  void queue_runs(const Message& runs);
  // Runs queued runs until none is left.
  void run_queued();
  void run(const RunQueue::Run& run);
  // Sends `message`, held back while runs are queued behind the running one:
  // written with the next that is not, or by the reader's watch.
  void send(const Message& message);
  // Records how a run ended: its "done" leaves with the next flush(), at
  // once when no run is queued.
  void ended(protocol::RunEnd end);
  // Writes the ends recorded and what the outbox holds.
  void flush();
  bool has_unsent_output();
  // On "exit": the runs are asked to stop and chain calls fail at once.
  void stop_runs();
  // After the runs have returned: destroys the plugin and unloads it.
  void shut_down();

  MessageChannel channel_;
  RemoteCalls calls_;
  RemoteClientProvider clients_;
  // The plugin's lines a second (log.rate-limit), shared by its loggers;
  // null: no limit.
  std::unique_ptr<LineBudget> log_budget_;
  // Destroyed in this order by shut_down(): runs, jobs, plugin, logger,
  // library.
  boost::dll::shared_library library_;
  std::unique_ptr<ForwardingLogger> plugin_logger_;
  Plugin* plugin_ = nullptr;
  std::string plugin_name_;
  std::map<std::string, JobDefinition> jobs_;
  // What each job's runs share, by the job's number, as the host sent it
  // last; read by the reader only.
  std::unordered_map<std::uint64_t, std::shared_ptr<const JobShared>> job_constants_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::stop_source> runs_;  // the runs in flight; guarded by mutex_
  bool exit_ = false;                                 // "exit" has come; guarded by mutex_
  std::vector<protocol::RunEnd> ends_;                // not sent yet; guarded by mutex_
  std::condition_variable exiting_;
  RunQueue queue_;
  std::atomic<bool> flush_posted_{false};   // a flush waits for a thread (watch_queue)
  std::atomic<bool> runner_posted_{false};  // a run_queued() waits for a thread (watch_queue)
  std::unique_ptr<OnDemandPool> pool_ = std::make_unique<OnDemandPool>("run");
  // Whether the reader is running runs and nobody reads: armed meanwhile.
  std::atomic<bool> reader_away_{false};
  RescueTimer rescue_timer_;
  std::thread rescuer_;
};

void PluginServer::load(const std::filesystem::path& copy) {
  loader::open_library(library_, copy);
  plugin_ = loader::create_plugin(library_);
  const PluginInfo info = loader::guarded("info()", [&] { return plugin_->info(); });
  plugin_name_ = info.name;
  channel_.send(protocol::write_info(info, loader::read_declarations(library_)));
  const auto configure = channel_.receive();
  if (!configure) std::_Exit(0);  // the host refused the plugin, or is gone
  if (const std::uint64_t per_second = read_unsigned(*configure, "log_rate_limit"); per_second > 0) {
    log_budget_ = std::make_unique<LineBudget>(static_cast<std::uint32_t>(std::min<std::uint64_t>(per_second, UINT32_MAX)));
  }
  plugin_logger_ = std::make_unique<ForwardingLogger>([this](const Message& line) { send(line); }, 0, plugin_name_,
                                                      protocol::read_level(*configure, "level"), log_budget_.get());
  const Settings settings(protocol::read_string_map(*configure, "settings"));
  loader::guarded("configure()", [&] { plugin_->configure(settings, *plugin_logger_); });
  auto jobs = loader::guarded("jobs()", [&] { return plugin_->jobs(); });
  channel_.send(protocol::write_jobs(jobs));
  for (auto& job : jobs) jobs_.emplace(job.name, std::move(job));
}

void PluginServer::remember_job(protocol::JobConstants job) {
  const auto definition = jobs_.find(job.job);
  std::string logger_name = plugin_name_ + "." + job.job;
  job_constants_.insert_or_assign(
      job.number, std::make_shared<const JobShared>(JobShared{
                      definition == jobs_.end() ? nullptr : &definition->second, std::move(job.job),
                      std::move(logger_name), Settings(std::move(job.settings)), std::move(job.state_dir), job.level}));
}

void PluginServer::queue_runs(const Message& runs) {
  for (const protocol::RunOrder& order : protocol::read_runs(runs)) {
    std::stop_source stop;
    {
      std::lock_guard lock(mutex_);
      runs_.emplace(order.id, stop);
    }
    const auto job = job_constants_.find(order.job);
    queue_.push({order, job == job_constants_.end() ? nullptr : job->second, stop.get_token()});
  }
}

void PluginServer::run(const RunQueue::Run& run) {
  protocol::RunEnd end{run.order.id, protocol::RunEnd::Outcome::ok, {}};
  const auto fail = [&end](protocol::RunEnd::Outcome outcome, std::string error) {
    end.outcome = outcome;
    end.error = std::move(error);
  };
  if (!run.job) {
    fail(protocol::RunEnd::Outcome::failed,
         "the host sent nothing for job number " + std::to_string(run.order.job) + " before its run");
  } else if (!run.job->definition) {
    fail(protocol::RunEnd::Outcome::failed, "the plugin has no job \"" + run.job->name + "\"");
  } else {
    WorkerJobContext context([this](const Message& line) { send(line); }, log_budget_.get(), clients_, run);
    try {
      run.job->definition->run(context);
    } catch (const StoppedError& e) {
      fail(protocol::RunEnd::Outcome::stopped, e.what());
    } catch (const std::exception& e) {
      fail(protocol::RunEnd::Outcome::failed, e.what());
    } catch (...) {
      fail(protocol::RunEnd::Outcome::failed, "a non-standard exception was thrown");
    }
  }
  ended(std::move(end));
}

void PluginServer::ended(protocol::RunEnd end) {
  {
    std::lock_guard lock(mutex_);
    runs_.erase(end.id);
    ends_.push_back(std::move(end));
  }
  if (queue_.empty()) flush();
}

void PluginServer::flush() {
  std::vector<protocol::RunEnd> ends;
  {
    std::lock_guard lock(mutex_);
    ends.swap(ends_);
  }
  // After the runs' log lines, which were added as they were logged.
  if (!ends.empty()) channel_.send_later(protocol::write_done(ends));
  channel_.flush();
}

bool PluginServer::has_unsent_output() {
  {
    std::lock_guard lock(mutex_);
    if (!ends_.empty()) return true;
  }
  return channel_.has_unwritten_output();
}

void PluginServer::send(const Message& message) {
  if (queue_.empty()) {
    channel_.send(message);
    return;
  }
  channel_.send_later(message);
  // The queue emptied meanwhile: whoever took the last run may have written
  // the held-back messages before this one was added.
  if (queue_.empty()) flush();
}

void PluginServer::run_queued() {
  while (auto next = queue_.take()) {
    // Nothing is queued behind it: what the runs before it held back goes.
    if (queue_.empty()) flush();
    run(*next);
  }
}

void PluginServer::watch_queue() {
  while (!queue_.empty() && !channel_.wait_for_input(kWatchEvery)) {
    // Written by another thread: the reader never waits for the host to
    // read, since the host may be waiting for it to.
    // One of each posted at a time: when no thread can be had, they wait.
    if (has_unsent_output() && !flush_posted_.exchange(true)) {
      pool_->post([this] {
        flush_posted_ = false;
        flush();
      });
    }
    if (queue_.stalled() && !runner_posted_.exchange(true)) {
      pool_->post([this] {
        runner_posted_ = false;
        run_queued();
      });
    }
  }
}

void PluginServer::stop_runs() {
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, stop] : runs_) stop.request_stop();
  }
  calls_.fail_all();
}

void PluginServer::shut_down() {
  rescue_timer_.stop();
  rescuer_.join();
  pool_.reset();  // waits for the runs to return
  jobs_.clear();
  delete plugin_;
  plugin_ = nullptr;
  plugin_logger_.reset();
  library_.unload();
}

bool PluginServer::unread(const std::function<void()>& work) {
  reader_away_ = true;
  rescue_timer_.arm(kWatchEvery);
  work();
  rescue_timer_.disarm();
  return reader_away_.exchange(false);
}

void PluginServer::rescue() {
  while (rescue_timer_.wait()) {
    if (!reader_away_.exchange(false)) continue;  // the reader came back
    std::function<void()> read_on = [this] { read_messages(true); };
    if (pool_->start(read_on)) continue;
    // No thread to read on (the worker has as many as its memory limit lets
    // it make): this one reads from now on, and runs wait for a running one
    // to return.
    return read_messages(false);
  }
}

void PluginServer::read_messages(bool run_here) {
  try {
    bool runs_came = false;
    for (;;) {
      if (runs_came && !channel_.has_buffered_input()) {
        runs_came = false;
        if (!run_here) {
          pool_->post([this] { run_queued(); });
        } else if (!unread([this] { run_queued(); })) {
          return;
        }
      }
      watch_queue();
      auto message = channel_.receive();
      if (!message) break;
      const std::string type = read_string(*message, "t");
      if (type == "runs") {
        queue_runs(*message);
        runs_came = true;
      } else if (type == "job") {
        remember_job(protocol::read_job(*message));
      } else if (type == "stop") {
        std::lock_guard lock(mutex_);
        if (const auto it = runs_.find(read_unsigned(*message, "run")); it != runs_.end()) it->second.request_stop();
      } else if (type == "reply") {
        calls_.answer(*message);
      } else if (type == "ping") {
        // Written at once, with what runs hold back: held back too, it would
        // wait for a thread that may not be had. The rescuer, when it reads
        // itself, has nobody to hand the reading to.
        // With the lines dropped so far: the last count of a flood, once the
        // plugin is quiet.
        const auto answer = [this] {
          Message pong{{"t", "pong"}};
          if (const std::uint64_t dropped = log_budget_ ? log_budget_->dropped() : 0; dropped > 0) {
            pong["dropped_lines"] = dropped;
          }
          channel_.send(pong);
        };
        if (!run_here) {
          answer();
        } else if (!unread(answer)) {
          if (runs_came) pool_->post([this] { run_queued(); });  // the new reader did not see them come
          return;
        }
      } else if (type == "exit") {
        if (runs_came) pool_->post([this] { run_queued(); });
        stop_runs();
        std::lock_guard lock(mutex_);
        exit_ = true;
        exiting_.notify_all();
        return;
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jobhost-worker: %s\n", e.what());
  }
  // The host is gone: nobody waits for the runs, which may still be in the
  // plugin's code, so nothing is destroyed.
  std::_Exit(0);
}

int PluginServer::serve(const std::filesystem::path& copy) {
  try {
    load(copy);
  } catch (const std::exception& e) {
    channel_.send({{"t", "failed"}, {"error", e.what()}});
    return 1;
  }
  rescuer_ = std::thread([this] { rescue(); });
  read_messages(true);
  {
    std::unique_lock lock(mutex_);
    exiting_.wait(lock, [this] { return exit_; });
  }
  shut_down();
  return 0;
}

}  // namespace

int serve(const std::filesystem::path& copy, int fd, int lane) {
  // Leaked on purpose when the host goes away mid-run (see serve above).
  auto* server = new PluginServer(fd, lane);
  const int status = server->serve(copy);
  delete server;
  return status;
}

}  // namespace jobhost::worker
