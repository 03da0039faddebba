#include "clients/chain_client_provider.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <latch>
#include <thread>

#include "jobhost/error.hpp"

namespace jobhost::clients {
namespace {

using namespace std::chrono_literals;

class FakeClient final : public ChainClient {
 public:
  explicit FakeClient(std::string name) : name(std::move(name)) {}
  std::uint64_t chain_id() override { return 1337; }
  std::uint64_t block_number() override { return 1; }
  std::vector<TxInfo> tx_infos(const std::vector<std::string>&) override { return {}; }
  std::string call(const std::string&, const std::string&) override { return "null"; }
  const std::string name;
};

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

std::vector<ChainSlotConfig> chains(std::initializer_list<const char*> names) {
  std::vector<ChainSlotConfig> result;
  for (const char* name : names) result.push_back({chain::ChainOptions{name, "http://127.0.0.1:1"}, quiet_logger()});
  return result;
}

// A factory that counts its calls, can be told to fail, and can be held
// inside the creation until released.
struct ScriptedFactory {
  std::atomic<int> calls{0};
  std::atomic<int> failures_left{0};
  std::atomic<bool> hold{false};
  std::atomic<bool> holding{false};

  ClientFactory factory() {
    return [this](const chain::ChainOptions& options, std::shared_ptr<spdlog::logger>) -> std::unique_ptr<ChainClient> {
      ++calls;
      if (options.name == "slow") {
        holding = true;
        while (hold) std::this_thread::sleep_for(1ms);
      }
      if (failures_left > 0) {
        --failures_left;
        throw TransportError("connection refused");
      }
      std::this_thread::sleep_for(20ms);  // a real creation takes a round trip: let callers pile up
      return std::make_unique<FakeClient>(options.name);
    };
  }
};

TEST(ChainClientProvider, CreatesEachClientExactlyOnceUnderAStampede) {
  ScriptedFactory script;
  ChainClientProvider provider(chains({"x", "y"}), script.factory(), quiet_logger());
  constexpr int kThreads = 200;
  std::latch start(kThreads);
  std::vector<ChainClient*> seen(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      seen[i] = &provider.chain(i % 2 ? "x" : "y");
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(script.calls, 2) << "one creation per chain";
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(seen[i], seen[i % 2]) << "every caller gets the same instance";
  EXPECT_NE(seen[0], seen[1]);
  EXPECT_EQ(static_cast<FakeClient*>(seen[1])->name, "x");
  const auto stats = provider.stats();
  EXPECT_EQ(stats.at("x").created, 1u);
  EXPECT_EQ(stats.at("y").failed, 0u);
}

TEST(ChainClientProvider, AnUnknownNameListsTheConfiguredOnes) {
  ScriptedFactory script;
  ChainClientProvider provider(chains({"main", "test"}), script.factory(), quiet_logger());
  try {
    provider.chain("mian");
    FAIL();
  } catch (const UnknownClientError& e) {
    EXPECT_STREQ(e.what(), "chain \"mian\" is not configured (configured chains: main, test)");
  }
  ChainClientProvider none({}, script.factory(), quiet_logger());
  EXPECT_THROW(none.chain("main"), UnknownClientError);
  EXPECT_EQ(script.calls, 0);
}

TEST(ChainClientProvider, AFailureIsRetriedOnlyAfterTheBackoff) {
  ScriptedFactory script;
  script.failures_left = 1;
  ChainClientProvider provider(chains({"x"}), script.factory(), quiet_logger(), BackoffPolicy{200ms, 1s, 0.0});
  try {
    provider.chain("x");
    FAIL();
  } catch (const ClientUnavailableError& e) {
    EXPECT_EQ(e.retry_after(), 200ms);
    EXPECT_NE(std::string(e.what()).find("connection refused"), std::string::npos) << e.what();
  }
  // Within the backoff: refused at once, without another attempt.
  EXPECT_THROW(provider.chain("x"), ClientUnavailableError);
  EXPECT_EQ(script.calls, 1);
  std::this_thread::sleep_for(250ms);
  EXPECT_NO_THROW(provider.chain("x"));
  EXPECT_EQ(script.calls, 2);
  EXPECT_EQ(provider.stats().at("x").failed, 1u);
  EXPECT_EQ(provider.stats().at("x").created, 1u);
}

TEST(ChainClientProvider, BackoffDoublesUpToItsMaximumWithJitter) {
  ScriptedFactory script;
  script.failures_left = 100;
  ChainClientProvider exact(chains({"x"}), script.factory(), quiet_logger(), BackoffPolicy{1ms, 4ms, 0.0});
  std::vector<std::chrono::milliseconds> waits;
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(5ms);
    try {
      exact.chain("x");
    } catch (const ClientUnavailableError& e) {
      waits.push_back(e.retry_after());
    }
  }
  EXPECT_EQ(waits, (std::vector<std::chrono::milliseconds>{1ms, 2ms, 4ms, 4ms, 4ms}));

  ChainClientProvider jittered(chains({"x"}), script.factory(), quiet_logger(), BackoffPolicy{1000ms, 60s, 0.2});
  try {
    jittered.chain("x");
  } catch (const ClientUnavailableError& e) {
    EXPECT_GE(e.retry_after(), 800ms);
    EXPECT_LE(e.retry_after(), 1200ms);
  }
}

TEST(ChainClientProvider, OneSlowChainNeverHoldsUpAnother) {
  ScriptedFactory script;
  script.hold = true;
  ChainClientProvider provider(chains({"slow", "fast"}), script.factory(), quiet_logger());
  std::thread slow_caller([&] { provider.chain("slow"); });
  while (!script.holding) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(static_cast<FakeClient&>(provider.chain("fast")).name, "fast");
  script.hold = false;
  slow_caller.join();
}

TEST(ChainClientProvider, CreateAllReportsEveryChainThatFailed) {
  ScriptedFactory script;
  script.failures_left = 1;
  ChainClientProvider provider(chains({"a"}), script.factory(), quiet_logger());
  const auto errors = provider.create_all();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("chain \"a\" is unavailable: connection refused"), std::string::npos) << errors[0];
}

}  // namespace
}  // namespace jobhost::clients
