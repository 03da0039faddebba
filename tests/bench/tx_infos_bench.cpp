// EthChainClient::tx_infos for 1,000 real transactions on a local ganache:
// batched (the default batch-size, 100 calls per HTTP request) against the
// baseline of one HTTP request per hash (batch-size 1), in the same run.
// Target: batched at least 10x faster.
//
// Measured twice: straight to ganache on loopback, where the round trip costs
// nearly nothing and ganache's own work per receipt dominates both; and
// through a relay that delays each request by 2 ms, the round trip to a node
// on another machine nearby, which is what batching saves.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "chain/curl_global.hpp"
#include "chain/eth_chain_client.hpp"
#include "support/ganache.hpp"
#include "support/temp_dir.hpp"

namespace {

constexpr int kTransactions = 1000;

constexpr auto kRoundTrip = std::chrono::milliseconds(2);

// A TCP relay on 127.0.0.1 that holds every chunk a client sends for
// kRoundTrip before passing it to the node: the node seems one network round
// trip away. Bytes are relayed untouched, so HTTP keep-alive works as usual.
class DelayingRelay {
 public:
  explicit DelayingRelay(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 16);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] {
      for (int client; (client = accept(listener_, nullptr, nullptr)) >= 0;) {
        const int node = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in target = loopback(upstream_port_);
        connect(node, reinterpret_cast<sockaddr*>(&target), sizeof target);
        for (int fd : {client, node}) {
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        std::thread(pump, client, node, kRoundTrip).detach();
        std::thread(pump, node, client, std::chrono::milliseconds(0)).detach();
      }
    });
  }
  ~DelayingRelay() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    acceptor_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  static sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    return address;
  }
  // Copies `from` to `to` until either side closes, sleeping `delay` before
  // passing on each chunk.
  static void pump(int from, int to, std::chrono::milliseconds delay) {
    char buffer[65536];
    for (ssize_t n; (n = read(from, buffer, sizeof buffer)) > 0;) {
      std::this_thread::sleep_for(delay);
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t w = write(to, buffer + sent, static_cast<std::size_t>(n - sent));
        if (w <= 0) break;
        sent += w;
      }
    }
    shutdown(to, SHUT_WR);
  }

  int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  std::thread acceptor_;
};

struct Chain {
  jobhost::chain::CurlGlobal curl;
  jobhost::testing::TempDir dir;
  jobhost::testing::Ganache node{dir / "ganache"};
  DelayingRelay relay{node.port()};
  std::vector<std::string> hashes;

  Chain() {
    for (int i = 0; i < kTransactions; ++i) hashes.push_back(node.send_transaction(static_cast<unsigned>(i + 1)));
  }
};

Chain& chain() {
  static Chain instance;
  return instance;
}

void query_all(benchmark::State& state, std::size_t batch_size, bool far) {
  jobhost::chain::ChainOptions options;
  options.name = "bench";
  options.url = far ? chain().relay.url() : chain().node.url();
  options.batch_size = batch_size;
  options.timeout = std::chrono::seconds(60);
  jobhost::chain::EthChainClient client(
      options, std::make_shared<spdlog::logger>("sdk.bench", std::make_shared<spdlog::sinks::null_sink_mt>()));
  for (auto _ : state) {
    const auto infos = client.tx_infos(chain().hashes);
    if (infos.size() != chain().hashes.size() || infos.back().status != jobhost::TxStatus::success) {
      state.SkipWithError("ganache did not confirm every transaction");
    }
  }
  state.SetItemsProcessed(state.iterations() * kTransactions);
}

void BM_BaselineOneRequestPerHash_Loopback(benchmark::State& state) { query_all(state, 1, false); }
void BM_Batched_Loopback(benchmark::State& state) { query_all(state, 100, false); }
void BM_BaselineOneRequestPerHash_RoundTrip2ms(benchmark::State& state) { query_all(state, 1, true); }
void BM_Batched_RoundTrip2ms(benchmark::State& state) { query_all(state, 100, true); }

BENCHMARK(BM_BaselineOneRequestPerHash_Loopback)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Batched_Loopback)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BaselineOneRequestPerHash_RoundTrip2ms)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Batched_RoundTrip2ms)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
