// EthChainClient::tx_infos for 1,000 real transactions on a local ganache:
// batched (the default batch-size, 100 calls per HTTP request) against the
// baseline of one HTTP request per hash (batch-size 1), in the same run.
// Target: batched at least 10x faster.
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>

#include "sdk/curl_global.hpp"
#include "sdk/eth_chain_client.hpp"
#include "support/ganache.hpp"
#include "support/temp_dir.hpp"

namespace {

constexpr int kTransactions = 1000;

struct Chain {
  jobhost::sdk::CurlGlobal curl;
  jobhost::testing::TempDir dir;
  jobhost::testing::Ganache node{dir / "ganache"};
  std::vector<std::string> hashes;

  Chain() {
    for (int i = 0; i < kTransactions; ++i) hashes.push_back(node.send_transaction(static_cast<unsigned>(i + 1)));
  }
};

Chain& chain() {
  static Chain instance;
  return instance;
}

void query_all(benchmark::State& state, std::size_t batch_size) {
  jobhost::sdk::ChainOptions options{"bench", chain().node.url()};
  options.batch_size = batch_size;
  options.timeout = std::chrono::seconds(60);
  jobhost::sdk::EthChainClient client(
      options, std::make_shared<spdlog::logger>("sdk.bench", std::make_shared<spdlog::sinks::null_sink_mt>()));
  for (auto _ : state) {
    const auto infos = client.tx_infos(chain().hashes);
    if (infos.size() != chain().hashes.size() || infos.back().status != jobhost::TxStatus::success) {
      state.SkipWithError("ganache did not confirm every transaction");
    }
  }
  state.SetItemsProcessed(state.iterations() * kTransactions);
}

void BM_BaselineOneRequestPerHash(benchmark::State& state) { query_all(state, 1); }
void BM_Batched(benchmark::State& state) { query_all(state, 100); }

BENCHMARK(BM_BaselineOneRequestPerHash)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Batched)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
