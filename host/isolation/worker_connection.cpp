#include "isolation/worker_connection.hpp"

#include <signal.h>

#include "common/thread_name.hpp"
#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"
#include "protocol/chain_messages.hpp"
#include "protocol/plugin_messages.hpp"
#include "runtime/run_killed_error.hpp"

namespace jobhost::isolation {
namespace {

using protocol::Message;
using protocol::ProtocolError;

// How long a worker that closed its socket gets to exit before it is killed.
constexpr std::chrono::milliseconds kExitPatience{2000};

// The lowest level `logger` writes, which the worker's logger filters on.
LogLevel lowest_level(const Logger& logger) {
  for (LogLevel level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
    if (logger.enabled(level)) return level;
  }
  return LogLevel::critical;
}

}  // namespace

WorkerConnection::WorkerConnection(SpawnedWorker spawned, std::string label)
    : pid_(spawned.pid), label_(std::move(label)), channel_(spawned.socket) {}

WorkerConnection::~WorkerConnection() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (!reaped_) ::kill(pid_, SIGKILL);
  }
  if (reader_.joinable() && reader_.get_id() == std::this_thread::get_id()) {
    reader_.detach();  // its last reference was the reader's, which touches nothing of this after it
  } else if (reader_.joinable()) {
    reader_.join();
  } else if (!reaped_) {
    await_exit(pid_, kExitPatience);
    collect(pid_);
  }
  calls_.reset();  // its threads may still answer on the channel
}

Message WorkerConnection::receive_handshake(const char* expected, const char* step) {
  for (;;) {
    std::optional<Message> message;
    std::optional<std::string> error;
    try {
      message = channel_.receive();
      if (message) {
        const std::string type = protocol::read_string(*message, "t");
        if (type == "log" && plugin_logger_) {
          on_log(*message);
          continue;
        }
        if (type == "failed") throw loader::PluginLoadError(protocol::read_string(*message, "error"));
        if (type != expected) throw ProtocolError("\"" + type + "\" where \"" + expected + "\" was due");
        return *message;
      }
    } catch (const ProtocolError& e) {
      error = e.what();
    }
    throw loader::PluginLoadError("the worker " + reap(error) + " during " + step);
  }
}

WorkerConnection::Handshake WorkerConnection::handshake(const std::function<Acceptance(const PluginInfo&)>& accept,
                                                        std::chrono::milliseconds patience) {
  channel_.set_receive_timeout(patience);
  Handshake result;
  try {
    result.info = protocol::read_info(receive_handshake("info", "loading"));
  } catch (const ProtocolError& e) {
    throw loader::PluginLoadError("the worker " + reap(std::string(e.what())) + " during loading");
  }
  const Acceptance acceptance = accept(result.info);
  plugin_logger_ = &acceptance.logger;
  channel_.send({{"t", "configure"},
                 {"settings", acceptance.settings.all()},
                 {"level", static_cast<int>(lowest_level(*plugin_logger_))}});
  try {
    result.jobs = protocol::read_jobs(receive_handshake("jobs", "configure() and jobs()"));
  } catch (const ProtocolError& e) {
    throw loader::PluginLoadError("the worker " + reap(std::string(e.what())) + " during configure() and jobs()");
  }
  channel_.set_receive_timeout(std::chrono::milliseconds(0));
  return result;
}

void WorkerConnection::serve(ClientProvider* clients, std::function<void(const std::string&)> ended) {
  clients_ = clients;
  ended_ = std::move(ended);
  reader_ = std::thread([this] {
    name_this_thread("worker-reader");
    read_loop();
  });
}

void WorkerConnection::read_loop() {
  std::optional<std::string> error;
  try {
    while (const auto message = channel_.receive()) handle(*message);
  } catch (const ProtocolError& e) {
    error = e.what();
  }
  const std::string cause = label_ + " " + reap(error);
  // Held so that `ended` cannot destroy this connection before its runs fail;
  // null when the destructor is already running (nothing is reported then).
  const auto self = weak_from_this().lock();
  bool report;
  {
    std::lock_guard lock(mutex_);
    report = self && !stopping_;
  }
  // Before the runs in flight fail, so that whoever waits on one finds the
  // death already recorded (the plugin restarting or quarantined).
  if (report && ended_) ended_(cause);
  std::lock_guard lock(mutex_);
  lost_ = cause;
  changed_.notify_all();
}

