#include "isolation/worker_connection.hpp"

#include <algorithm>
#include <chrono>

#include "common/thread_name.hpp"
#include "common/write_batch.hpp"
#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "loader/declared_settings.hpp"
#include "loader/plugin_load_error.hpp"
#include "protocol/adaptive_spin.hpp"
#include "protocol/chain_messages.hpp"
#include "protocol/plugin_messages.hpp"
#include "protocol/run_messages.hpp"
#include "runtime/run_killed_error.hpp"

namespace jobhost::isolation {
namespace {

using protocol::Message;
using protocol::ProtocolError;

// How long a worker that closed its socket gets to exit before it is killed.
constexpr std::chrono::milliseconds kExitPatience{2000};
// How often a handshake looks at its deadline and asks whether to give up.
constexpr std::chrono::milliseconds kHandshakeCheckEvery{100};
// How long a worker that failed to load gets for its last output to arrive.
constexpr std::chrono::milliseconds kOutputPatience{200};

// The lowest level `logger` writes, which the worker's logger filters on.
LogLevel lowest_level(const Logger& logger) {
  for (LogLevel level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
    if (logger.enabled(level)) return level;
  }
  return LogLevel::critical;
}

}  // namespace

WorkerConnection::WorkerConnection(SpawnedWorker spawned, std::string label)
    : pid_(spawned.pid),
      label_(std::move(label)),
      socket_(std::make_shared<WorkerSocket>(spawned.socket)),
      channel_(socket_->channel()),
      lane_(spawned.lane),
      output_(spawned.output) {
  // Runs, stops and pings are sent by threads every plugin shares: none
  // waits for a worker that reads nothing. serve() sets how long it may.
  channel_.write_behind(std::chrono::milliseconds(0));
}

WorkerConnection::~WorkerConnection() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (!reaped_) {
      kill_worker(pid_);
      close_sockets_locked();
    }
  }
  if (reader_.joinable() && reader_.get_id() == std::this_thread::get_id()) {
    // Its last reference was dropped by a run's end on the reader, which
    // touches nothing of this after it.
    *destroyed_on_reader_ = true;
    reader_.detach();
  } else if (reader_.joinable()) {
    reader_.join();
  } else if (!reaped_) {
    await_exit(pid_, kExitPatience);
    collect(pid_);
  }
  end_calls();  // the worker is gone (killed above)
  // Left only when the reader never started, or when this runs on it.
  if (!lost_) lost_ = label_ + " was stopped";
  fail_runs();
}

std::optional<Message> WorkerConnection::receive_before(
    std::chrono::steady_clock::time_point deadline,
    std::optional<std::chrono::steady_clock::time_point>& late_until, const std::function<bool()>& give_up) {
  for (;;) {
    if (give_up && give_up()) {
      kill("the daemon is stopping");
      return std::nullopt;
    }
    // Once a message begins, the receive timeout (the patience) bounds the
    // rest of it.
    const auto now = std::chrono::steady_clock::now();
    if (now < deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
      if (channel_.wait_for_input(std::min(kHandshakeCheckEvery, left))) return channel_.receive();
      continue;
    }
    // Past the deadline, what is there already is still read, for a moment
    // from when this thread first found it late (this daemon may have been
    // the one paused); a worker that goes on writing gets no more time.
    if (!late_until) late_until = now + kHandshakeCheckEvery;
    if (now >= *late_until || !channel_.wait_for_input(std::chrono::milliseconds(0))) {
      throw protocol::ReceiveTimeout();
    }
    return channel_.receive();
  }
}

Message WorkerConnection::receive_handshake(const char* expected, const char* step, std::chrono::milliseconds patience,
                                            const std::function<bool()>& give_up) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::optional<std::chrono::steady_clock::time_point> late_until;
  for (;;) {
    std::optional<Message> message;
    std::optional<std::string> error;
    try {
      message = receive_before(deadline, late_until, give_up);
      if (message) {
        const std::string type = protocol::read_string(*message, "t");
        if (type == "log" && plugin_logger_) {
          on_log(*message);
          continue;
        }
        if (type == "dropped" && plugin_logger_) {
          on_dropped(*message);
          continue;
        }
        if (type == "failed") throw loader::PluginLoadError(protocol::read_string(*message, "error"));
        if (type != expected) throw ProtocolError("\"" + type + "\" where \"" + expected + "\" was due");
        return *message;
      }
    } catch (const ProtocolError& e) {
      error = e.what();
    }
    throw load_failure(error, step);
  }
}

