// ClientProvider::chain(name) once the client exists, from 1 and 2 threads,
// against the usual fix for the incident: one global std::mutex around an
// unordered_map<string, shared_ptr<Client>> (lock, find, copy the shared_ptr).
// Target: at least 5x the baseline's throughput at 2 threads.
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "clients/chain_client_provider.hpp"

namespace {

class NullClient final : public jobhost::ChainClient {
 public:
  std::uint64_t chain_id() override { return 1; }
  std::uint64_t block_number() override { return 1; }
  std::vector<jobhost::TxInfo> tx_infos(const std::vector<std::string>&) override { return {}; }
  std::string call(const std::string&, const std::string&) override { return "null"; }
};

const std::vector<std::string> kNames = {"mainnet", "sepolia", "polygon", "arbitrum"};

jobhost::clients::ChainClientProvider& provider() {
  static jobhost::clients::ChainClientProvider instance = [] {
    auto quiet = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    std::vector<jobhost::clients::ChainSlotConfig> chains;
    for (const auto& name : kNames) chains.push_back({jobhost::chain::ChainOptions{name, "http://127.0.0.1:1"}, quiet});
    return jobhost::clients::ChainClientProvider(
        std::move(chains), [](const auto&, auto) { return std::make_unique<NullClient>(); }, quiet);
  }();
  return instance;
}

// The baseline: what a lock around lazy creation usually turns into.
class MutexRegistry {
 public:
  std::shared_ptr<jobhost::ChainClient> chain(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& client = clients_[name];
    if (!client) client = std::make_shared<NullClient>();
    return client;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<jobhost::ChainClient>> clients_;
};

MutexRegistry& registry() {
  static MutexRegistry instance;
  return instance;
}

void BM_BaselineMutexMap(benchmark::State& state) {
  std::size_t i = static_cast<std::size_t>(state.thread_index());
  for (auto _ : state) {
    auto client = registry().chain(kNames[i++ % kNames.size()]);
    benchmark::DoNotOptimize(client.get());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ChainClientProvider(benchmark::State& state) {
  for (const auto& name : kNames) provider().chain(name);  // created before timing
  std::size_t i = static_cast<std::size_t>(state.thread_index());
  for (auto _ : state) {
    auto& client = provider().chain(kNames[i++ % kNames.size()]);
    benchmark::DoNotOptimize(&client);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_BaselineMutexMap)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_ChainClientProvider)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