std::string WorkerConnection::reap(const std::optional<std::string>& protocol_error) {
  if (protocol_error) ::kill(pid_, SIGKILL);
  await_exit(pid_, kExitPatience);
  std::lock_guard lock(mutex_);
  const int status = collect(pid_);
  reaped_ = true;
  if (killed_) return "was killed: " + *killed_;
  if (protocol_error) return "sent an invalid message (" + *protocol_error + ") and was killed";
  return describe_exit(status);
}

void WorkerConnection::handle(const Message& message) {
  const std::string type = protocol::read_string(message, "t");
  if (type == "log") return on_log(message);
  if (type == "done") return on_done(message);
  if (type == "call") return on_call(message);
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

void WorkerConnection::on_done(const Message& message) {
  const std::uint64_t run = protocol::read_unsigned(message, "run");
  const std::string outcome = protocol::read_string(message, "outcome");
  if (outcome != "ok" && outcome != "failed" && outcome != "stopped") {
    throw ProtocolError("message \"done\": outcome \"" + outcome + "\" (expected ok, failed or stopped)");
  }
  if (outcome != "ok") protocol::read_string(message, "error");
  std::lock_guard lock(mutex_);
  const auto it = runs_.find(run);
  if (it == runs_.end() || it->second.done) {
    throw ProtocolError("message \"done\" for run " + std::to_string(run) + ", which is not running");
  }
  it->second.done = message;
  changed_.notify_all();
}

void WorkerConnection::on_call(const Message& message) {
  const protocol::ChainCall call = protocol::read_chain_call(message);
  if (!calls_) calls_ = std::make_unique<OnDemandPool>("chain-call");
  calls_->post([this, call] {
    Message reply;
    try {
      if (!clients_) throw UnknownClientError("no chain clients here: only `run` and `run-job` have them");
      reply = protocol::answer_chain_call(call, clients_->chain(call.chain));
    } catch (...) {
      reply = protocol::reply_error(call.id);
    }
    channel_.send(reply);
  });
}

void WorkerConnection::run(const std::string& job, JobContext& ctx) {
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    if (lost_) throw std::runtime_error(*lost_);
    id = next_run_++;
    runs_.emplace(id, PendingRun{&ctx, std::nullopt});
  }
  channel_.send({{"t", "run"},
                 {"run", id},
                 {"job", job},
                 {"settings", ctx.settings().all()},
                 {"state_dir", ctx.state_dir().string()},
                 {"scheduled_ns", std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      ctx.scheduled_time().time_since_epoch()).count()},
                 {"level", static_cast<int>(lowest_level(ctx.log()))}});
  std::stop_callback pass_stop_on(ctx.stop_token(), [this, id] { channel_.send({{"t", "stop"}, {"run", id}}); });
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return runs_.at(id).done || lost_; });
  const std::optional<Message> done = std::move(runs_.extract(id).mapped().done);
  if (!done) {
    if (killed_) throw runtime::RunKilledError(*lost_);
    throw std::runtime_error(*lost_);
  }
  const std::string outcome = protocol::read_string(*done, "outcome");
  if (outcome == "ok") return;
  const std::string error = protocol::read_string(*done, "error");
  if (outcome == "stopped") throw StoppedError(error);
  throw std::runtime_error(error);
}

void WorkerConnection::kill(const std::string& why) {
  std::lock_guard lock(mutex_);
  if (reaped_ || lost_) return;
  if (!killed_) killed_ = why;
  ::kill(pid_, SIGKILL);
}

void WorkerConnection::ask_to_exit(std::chrono::milliseconds patience) {
  {
    std::lock_guard lock(mutex_);
    if (exit_deadline_) return;
    exit_deadline_ = std::chrono::steady_clock::now() + patience;
    stopping_ = true;
  }
  channel_.send({{"t", "exit"}});
}

bool WorkerConnection::stop(std::chrono::milliseconds patience) {
  ask_to_exit(patience);
  std::unique_lock lock(mutex_);
  if (changed_.wait_until(lock, *exit_deadline_, [this] { return lost_.has_value(); }) || reaped_) return true;
  ::kill(pid_, SIGKILL);
  return false;
}

}  // namespace jobhost::isolation
