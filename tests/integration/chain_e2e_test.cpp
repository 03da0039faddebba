// End to end against a real chain node: ganache on 127.0.0.1, real
// transactions, the real `jobhost run` process with the bundled tx_watch and
// chain_height plugins. Then the node goes away and comes back.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "support/eventually.hpp"
#include "support/ganache.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

std::vector<nlohmann::json> json_lines(const std::filesystem::path& file) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(read_file(file));
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// A chain node takes its time: wait up to a minute.
template <class Condition>
bool eventually(Condition condition) {
  return testing::eventually(condition, 60s, 100ms);
}

void drop_into_inbox(const std::filesystem::path& inbox, const std::string& name,
                     const std::vector<std::string>& hashes) {
  std::filesystem::create_directories(inbox);
  // Written under a .tmp name and renamed, as docs/plugins.md asks of producers.
  std::ofstream(inbox / (name + ".tmp")) << [&] {
    std::string text;
    for (const auto& hash : hashes) text += hash + "\n";
    return text;
  }();
  std::filesystem::rename(inbox / (name + ".tmp"), inbox / name);
}

TEST(ChainEndToEnd, ConfirmsRealTransactionsAndRidesOutANodeOutage) {
  TempDir dir;
  testing::Ganache node(dir / "ganache");
  const auto state = dir / "state";
  const auto inbox = state / "plugins" / "tx_watch" / "inbox";
  const auto confirmed = state / "plugins" / "tx_watch" / "confirmed.jsonl";
  const auto log = dir / "jobhost.log";

  std::vector<std::string> first;
  for (int i = 0; i < 5; ++i) first.push_back(node.send_transaction(static_cast<unsigned>(i + 1)));
  drop_into_inbox(inbox, "first.txt", first);

  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", state.string(), "--chain",
                            "main=" + node.url(), "--set", "chain.main.timeout=2s", "--schedule",
                            "tx_watch.confirm=* * * * * *", "--schedule", "chain_height.watch=* * * * * *", "--set",
                            "chain_height.stall-after=1h", "--disable", "hello.greet", "--log-file", log.string()},
                           dir / "out", dir / "err");

  // Every transaction is reported once, with the block the node mined it in.
  ASSERT_TRUE(eventually([&] { return json_lines(confirmed).size() >= first.size(); })) << read_file(log);
  for (const auto& line : json_lines(confirmed)) {
    const std::string tx = line.at("tx");
    EXPECT_TRUE(std::count(first.begin(), first.end(), tx)) << line;
    const auto receipt = node.call("eth_getTransactionReceipt", {tx});
    EXPECT_EQ(line.at("block").get<unsigned long long>(),
              std::stoull(receipt.at("blockNumber").get<std::string>(), nullptr, 16))
        << line;
    EXPECT_EQ(line.at("status"), "success") << line;
    EXPECT_EQ(line.at("chain"), "main") << line;
    EXPECT_GE(line.at("confirmations").get<int>(), 1) << line;
  }

  // The node goes away with two more transactions still to be watched.
  const std::vector<std::string> second = {node.send_transaction(100), node.send_transaction(101)};
  node.stop();
  drop_into_inbox(inbox, "second.txt", second);
  ASSERT_TRUE(eventually([&] { return read_file(log).find("chain main is unreachable") != std::string::npos; }))
      << read_file(log);
  ASSERT_TRUE(eventually([&] {
    const std::string pending = read_file(state / "plugins" / "tx_watch" / "pending");
    return pending.find(second[0]) != std::string::npos && pending.find(second[1]) != std::string::npos;
  })) << "tx_watch keeps its pending set\n"
      << read_file(log);
  EXPECT_TRUE(eventually([&] { return read_file(log).find("cannot check transactions on chain main") != std::string::npos ||
                                      read_file(log).find("chain main is unavailable") != std::string::npos; }))
      << read_file(log);
  EXPECT_EQ(daemon.wait_for_exit(0ms), -1) << "the host keeps running";

  // The node comes back with the same chain: both plugins recover.
  node.start();
  ASSERT_TRUE(eventually([&] { return json_lines(confirmed).size() >= first.size() + second.size(); }))
      << read_file(log);
  EXPECT_TRUE(eventually([&] { return read_file(log).find("chain main recovered") != std::string::npos; }))
      << read_file(log);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(20s), 0) << read_file(log);

  std::multiset<std::string> reported;
  for (const auto& line : json_lines(confirmed)) reported.insert(line.at("tx").get<std::string>());
  EXPECT_EQ(reported.size(), first.size() + second.size());
  for (const auto& hash : second) EXPECT_EQ(reported.count(hash), 1u) << hash;
  for (const auto& hash : first) EXPECT_EQ(reported.count(hash), 1u) << hash;
}

}  // namespace
}  // namespace jobhost