loader::PluginLoadError WorkerConnection::load_failure(const std::optional<std::string>& protocol_error,
                                                       const char* step) {
  std::string message = "the worker " + reap(protocol_error) + " during " + step;
  // Reaped: the pipe ends once what the plugin started is gone too.
  if (const std::string output = output_.held_lines(kOutputPatience); !output.empty()) {
    message += "; its last output: " + output;
  }
  return loader::PluginLoadError(message);
}

WorkerConnection::Handshake WorkerConnection::handshake(const std::function<Acceptance(const PluginInfo&)>& accept,
                                                        std::chrono::milliseconds patience,
                                                        const std::function<bool()>& give_up) {
  channel_.set_receive_timeout(patience);
  Handshake result;
  try {
    const Message info = receive_handshake("info", "loading", patience, give_up);
    result.info = protocol::read_info(info);
    result.declarations = protocol::read_declarations(info);
  } catch (const ProtocolError& e) {
    throw load_failure(std::string(e.what()), "loading");
  }
  const Acceptance acceptance = accept(result.info);
  if (result.declarations) loader::check_plugin_settings(result.info.name, *result.declarations, acceptance.settings);
  plugin_logger_ = acceptance.logger.get();
  output_.write_to(acceptance.logger);
  channel_.send({{"t", "configure"},
                 {"settings", acceptance.settings.all()},
                 {"level", static_cast<int>(lowest_level(*plugin_logger_))},
                 {"log_rate_limit", plugin_logger_->lines_per_second()}});
  try {
    result.jobs = protocol::read_jobs(receive_handshake("jobs", "configure() and jobs()", patience, give_up));
  } catch (const ProtocolError& e) {
    throw load_failure(std::string(e.what()), "configure() and jobs()");
  }
  channel_.set_receive_timeout(std::chrono::milliseconds(0));
  return result;
}

void WorkerConnection::serve(ClientProvider* clients, std::function<void(const std::string&)> ended,
                             std::chrono::milliseconds ping_interval) {
  clients_ = clients;
  ended_ = std::move(ended);
  ping_interval_ = ping_interval;
  // Silence ends a receive (ReceiveTimeout): read_loop() pings then.
  channel_.set_receive_timeout(ping_interval);
  channel_.write_behind(ping_interval);
  reader_ = std::thread([this] {
    name_this_thread("worker-reader");
    read_loop();
  });
}

void WorkerConnection::read_loop() {
  bool destroyed = false;
  destroyed_on_reader_ = &destroyed;
  std::optional<std::string> error;
  try {
    for (;;) {
      std::optional<Message> message;
      bool silent = false;
      try {
        message = channel_.receive();
      } catch (const protocol::ReceiveTimeout&) {
        silent = true;
      }
      // Judged whatever comes: a worker that talks on is never silent.
      kill_if_deaf();
      if (silent) {
        on_silence();
        continue;
      }
      if (!message) break;
      {
        // Held while a message is handled: a run's `finished` may drop the
        // other references. Null when the destructor runs elsewhere (it
        // waits for this thread).
        const auto self = weak_from_this().lock();
        handle(*message);
      }
      if (destroyed) return;
    }
  } catch (const protocol::MessageStalled&) {
    kill("it stopped halfway through a message for " + format_duration(ping_interval_) + " (hung or stopped)");
  } catch (const ProtocolError& e) {
    error = e.what();
  }
  const std::string cause = label_ + " " + reap(error);
  // Held so that `ended` and the runs' ends cannot destroy this connection
  // before they are through; null when the destructor is already running
  // (nothing is reported then).
  const auto self = weak_from_this().lock();
  bool report;
  {
    std::lock_guard lock(mutex_);
    report = self && !stopping_;
  }
  // Before the runs in flight fail, so that whoever waits on one finds the
  // death already recorded (the plugin restarting or quarantined).
  if (report && ended_) ended_(cause);
  // Once its end is known, nothing of the worker runs on the host any more:
  // whoever sees its runs end may destroy the host's clients.
  end_calls();
  {
    std::lock_guard lock(mutex_);
    lost_ = cause;
    changed_.notify_all();
  }
  fail_runs();
}

