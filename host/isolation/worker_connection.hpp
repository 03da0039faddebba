// WorkerConnection: the host's side of one worker process, from its start to
// its end — the handshake, the runs it is asked for, the log lines and chain
// calls it sends, and how it ended.
//
// Every message read is untrusted (protocol/message_channel.hpp): a worker
// that sends something malformed or unexpected is killed, and the cause names
// what it sent. Its chain calls run on the host's ClientProvider: those
// that come over its socket each on a thread of an OnDemandPool (a call may
// block for its client's timeout, and the reader must go on reading), at
// most protocol::kMaxCallsInFlight at once (a worker sending more is killed), the
// one at a time that comes over its chain-call lane on the lane's own
// thread, started when the worker first asks for it; its log lines are
// written by the host's loggers: the run's job logger, or the plugin's, as
// is what it writes on its standard output and error (worker_output.hpp).
// Nothing sent to the worker waits for it to read (the channel writes
// behind): a worker that reads nothing for a ping interval is killed.
//
// Ownership: owned by a shared_ptr; owns the process (killed and reaped at
// the latest when the connection goes), the socket (shared with the write
// batches holding a run for it), the lane and its thread, and the reader
// thread, which holds a reference while it reports the end.
// Thread-safety: handshake(), set_label() and serve() from one thread, in
// that order; start_run(), kill(), stop() and the accessors from any thread
// after that; the destructor from any thread (it may run on the reader
// thread itself, when a run's `finished` drops the last reference): runs
// still in flight end as failed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/on_demand_pool.hpp"
#include "isolation/worker_output.hpp"
#include "isolation/worker_process.hpp"
#include "isolation/worker_socket.hpp"
#include "jobhost/client_provider.hpp"
#include "jobhost/declarations.hpp"
#include "jobhost/job_context.hpp"
#include "jobhost/plugin.hpp"
#include "loader/plugin_load_error.hpp"
#include "logging/spdlog_logger.hpp"
#include "protocol/chain_messages.hpp"
#include "protocol/message_channel.hpp"

namespace jobhost::isolation {

class WorkerConnection : public std::enable_shared_from_this<WorkerConnection> {
 public:
  // `label`: how messages name the worker (see set_label).
  WorkerConnection(SpawnedWorker spawned, std::string label);
  ~WorkerConnection();
  WorkerConnection(const WorkerConnection&) = delete;
  WorkerConnection& operator=(const WorkerConnection&) = delete;

  struct Handshake {
    PluginInfo info;
    std::optional<Declarations> declarations;
    std::vector<JobDefinition> jobs;  // without run functions
  };
  // What the host gives a plugin it accepts: the plugin's logger (shared:
  // the worker's output may still be written after its plugin has gone)
  // and settings.
  struct Acceptance {
    std::shared_ptr<logging::SpdlogLogger> logger;
    Settings settings;
  };
  // The handshake: reads the plugin's info and hands it to `accept`, which
  // may refuse it (by throwing); refuses settings the plugin does not
  // declare (declared_settings.hpp); sends the plugin its settings and its
  // logger's level; reads its jobs. Each answer must come within `patience`;
  // the worker is killed sooner once `give_up` (when given) says so.
  // Throws PluginLoadError with the cause: what the plugin threw, or how the
  // worker ended or what it sent (it is killed then).
  Handshake handshake(const std::function<Acceptance(const PluginInfo&)>& accept,
                      std::chrono::milliseconds patience, const std::function<bool()>& give_up = {});

  // How messages name the worker from now on ("worker of NAME").
  void set_label(std::string label) { label_ = std::move(label); }

  // Starts reading: from now on log lines go to the plugin's logger (or a
  // run's job logger), chain calls to `clients` (nullptr: every call fails),
  // and `ended` is called once, on the reader thread, with the cause when the
  // worker ends other than by stop() or the destructor — before the runs in
  // flight fail. A worker silent for `ping_interval` is pinged, and killed
  // when it is silent for another without answering (hung, or stopped);
  // zero: never. The connection must be owned by a shared_ptr.
  void serve(ClientProvider* clients, std::function<void(const std::string& cause)> ended,
             std::chrono::milliseconds ping_interval);

  // Starts `job` in the worker and returns: `finished` is called once, when
  // the run has ended, with what the plugin's run function would have thrown
  // (null for ok): StoppedError for a run that stopped, std::runtime_error
  // with the job's message for one that failed; when the worker ends first,
  // RunKilledError (kill()) or std::runtime_error naming the cause. It is
  // called on the reader thread, or on this one when the worker has ended
  // already; `ctx` must live until then. Stop requests on ctx.stop_token()
  // are passed on. With a WriteBatch open on this thread, the run is sent
  // when it closes.
  void start_run(const std::string& job, JobContext& ctx, std::function<void(std::exception_ptr thrown)> finished);

  // Kills the worker; the runs in flight end as killed, with `why`.
  void kill(const std::string& why);

  // Asks the worker to exit (its plugin object destroyed, its library
  // unloaded), without waiting; stop() waits until `patience` from the
  // first ask. Many workers asked at once exit together.
  void ask_to_exit(std::chrono::milliseconds patience);
  // ask_to_exit(patience), then waits; kills the worker when it has not
  // exited in time. Returns whether it exited in time.
  bool stop(std::chrono::milliseconds patience);

