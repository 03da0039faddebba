#include "isolation/worker_plugin.hpp"

#include <algorithm>
#include <set>

#include "jobhost/duration.hpp"
#include "loader/plugin_load_error.hpp"

namespace jobhost::isolation {
namespace {

std::set<std::string> names_of(const std::vector<JobDefinition>& jobs) {
  std::set<std::string> names;
  for (const auto& job : jobs) names.insert(job.name);
  return names;
}

std::string in_seconds(std::chrono::steady_clock::duration left) {
  return format_duration(
      std::chrono::ceil<std::chrono::seconds>(std::max(left, std::chrono::steady_clock::duration{})));
}

}  // namespace

WorkerPlugin::WorkerPlugin(Token, std::filesystem::path file, std::shared_ptr<loader::ShadowCopy> copy,
                           const loader::PluginEnvironment& env, const WorkerEnvironment& workers)
    : file_(std::move(file)),
      copy_(std::move(copy)),
      supervisor_(workers.supervisor),
      clients_(workers.clients),
      policy_(workers.policy),
      stop_loading_(workers.stop_loading),
      log_(env.logs.make("plugins")),
      backoff_(policy_.first_backoff) {}

loader::LoadedPlugin WorkerPlugin::load(const std::filesystem::path& file, std::shared_ptr<loader::ShadowCopy> copy,
                                        const loader::PluginEnvironment& env, const WorkerEnvironment& workers,
                                        const std::function<void(const PluginInfo&)>& accept) {
  auto plugin = std::make_shared<WorkerPlugin>(Token{}, file, copy, env, workers);
  WorkerConnection::Handshake handshake;
  auto worker = plugin->start(
      [&](const PluginInfo& info) -> WorkerConnection::Acceptance {
        loader::check_plugin_name(info.name);
        accept(info);
        plugin->plugin_logger_ = env.logs.make_plugin_logger(info.name);
        plugin->settings_ = env.settings_for(info.name);
        return {plugin->plugin_logger_, plugin->settings_};
      },
      handshake);
  plugin->info_ = handshake.info;
  for (auto& job : handshake.jobs) {
    // The definitions are members of the plugin: `raw` lives as long as they do.
    job.run = [raw = plugin.get(), name = job.name](JobContext& ctx) {
      run_and_wait([&](auto finished) { raw->start_run(name, ctx, std::move(finished)); });
    };
    plugin->jobs_.push_back(std::move(job));
  }
  loader::check_jobs(plugin->jobs_);
  plugin->serve(std::move(worker));

  loader::LoadedPlugin loaded;
  loaded.file = file;
  loaded.copy = copy->path();
  loaded.sha256 = copy->sha256();
  loaded.info = plugin->info_;
  loaded.declarations = std::move(handshake.declarations);
  for (const auto& job : plugin->jobs_) loaded.jobs.push_back(std::shared_ptr<const JobDefinition>(plugin, &job));
  loaded.worker = plugin;
  loaded.library = std::move(copy);
  return loaded;
}

WorkerPlugin::~WorkerPlugin() {
  std::shared_ptr<WorkerConnection> worker;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    worker = std::move(current_);
  }
  if (worker && !worker->stop(policy_.stop_patience)) {
    log_->warn("{}: worker of {} did not exit within {} of being asked to: killed", file_.string(), info_.name,
               format_duration(policy_.stop_patience));
  }
}

void WorkerPlugin::ask_to_exit() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  if (current_) current_->ask_to_exit(policy_.stop_patience);
}

std::shared_ptr<WorkerConnection> WorkerPlugin::start(
    const std::function<WorkerConnection::Acceptance(const PluginInfo&)>& accept,
    WorkerConnection::Handshake& handshake) {
  const std::string label = info_.name.empty() ? "worker of " + file_.filename().string() : "worker of " + info_.name;
  auto worker = std::make_shared<WorkerConnection>(supervisor_.spawn(copy_->path()), label);
  handshake = worker->handshake(accept, policy_.start_patience, stop_loading_);
  worker->set_label("worker of " + handshake.info.name);
  return worker;
}

void WorkerPlugin::serve(std::shared_ptr<WorkerConnection> worker) {
  worker->serve(
      clients_,
      [weak = weak_from_this(), raw = worker.get()](const std::string& cause) {
        if (auto self = weak.lock()) self->ended(raw, cause);
      },
      policy_.ping_interval);
  std::lock_guard lock(mutex_);
  if (stopping_) return;  // the worker goes with the last reference, killed
  current_ = std::move(worker);
  started_at_ = std::chrono::steady_clock::now();
}