void WorkerConnection::on_silence() {
  // Ended (by itself, or asked to exit) while a process its plugin forked
  // holds its socket open: that process goes, the stream ends, and reap()
  // names how the worker ended.
  if (has_ended(pid_)) {
    std::lock_guard lock(mutex_);
    if (!reaped_) {
      kill_worker(pid_);
      close_sockets_locked();
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // asked to exit: stop() has a patience of its own
  }
  // The worker's reader answers at once, whatever its runs do: the whole
  // process is stuck. Its stream then ends, and this thread reaps it.
  if (ping_unanswered_) {
    return kill("it did not answer a ping within " + format_duration(ping_interval_) + " (hung or stopped)");
  }
  // Never waits (write-behind): a ping the worker does not read is
  // kill_if_deaf()'s to judge.
  channel_.send({{"t", "ping"}});
  ping_unanswered_ = true;
}

void WorkerConnection::kill_if_deaf() {
  if (!channel_.stalled()) return;
  {
    std::lock_guard lock(mutex_);
    // Asked to exit: stop() has a patience of its own.
    if (stopping_ || killed_) return;
  }
  kill("it read nothing sent to it for " + format_duration(ping_interval_) + " (hung or stopped)");
}

void WorkerConnection::fail_runs() {
  Runs runs;
  std::string cause;
  bool killed;
  {
    std::lock_guard lock(mutex_);
    runs.swap(runs_);
    cause = *lost_;
    killed = killed_.has_value();
  }
  for (auto& [id, run] : runs) {
    run.stop_forwarder.reset();
    // An exception of its own for each run, whose thread may rethrow it;
    // made before the call, so that the temporary it is copied from (which
    // shares its message) is gone by then.
    std::exception_ptr thrown = killed ? std::make_exception_ptr(runtime::RunKilledError(cause))
                                       : std::make_exception_ptr(std::runtime_error(cause));
    run.finished(std::move(thrown));
  }
}

std::string WorkerConnection::reap(const std::optional<std::string>& protocol_error) {
  if (protocol_error) kill_worker(pid_);
  await_exit(pid_, kExitPatience);
  std::lock_guard lock(mutex_);
  const int status = collect(pid_);
  reaped_ = true;
  if (killed_) return "was killed: " + *killed_;
  const std::optional<std::string>& invalid = protocol_error ? protocol_error : lane_error_;
  if (invalid) return "sent an invalid message (" + *invalid + ") and was killed";
  return describe_exit(status);
}

void WorkerConnection::handle(const Message& message) {
  const std::string type = protocol::read_string(message, "t");
  if (type == "log") return on_log(message);
  if (type == "pong") {
    ping_unanswered_ = false;
    if (message.contains("dropped_lines")) on_dropped(message);
    return;
  }
  if (type == "dropped") return on_dropped(message);
  if (type == "done") return on_done(message);
  if (type == "call") return on_call(message);
  if (type == "lane") return on_lane();
  throw ProtocolError("an unexpected message \"" + type + "\"");
}

void WorkerConnection::on_log(const Message& message) {
  const std::uint64_t run = protocol::read_unsigned(message, "run");
  const LogLevel level = protocol::read_level(message, "level");
  const std::string text = protocol::read_string(message, "text");
  if (run != 0) {
    // Under the lock, the run's context cannot go away.
    std::lock_guard lock(mutex_);
    if (const auto it = runs_.find(run); it != runs_.end()) {
      it->second.context->log().log(level, text);
      return;
    }
  }
  plugin_logger_->log(level, text);
}

void WorkerConnection::on_dropped(const Message& message) {
  // "dropped_lines" counts every line the worker's budget dropped so far; a
  // "pong" carries it too, so that the last count of a flood arrives once
  // the plugin is quiet. The daemon's budget says when to report it, even
  // with nothing new: a count may have come too soon after a report to be
  // reported itself.
  const std::uint64_t so_far = protocol::read_unsigned(message, "dropped_lines");
  plugin_logger_->count_dropped_elsewhere(so_far > dropped_by_worker_ ? so_far - dropped_by_worker_ : 0);
  dropped_by_worker_ = std::max(dropped_by_worker_, so_far);
}

void WorkerConnection::on_done(const Message& message) {
  for (const protocol::RunEnd& end : protocol::read_done(message)) {
    std::exception_ptr thrown;
    if (end.outcome == protocol::RunEnd::Outcome::stopped) {
      thrown = std::make_exception_ptr(StoppedError(end.error));
    } else if (end.outcome == protocol::RunEnd::Outcome::failed) {
      thrown = std::make_exception_ptr(std::runtime_error(end.error));
    }
    Runs::node_type ended;
    {
      std::lock_guard lock(mutex_);
      const auto it = runs_.find(end.id);
      if (it == runs_.end()) {
        throw ProtocolError("message \"done\" for run " + std::to_string(end.id) + ", which is not running");
      }
      ended = runs_.extract(it);
    }
    PendingRun& run = ended.mapped();
    run.stop_forwarder.reset();  // waits for a stop being passed on right now
    const auto finished = std::move(run.finished);
    run.finished = nullptr;
    finished(std::move(thrown));
    std::lock_guard lock(mutex_);
    spare_runs_.push_back(std::move(ended));
  }
}

void WorkerConnection::on_call(const Message& message) {
  const protocol::ChainCall call = protocol::read_chain_call(message);
  // The worker holds back a call past the limit: one that comes all the same
  // would take one more of the daemon's threads.
  if (calls_in_flight_.load() >= protocol::kMaxCallsInFlight) {
    throw ProtocolError("more than " + std::to_string(protocol::kMaxCallsInFlight) + " chain calls at once");
  }
  ++calls_in_flight_;
  // Its threads may all wait to send their replies to a worker that reads
  // nothing; the calls queued meanwhile are bounded by the check above.
  if (!calls_) calls_ = std::make_unique<OnDemandPool>("chain-call", protocol::kMaxCallsInFlight);
  calls_->post([this, call] {
    if (worker_gone_) return;
    Message reply = answer(call);
    // Before the reply leaves: the worker may send its next call at once.
    --calls_in_flight_;
    channel_.send(reply);
    // Replies to a worker slow to read them wait here, not in memory.
    channel_.wait_for_room();
  });
}

void WorkerConnection::end_calls() {
  worker_gone_ = true;
  calls_.reset();
  // The worker is gone, so its lane ends, once a call the host is making on
  // it has returned.
  if (lane_server_.joinable()) lane_server_.join();
}

Message WorkerConnection::answer(const protocol::ChainCall& call) {
  try {
    if (!clients_) throw UnknownClientError("no chain clients here: only `run` and `run-job` have them");
    return protocol::answer_chain_call(call, clients_->chain(call.chain));
  } catch (...) {
    return protocol::reply_error(call.id);
  }
}

void WorkerConnection::on_lane() {
  std::lock_guard lock(mutex_);
  if (lane_server_.joinable()) throw ProtocolError("a second \"lane\"");
  lane_server_ = std::thread([this] {
    name_this_thread("chain-lane");
    serve_lane();
  });
}

void WorkerConnection::serve_lane() {
  // Awake for the next call while its caller waits for replies awake and
  // calls come one after another (AdaptiveSpin): a quick call then wakes
  // nobody. A caller that sleeps takes long enough to wake for this thread
  // to sleep too. Fewer lanes than cores spin at once, whatever workers say.
  static protocol::SpinSlots spin_slots(protocol::usable_cores() - 1);
  protocol::AdaptiveSpin next_call(protocol::usable_cores());
  bool caller_awake = false;
  try {
    for (;;) {
      const auto since = std::chrono::steady_clock::now();
      if (const auto budget = next_call.budget(); caller_awake && budget.count() > 0 && spin_slots.take()) {
        lane_.spin_for_input(budget);
        spin_slots.give_back();
      }
      const auto message = lane_.receive();
      next_call.record(std::chrono::steady_clock::now() - since);
      if (!message) break;
      const std::string type = protocol::read_string(*message, "t");
      if (type != "call") throw ProtocolError("\"" + type + "\" on the chain-call lane");
      const protocol::ChainCall call = protocol::read_chain_call(*message);
      caller_awake = call.awake;
      lane_.send(answer(call));
    }
  } catch (const ProtocolError& e) {
    std::lock_guard lock(mutex_);
    if (!lane_error_) lane_error_ = e.what();
    // The reader sees the worker end, and reap() names the cause.
    if (!reaped_) {
      kill_worker(pid_);
      close_sockets_locked();
    }
  }
}

void WorkerConnection::start_run(const std::string& job, JobContext& ctx,
                                 std::function<void(std::exception_ptr thrown)> finished) {
  // Everything of `ctx` is read first: once the run is in runs_, it may end
  // (and `ctx` go) at any time.
  const std::stop_token stop = ctx.stop_token();
  const WorkerSocket::Constants constants =
      socket_->constants_for(job, ctx.settings(), ctx.state_dir(), lowest_level(ctx.log()));
  const std::int64_t scheduled_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scheduled_time().time_since_epoch()).count();
  std::uint64_t id;
  {
    std::unique_lock lock(mutex_);
    if (lost_) {
      std::exception_ptr thrown = std::make_exception_ptr(std::runtime_error(*lost_));
      lock.unlock();
      return finished(std::move(thrown));
    }
    id = next_run_++;
    PendingRun* run;
    if (spare_runs_.empty()) {
      run = &runs_.try_emplace(id).first->second;
    } else {
      Runs::node_type node = std::move(spare_runs_.back());
      spare_runs_.pop_back();
      node.key() = id;
      run = &runs_.insert(std::move(node)).position->second;
    }
    run->context = &ctx;
    run->finished = std::move(finished);
    run->stop_state.store(StopState::waiting, std::memory_order_relaxed);
    // A stop already requested calls it here, where it sends nothing: the
    // run has not left yet.
    run->stop_forwarder.emplace(stop, StopSender{this, id, &run->stop_state});
  }
  socket_->add_run(id, scheduled_ns, constants);
  if (!WriteBatch::hold(socket_)) socket_->flush();
  bool stop_pending = false;
  {
    std::lock_guard lock(mutex_);
    // Ended already (done, or the worker lost): its node may be another
    // run's by now.
    if (const auto it = runs_.find(id); it != runs_.end()) {
      stop_pending = it->second.stop_state.exchange(StopState::left) == StopState::stop_pending;
    }
  }
  if (stop_pending) socket_->send({{"t", "stop"}, {"run", id}});
}