  pid_t pid() const { return pid_; }
  const std::string& label() const { return label_; }

 private:
  // Where a run stands for its "stop" (the worker ignores a stop for a run
  // it has not received): whoever moves it on second, the run leaving or
  // its stop requested, sends the stop, once.
  enum class StopState : std::uint8_t { waiting, left, stop_pending };
  // Passes a run's stop request on (its stop_callback).
  struct StopSender {
    WorkerConnection* connection;
    std::uint64_t run;
    std::atomic<StopState>* state;
    void operator()() const;
  };
  struct PendingRun {
    JobContext* context = nullptr;
    std::function<void(std::exception_ptr)> finished;
    std::atomic<StopState> stop_state{StopState::waiting};
    std::optional<std::stop_callback<StopSender>> stop_forwarder;
  };
  using Runs = std::map<std::uint64_t, PendingRun>;

  // The next message, begun before `deadline` (ReceiveTimeout past it, and
  // past `late_until`, a moment's grace set when it is first found late);
  // nothing at the end of the stream, or when `give_up` says so first (the
  // worker is killed then).
  std::optional<protocol::Message> receive_before(std::chrono::steady_clock::time_point deadline,
                                                  std::optional<std::chrono::steady_clock::time_point>& late_until,
                                                  const std::function<bool()>& give_up);
  // The handshake's next message, which must be `expected`: log lines
  // before it are written, all within `patience`.
  protocol::Message receive_handshake(const char* expected, const char* step, std::chrono::milliseconds patience,
                                      const std::function<bool()>& give_up);
  void read_loop();
  // The worker has sent nothing for a ping interval: ends the stream when
  // the worker has ended (a process it forked may hold its socket open);
  // else pings it, or kills it when the ping before is still unanswered.
  void on_silence();
  // Kills the worker when it has read nothing sent to it for a ping
  // interval (the channel's write-behind gave up on it).
  void kill_if_deaf();
  void handle(const protocol::Message& message);
  void on_log(const protocol::Message& message);
  void on_dropped(const protocol::Message& message);
  void on_done(const protocol::Message& message);
  // Ends every run in flight: the worker has ended (`lost_` says how).
  void fail_runs();
  void on_call(const protocol::Message& message);
  // Starts serving the lane: the worker asked ("lane").
  void on_lane();
  void serve_lane();
  // Once the worker is gone: waits for the chain calls the host is making
  // for it to return (those still queued are not made) and for its lane.
  void end_calls();
  // The reply to a chain call, made on the host's ClientProvider.
  protocol::Message answer(const protocol::ChainCall& call);
  // After a SIGKILL: ends the host's side of the socket and the lane.
  void close_sockets_locked();
  // The load error of a worker that failed `step`: how it ended (it is
  // reaped) and its last output.
  loader::PluginLoadError load_failure(const std::optional<std::string>& protocol_error, const char* step);
  // Reaps the process; returns how it ended ("died: SIGSEGV"), without the
  // label.
  std::string reap(const std::optional<std::string>& protocol_error);

  const pid_t pid_;
  std::string label_;
  // Shared with the write batches holding back a run for it.
  const std::shared_ptr<WorkerSocket> socket_;
  protocol::MessageChannel& channel_;  // socket_'s
  logging::SpdlogLogger* plugin_logger_ = nullptr;
  ClientProvider* clients_ = nullptr;
  std::function<void(const std::string&)> ended_;
  std::chrono::milliseconds ping_interval_{0};
  // Read by the reader only.
  bool ping_unanswered_ = false;
  // The lines the worker said its budget dropped (log.rate-limit), so far.
  std::uint64_t dropped_by_worker_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t next_run_ = 1;
  Runs runs_;
  // The nodes of runs that ended, reused by the next runs: a run allocates
  // nothing (their pending runs are empty).
  std::vector<Runs::node_type> spare_runs_;
  std::optional<std::string> lost_;    // how the worker ended, once it has
  std::optional<std::string> killed_;  // why kill() was called
  bool stopping_ = false;              // asked to exit, or the destructor: no `ended`
  std::optional<std::chrono::steady_clock::time_point> exit_deadline_;
  bool reaped_ = false;

  std::unique_ptr<OnDemandPool> calls_;  // made on the first call
  std::atomic<std::size_t> calls_in_flight_{0};  // over the socket, not answered yet
  std::atomic<bool> worker_gone_{false};          // set by end_calls(): calls queued are not made
  protocol::MessageChannel lane_;
  WorkerOutput output_;  // its standard output and error
  std::thread lane_server_;                // guarded by mutex_ until joined
  std::optional<std::string> lane_error_;  // what invalid came over the lane; guarded by mutex_
  std::thread reader_;
  // Set by the destructor when it runs on the reader thread (a run's end
  // dropped the last reference): read_loop() returns at once then.
  bool* destroyed_on_reader_ = nullptr;
};

// Starts a run with `start`, handing it the function the run calls when it
// ends, and waits for that: returns for a run that ended well, throws what
// it threw otherwise. For callers that want the plugin's run function as it
// is (run-job, check, tests).
void run_and_wait(const std::function<void(std::function<void(std::exception_ptr thrown)> finished)>& start);

}  // namespace jobhost::isolation