void WorkerPlugin::start_run(const std::string& job, JobContext& ctx,
                             std::function<void(std::exception_ptr thrown)> finished) {
  std::shared_ptr<WorkerConnection> worker;
  std::string down;
  {
    std::lock_guard lock(mutex_);
    if (current_) {
      worker = current_;
    } else {
      down = down_text_locked();
    }
  }
  if (!worker) {
    std::exception_ptr thrown = std::make_exception_ptr(std::runtime_error(down));
    return finished(std::move(thrown));
  }
  worker->start_run(job, ctx, std::move(finished));
}

void WorkerPlugin::ended(const WorkerConnection* worker, const std::string& cause) {
  std::lock_guard lock(mutex_);
  if (stopping_ || current_.get() != worker) return;
  // Destroyed by the restart, off this reader thread (or with the plugin).
  dead_ = std::move(current_);
  record_death_locked(cause);
}

void WorkerPlugin::record_death_locked(const std::string& cause) {
  const auto now = std::chrono::steady_clock::now();
  ++deaths_;
  last_cause_ = cause;
  recent_deaths_.push_back(now);
  while (recent_deaths_.front() < now - policy_.quarantine_window) recent_deaths_.pop_front();
  if (now - started_at_ >= policy_.healthy_after) backoff_ = policy_.first_backoff;
  if (recent_deaths_.size() >= policy_.quarantine_deaths) {
    quarantined_ = true;
    log_->error(
        "{}: plugin {} is quarantined after {} deaths of its worker within {} (the last: {}); it runs "
        "again when its file changes or on SIGHUP",
        file_.string(), info_.name, recent_deaths_.size(), format_duration(policy_.quarantine_window), cause);
    return;
  }
  restart_at_ = now + backoff_;
  log_->warn("{}: {}; restarting it in {}", file_.string(), cause, format_duration(backoff_));
  backoff_ = std::min(backoff_ * 2, policy_.max_backoff);
  supervisor_.at(restart_at_, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->restart();
  });
}

void WorkerPlugin::restart() {
  std::shared_ptr<WorkerConnection> dead;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || current_ || quarantined_) return;
    dead = std::move(dead_);
  }
  dead.reset();  // or the reader drops the last reference, when it is done
  try {
    WorkerConnection::Handshake handshake;
    auto worker = start(
        [this](const PluginInfo& info) -> WorkerConnection::Acceptance {
          if (info.name != info_.name) {
            throw loader::PluginLoadError("its plugin is now named \"" + info.name + "\", not \"" + info_.name + "\"");
          }
          return {plugin_logger_, settings_};
        },
        handshake);
    if (names_of(handshake.jobs) != names_of(jobs_)) throw loader::PluginLoadError("its jobs are not the same");
    const pid_t pid = worker->pid();
    serve(std::move(worker));
    log_->info("{}: worker of {} restarted (pid {})", file_.string(), info_.name, pid);
  } catch (const std::exception& e) {
    // Killed because the daemon is stopping: not a death of the plugin's.
    const bool daemon_stopping = stop_loading_ && stop_loading_();
    std::lock_guard lock(mutex_);
    if (!stopping_ && !daemon_stopping) record_death_locked("worker of " + info_.name + " failed to restart: " + e.what());
  }
}

std::string WorkerPlugin::down_text_locked() const {
  if (quarantined_) return "plugin " + info_.name + " is quarantined (" + last_cause_ + ")";
  return last_cause_ + "; restarting it in " + in_seconds(restart_at_ - std::chrono::steady_clock::now());
}

std::string WorkerPlugin::state() const {
  std::lock_guard lock(mutex_);
  if (current_) return "running (pid " + std::to_string(current_->pid()) + ")";
  if (quarantined_) return "quarantined: " + last_cause_;
  return "restarting in " + in_seconds(restart_at_ - std::chrono::steady_clock::now()) + ": " + last_cause_;
}

std::uint64_t WorkerPlugin::deaths() const {
  std::lock_guard lock(mutex_);
  return deaths_;
}

void WorkerPlugin::kill_runs(const std::string& why) {
  std::lock_guard lock(mutex_);
  if (current_) current_->kill(why);
}

void WorkerPlugin::release_quarantine() {
  std::lock_guard lock(mutex_);
  if (!quarantined_ || stopping_) return;
  quarantined_ = false;
  recent_deaths_.clear();
  backoff_ = policy_.first_backoff;
  log_->info("{}: plugin {} leaves quarantine; its worker starts again", file_.string(), info_.name);
  supervisor_.at(std::chrono::steady_clock::now(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->restart();
  });
}

}  // namespace jobhost::isolation
