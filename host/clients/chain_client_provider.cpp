#include "clients/chain_client_provider.hpp"

#include <algorithm>

#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"

namespace jobhost::clients {

struct ChainClientProvider::Slot {
  ChainSlotConfig config;
  // Set once, when the client exists; read without the mutex.
  std::atomic<ChainClient*> ready{nullptr};

  std::mutex mutex;
  std::condition_variable settled;  // an initialisation finished, either way
  bool creating = false;
  std::unique_ptr<ChainClient> client;
  std::chrono::steady_clock::time_point retry_at{};
  std::string last_error;
  ChainStats stats;
  std::minstd_rand jitter_source;
};

ChainClientProvider::ChainClientProvider(std::vector<ChainSlotConfig> chains, ClientFactory factory,
                                         std::shared_ptr<spdlog::logger> log, BackoffPolicy backoff)
    : factory_(std::move(factory)), log_(std::move(log)), backoff_(backoff) {
  std::random_device seed;
  for (auto& chain : chains) {
    const std::string name = chain.options.name;
    names_ += (names_.empty() ? "" : ", ") + name;
    auto slot = std::make_unique<Slot>();
    slot->config = std::move(chain);
    slot->jitter_source.seed(seed());
    slots_.emplace(name, std::move(slot));
  }
}

ChainClientProvider::~ChainClientProvider() = default;

ChainClient& ChainClientProvider::chain(std::string_view name) {
  auto it = slots_.find(name);
  if (it == slots_.end()) {
    throw UnknownClientError("chain \"" + std::string(name) + "\" is not configured (configured chains: " +
                             (names_.empty() ? "none" : names_) + ")");
  }
  if (ChainClient* client = it->second->ready.load(std::memory_order_acquire)) return *client;
  return create(*it->second);
}

ChainClient& ChainClientProvider::create(Slot& slot) {
  const std::string& name = slot.config.options.name;
  std::unique_lock lock(slot.mutex);
  slot.settled.wait(lock, [&] { return !slot.creating; });  // somebody else is creating it: wait for them
  if (slot.client) return *slot.client;
  const auto now = std::chrono::steady_clock::now();
  if (now < slot.retry_at) {
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(slot.retry_at - now);
    throw ClientUnavailableError("chain \"" + name + "\" is unavailable: " + slot.last_error + " (retry in " +
                                     format_duration(wait) + ")",
                                 wait);
  }

  slot.creating = true;
  lock.unlock();
  std::unique_ptr<ChainClient> client;
  std::string error;
  try {
    client = factory_(slot.config.options, slot.config.sdk_log);
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown error";
  }
  lock.lock();
  slot.creating = false;

  if (client) {
    slot.client = std::move(client);
    ++slot.stats.created;
    slot.ready.store(slot.client.get(), std::memory_order_release);
    slot.settled.notify_all();
    log_->info("chain \"{}\": client created", name);
    return *slot.client;
  }
  ++slot.stats.failed;
  const auto wait = next_backoff(slot);
  slot.retry_at = std::chrono::steady_clock::now() + wait;
  slot.last_error = error.empty() ? "the client could not be created" : error;
  slot.settled.notify_all();
  log_->error("chain \"{}\": client could not be created (attempt {}): {}; next attempt in {}", name,
              slot.stats.failed, slot.last_error, format_duration(wait));
  throw ClientUnavailableError("chain \"" + name + "\" is unavailable: " + slot.last_error + " (retry in " +
                                   format_duration(wait) + ")",
                               wait);
}

// 1 s, 2 s, 4 s ... up to the maximum, each scaled by a random jitter factor so
// that many hosts do not retry a recovering node in lockstep.
std::chrono::milliseconds ChainClientProvider::next_backoff(Slot& slot) {
  const auto doublings = std::min<std::uint64_t>(slot.stats.failed - 1, 20);
  const auto base = std::min(backoff_.max, backoff_.first * (std::int64_t{1} << doublings));
  std::uniform_real_distribution<double> factor(1.0 - backoff_.jitter, 1.0 + backoff_.jitter);
  const auto jittered = std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(base.count()) * factor(slot.jitter_source)));
  return std::max(std::chrono::milliseconds(1), jittered);
}

std::vector<std::string> ChainClientProvider::create_all() {
  std::vector<std::string> errors;
  for (const auto& [name, slot] : slots_) {
    try {
      chain(name);
    } catch (const ClientError& e) {
      errors.push_back(e.what());
    }
  }
  std::sort(errors.begin(), errors.end());
  return errors;
}

std::map<std::string, ChainStats> ChainClientProvider::stats() const {
  std::map<std::string, ChainStats> result;
  for (const auto& [name, slot] : slots_) {
    std::lock_guard lock(slot->mutex);
    result[name] = slot->stats;
  }
  return result;
}

}  // namespace jobhost::clients
