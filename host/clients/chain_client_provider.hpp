// ChainClientProvider: the host's ClientProvider (see
// sdk_api/include/jobhost/client_provider.hpp for the contract plugins see).
//
// The set of chains is fixed at construction (from the configuration), so the
// name lookup is a read of an immutable map. Each chain has a slot whose
// client is created the first time any job asks for it — exactly once, however
// many ask at the same instant: one caller creates it while the others wait
// for that result. Once a client exists, chain() is one atomic load: no lock,
// no reference count. A failed creation is retried only after a backoff (1 s
// doubling to 60 s, with jitter); callers in between get ClientUnavailableError
// at once, saying when to retry. Each chain's slot is independent: one failing
// node never slows another.
//
// Thread-safety: chain(), create_all() and stats() may be called from any
// thread. Lifetime: clients live until the provider is destroyed, which the
// host does only after every job run has returned.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>

#include "jobhost/client_provider.hpp"
#include "chain/chain_options.hpp"

namespace jobhost::clients {

// Creates one client; throws whatever the SDK throws when it cannot.
using ClientFactory =
    std::function<std::unique_ptr<ChainClient>(const chain::ChainOptions&, std::shared_ptr<spdlog::logger> sdk_log)>;

struct BackoffPolicy {
  std::chrono::milliseconds first{1000};
  std::chrono::milliseconds max{60000};
  double jitter = 0.2;  // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
};

// One chain as the provider is given it: its options and the SDK logger its
// client will use (made by the host at start-up, before any job thread).
struct ChainSlotConfig {
  chain::ChainOptions options;
  std::shared_ptr<spdlog::logger> sdk_log;
};

struct ChainStats {
  std::uint64_t created = 0;  // successful initialisations (0 or 1)
  std::uint64_t failed = 0;   // failed initialisations
};

class ChainClientProvider final : public ClientProvider {
 public:
  ChainClientProvider(std::vector<ChainSlotConfig> chains, ClientFactory factory,
                      std::shared_ptr<spdlog::logger> log, BackoffPolicy backoff = {});
  ~ChainClientProvider() override;

  ChainClient& chain(std::string_view name) override;

  // Creates every client that does not exist yet (--clients-eager, check);
  // returns one line per chain that could not be created.
  std::vector<std::string> create_all();

  std::map<std::string, ChainStats> stats() const;

 private:
  struct Slot;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };

  ChainClient& create(Slot& slot);
  std::chrono::milliseconds next_backoff(Slot& slot);

  std::unordered_map<std::string, std::unique_ptr<Slot>, NameHash, std::equal_to<>> slots_;
  std::string names_;  // "a, b" for messages
  ClientFactory factory_;
  std::shared_ptr<spdlog::logger> log_;
  BackoffPolicy backoff_;
};

}  // namespace jobhost::clients