void WorkerConnection::StopSender::operator()() const {
  if (state->exchange(StopState::stop_pending) == StopState::left) {
    connection->socket_->send({{"t", "stop"}, {"run", run}});
  }
}

void WorkerConnection::kill(const std::string& why) {
  std::lock_guard lock(mutex_);
  if (reaped_ || lost_) return;
  if (!killed_) killed_ = why;
  kill_worker(pid_);
  close_sockets_locked();
}

void WorkerConnection::close_sockets_locked() {
  // A child the plugin forked may hold the worker's ends open: the reader
  // and the lane learn of the end from these, after what came already (on
  // Linux, what is queued is still read after a shutdown).
  channel_.close_for_reading();
  lane_.close_for_reading();
}

void WorkerConnection::ask_to_exit(std::chrono::milliseconds patience) {
  {
    std::lock_guard lock(mutex_);
    if (exit_deadline_) return;
    exit_deadline_ = std::chrono::steady_clock::now() + patience;
    stopping_ = true;
  }
  socket_->send({{"t", "exit"}});
}

bool WorkerConnection::stop(std::chrono::milliseconds patience) {
  ask_to_exit(patience);
  std::unique_lock lock(mutex_);
  if (changed_.wait_until(lock, *exit_deadline_, [this] { return lost_.has_value(); }) || reaped_) return true;
  kill_worker(pid_);
  close_sockets_locked();
  return false;
}

void run_and_wait(const std::function<void(std::function<void(std::exception_ptr thrown)> finished)>& start) {
  struct Ending {
    std::mutex mutex;
    std::condition_variable ended;
    bool done = false;
    std::exception_ptr thrown;
  };
  auto ending = std::make_shared<Ending>();
  start([ending](std::exception_ptr thrown) {
    std::lock_guard lock(ending->mutex);
    // Moved: the exception is then this waiting thread's alone to destroy.
    ending->thrown = std::move(thrown);
    ending->done = true;
    ending->ended.notify_all();
  });
  std::exception_ptr thrown;
  {
    std::unique_lock lock(ending->mutex);
    ending->ended.wait(lock, [&] { return ending->done; });
    thrown = std::move(ending->thrown);
  }
  if (thrown) std::rethrow_exception(thrown);
}

}  // namespace jobhost::isolation
