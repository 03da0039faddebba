#include "chain/eth_chain_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "jobhost/error.hpp"
#include "chain/curl_global.hpp"
#include "support/fake_node.hpp"

namespace jobhost::chain {
namespace {

using namespace std::chrono_literals;
using testing::fake::error;
using testing::fake::FakeNode;
using testing::fake::json;
using testing::fake::Recorded;
using testing::fake::Reply;
using testing::fake::result;
using testing::fake::rpc;
using ::testing::HasSubstr;
using ::testing::Not;

// libcurl's global state for the whole test program; proxies from the
// environment are dropped so that nothing leaves 127.0.0.1.
class CurlEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
      unsetenv(name);
    }
    std::signal(SIGPIPE, SIG_IGN);
    curl_ = std::make_unique<CurlGlobal>();
  }
  void TearDown() override { curl_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> curl_;
};
[[maybe_unused]] ::testing::Environment* const curl_environment =
    ::testing::AddGlobalTestEnvironment(new CurlEnvironment);

// "0x" and 64 hex digits made from `n`.
std::string hash(unsigned n, char filler = '0') {
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016x", n);
  return "0x" + std::string(48, filler) + digits;
}

json receipt(const std::string& tx_hash, const char* status, const char* block, const char* gas) {
  return {{"transactionHash", tx_hash}, {"status", status},      {"blockNumber", block},
          {"blockHash", hash(0xb10c, 'b')}, {"gasUsed", gas}, {"logs", json::array()}};
}

// What the simulated chain knows. Set up before the node answers; read-only
// while it does.
struct Ledger {
  std::string chain_id = "0x1";
  std::string block_number = "0x10";
  std::map<std::string, json> receipts;  // by hash
  std::set<std::string> pending;

  json respond(const json& call) const {
    const auto& method = call.at("method").get_ref<const std::string&>();
    const auto& params = call.at("params");
    if (method == "eth_chainId") return result(call, chain_id);
    if (method == "eth_blockNumber") return result(call, block_number);
    if (method == "eth_getTransactionReceipt") {
      const auto found = receipts.find(params.at(0).get<std::string>());
      return result(call, found == receipts.end() ? json(nullptr) : found->second);
    }
    if (method == "eth_getTransactionByHash") {
      const auto tx_hash = params.at(0).get<std::string>();
      if (pending.count(tx_hash) == 0) return result(call, nullptr);
      return result(call, {{"hash", tx_hash}, {"blockNumber", nullptr}, {"nonce", "0x1"}});
    }
    if (method == "test_echo") return result(call, params);
    return error(call, -32601, "the method " + method + " does not exist/is not available");
  }
};

// The exception of type E that f() throws, or nothing (a test failure) when
// it throws none. Other exception types escape and fail the test.
template <typename E, typename F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  ADD_FAILURE() << "expected an exception";
  return std::nullopt;
}

std::string message_of_transport_error(const std::function<void()>& f) {
  const auto e = thrown<TransportError>(f);
  return e ? e->what() : "";
}

// A port on 127.0.0.1 with nothing listening on it.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class EthChainClientTest : public ::testing::Test {
 protected:
  EthChainClientTest() {
    sink_->set_pattern("[%l] %v");
    log_->set_level(spdlog::level::trace);
    node_.set_handler(rpc([this](const json& call) { return ledger_.respond(call); }));
  }

  ChainOptions options() const {
    ChainOptions options;
    options.name = "main";
    options.url = node_.url();
    options.timeout = 10s;
    options.retry_backoff = 1ms;
    return options;
  }

  std::unique_ptr<EthChainClient> connect(ChainOptions options) {
    return std::make_unique<EthChainClient>(std::move(options), log_);
  }
  std::unique_ptr<EthChainClient> connect() { return connect(options()); }

  // A client, and the node's memory of the construction wiped.
  std::unique_ptr<EthChainClient> connected(ChainOptions options) {
    auto client = connect(std::move(options));
    node_.forget_requests();
    return client;
  }
  std::unique_ptr<EthChainClient> connected() { return connected(options()); }

  // Answers everything but eth_chainId with `reply`.
  void answer_with(Reply reply) {
    node_.set_handler([this, reply](const Recorded& request, std::size_t index) -> Reply {
      const json body = json::parse(request.body, nullptr, false);
      if (body.is_object() && body.value("method", "") == "eth_chainId") {
        return rpc([this](const json& call) { return ledger_.respond(call); })(request, index);
      }
      return reply;
    });
  }

  // Answers each call with respond(call), and the ledger's answer otherwise.
  void answer_calls_with(std::function<json(const json& call)> respond) {
    node_.set_handler(rpc([this, respond](const json& call) {
      json reply = respond(call);
      return reply.is_null() ? ledger_.respond(call) : reply;
    }));
  }

  std::string logs() {
    log_->flush();
    return log_stream_.str();
  }

  FakeNode node_;
  Ledger ledger_;
  std::ostringstream log_stream_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_stream_);
  std::shared_ptr<spdlog::logger> log_ = std::make_shared<spdlog::logger>("sdk.main", sink_);
};

// ---------------------------------------------------------------- construction

TEST_F(EthChainClientTest, ReadsTheChainIdOnceAtConstruction) {
  ledger_.chain_id = "0x89";
  auto client = connect();
  EXPECT_EQ(client->chain_id(), 137U);
  EXPECT_EQ(client->chain_id(), 137U);
  const auto requests = node_.requests();
  ASSERT_EQ(requests.size(), 1U);
  const json call = requests[0].parsed();
  EXPECT_EQ(call.at("jsonrpc"), "2.0");
  EXPECT_EQ(call.at("method"), "eth_chainId");
  EXPECT_EQ(call.at("params"), json::array());
  EXPECT_TRUE(call.at("id").is_number_unsigned());
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
}

TEST_F(EthChainClientTest, ConstructionFailsWhenNothingListens) {
  auto options = this->options();
  const int port = closed_port();
  options.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  options.transport_retries = 1;
  const auto message = message_of_transport_error([&] { connect(options); });
  EXPECT_THAT(message, HasSubstr("chain main: eth_chainId"));
  EXPECT_THAT(message, HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(message, HasSubstr("gave up after 2 attempts"));
}

TEST_F(EthChainClientTest, ConstructionFailsOnHttp500) {
  node_.set_handler([](const Recorded&, std::size_t) { return Reply{500, "internal trouble"}; });
  const auto message = message_of_transport_error([&] { connect(); });
  EXPECT_THAT(message, HasSubstr("chain main: eth_chainId: HTTP 500"));
  EXPECT_THAT(message, HasSubstr("internal trouble"));
  EXPECT_EQ(node_.request_count(), 3U);  // two retries by default
}

TEST_F(EthChainClientTest, ConstructionFailsOnRpcErrorWithoutRetrying) {
  answer_calls_with([](const json& call) { return error(call, -32601, "method not found"); });
  const auto e = thrown<RpcError>([&] { connect(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code(), -32601);
  EXPECT_STREQ(e->what(), "chain main: eth_chainId: node error -32601: method not found");
  EXPECT_EQ(node_.request_count(), 1U);
}

TEST_F(EthChainClientTest, ConstructionFailsOnABadChainId) {
  ledger_.chain_id = "0xnope";
  EXPECT_THAT(message_of_transport_error([&] { connect(); }), HasSubstr("chain main: eth_chainId: result: expected a hex quantity"));
}

TEST_F(EthChainClientTest, InvalidOptionsAreConfigErrorsNamingTheKey) {
  auto expect_config_error = [&](const ChainOptions& options, const std::string& key) {
    const auto e = thrown<ConfigError>([&] { connect(options); });
    ASSERT_TRUE(e) << key;
    EXPECT_THAT(e->what(), HasSubstr(key));
  };
  for (const char* url : {"", "ftp://node.example/", "node.example:8545", "http://", "http:///path", "https://no de/"}) {
    auto options = this->options();
    options.url = url;
    expect_config_error(options, "chain.main.url");
  }
  auto options = this->options();
  options.batch_size = 0;
  expect_config_error(options, "chain.main.batch-size");
  options = this->options();
  options.timeout = 0ms;
  expect_config_error(options, "chain.main.timeout");
  options = this->options();
  options.transport_retries = -1;
  expect_config_error(options, "chain.main.transport-retries");
  options = this->options();
  options.max_reply_bytes = 0;
  expect_config_error(options, "chain.main.max-reply-bytes");
  options = this->options();
  options.headers = {{"Bad Name", "v"}};
  expect_config_error(options, "chain.main.headers");
  options = this->options();
  options.headers = {{"X-Key", "secret-value\r\nInjected: yes"}};
  const auto e = thrown<ConfigError>([&] { connect(options); });
  ASSERT_TRUE(e);
  EXPECT_THAT(e->what(), Not(HasSubstr("secret-value")));
  EXPECT_EQ(node_.request_count(), 0U);
}

TEST_F(EthChainClientTest, UppercaseSchemeIsAccepted) {
  auto options = this->options();
  options.url = "HTTP://127.0.0.1:" + std::to_string(node_.port()) + "/";
  EXPECT_EQ(connect(options)->chain_id(), 1U);
}

TEST_F(EthChainClientTest, ConfigErrorNeverShowsTheUrlsCredentials) {
  auto options = this->options();
  options.url = "ftp://alice:hunter22@node.example/?key=k3y-value";
  const auto e = thrown<ConfigError>([&] { connect(options); });
  ASSERT_TRUE(e);
  EXPECT_THAT(e->what(), Not(HasSubstr("hunter22")));
  EXPECT_THAT(e->what(), Not(HasSubstr("k3y-value")));
  EXPECT_THAT(e->what(), HasSubstr("ftp://***@node.example/?key=***"));
}

// ---------------------------------------------------------------- block_number

TEST_F(EthChainClientTest, BlockNumber) {
  ledger_.block_number = "0x1b4";
  auto client = connected();
  EXPECT_EQ(client->block_number(), 436U);
  const auto requests = node_.requests();
  ASSERT_EQ(requests.size(), 1U);
  const json call = requests[0].parsed();
  EXPECT_EQ(call.at("method"), "eth_blockNumber");
  EXPECT_EQ(call.at("params"), json::array());
  EXPECT_EQ(call.at("jsonrpc"), "2.0");
  EXPECT_EQ(requests[0].path, "/");
}

TEST_F(EthChainClientTest, IdsAreUniquePerClient) {
  auto client = connect();
  for (int i = 0; i < 5; ++i) client->block_number();
  client->tx_infos({hash(1), hash(2), hash(3)});
  std::set<std::uint64_t> ids;
  std::size_t calls = 0;
  for (const auto& request : node_.requests()) {
    const json body = request.parsed();
    for (const auto& call : body.is_array() ? body : json::array({body})) {
      ids.insert(call.at("id").get<std::uint64_t>());
      ++calls;
    }
  }
  EXPECT_EQ(calls, 1U + 5U + 3U + 3U);
  EXPECT_EQ(ids.size(), calls);
}

TEST_F(EthChainClientTest, LargestQuantity) {
  ledger_.block_number = "0xffffffffffffffff";
  EXPECT_EQ(connect()->block_number(), std::numeric_limits<std::uint64_t>::max());
}

TEST_F(EthChainClientTest, BadQuantitiesAreTransportErrors) {
  auto client = connected();
  for (const json& bad : {json(""), json("0x"), json("1b4"), json("0xzz"), json("0x1b4g"), json("zz0x1"), json(" 0x1"),
                          json("0x10000000000000000"), json("0x" + std::string(40, 'f')), json(436), json(nullptr),
                          json::object()}) {
    answer_calls_with([&](const json& call) { return call.at("method") == "eth_blockNumber" ? result(call, bad) : json(); });
    const auto message = message_of_transport_error([&] { client->block_number(); });
    EXPECT_THAT(message, HasSubstr("chain main: eth_blockNumber: result: expected a hex quantity")) << bad.dump();
  }
  answer_calls_with([&](const json& call) {
    return call.at("method") == "eth_blockNumber" ? result(call, "0x10000000000000000") : json();
  });
  EXPECT_THAT(message_of_transport_error([&] { client->block_number(); }), HasSubstr("more than 64 bits"));
}

// ---------------------------------------------------------------- reply validation

TEST_F(EthChainClientTest, MalformedRepliesAreTransportErrors) {
  auto client = connected();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "not valid JSON"},
      {R"({"jsonrpc":"2.0","id":2,"result":"0x1)", "truncated"},
      {R"({"jsonrpc":"2.0","id":)", "truncated"},
      {"", "empty reply"},
      {"42", "reply is a number"},
      {R"("0x10")", "reply is a string"},
      {"null", "reply is null"},
      {"[]", "reply is an array"},
      {R"({"id":2,"result":"0x1"})", "no \"jsonrpc\""},
      {R"({"jsonrpc":"1.0","id":2,"result":"0x1"})", "expected \"2.0\""},
      {R"({"jsonrpc":"2.0","result":"0x1"})", "no \"id\""},
      {R"({"jsonrpc":"2.0","id":2})", "neither"},
      {R"({"jsonrpc":"2.0","id":2,"result":"0x1","error":{"code":1,"message":"x"}})", "both"},
      {R"({"jsonrpc":"2.0","id":2,"error":{"code":"-32000","message":"x"}})", "integer \"code\""},
      {R"({"jsonrpc":"2.0","id":2,"error":"boom"})", "not an object"},
      {R"({"jsonrpc":"2.0","id":999999,"result":"0x1"})", "reply has id 999999"},
      {R"({"jsonrpc":"2.0","id":"2","result":"0x1"})", "reply has id \"2\""},
  };
  for (const auto& [body, expected] : cases) {
    answer_with({200, body});
    const auto message = message_of_transport_error([&] { client->block_number(); });
    EXPECT_THAT(message, HasSubstr("chain main: eth_blockNumber: ")) << body;
    EXPECT_THAT(message, HasSubstr(expected)) << body;
  }
}

TEST_F(EthChainClientTest, QuotedExcerptsAreShort) {
  auto client = connected();
  answer_with({200, "<html>" + std::string(100000, 'x') + "</html>"});
  const auto message = message_of_transport_error([&] { client->block_number(); });
  EXPECT_THAT(message, HasSubstr("not valid JSON"));
  EXPECT_LT(message.size(), 300U);
}

TEST_F(EthChainClientTest, DeeplyNestedReplyIsRefused) {
  auto client = connected();
  answer_with({200, R"({"jsonrpc":"2.0","id":2,"result":)" + std::string(100000, '[') + std::string(100000, ']') + "}"});
  EXPECT_THAT(message_of_transport_error([&] { client->block_number(); }), HasSubstr("levels deep"));
}

TEST_F(EthChainClientTest, ErrorReplyWithNullIdIsAnRpcError) {
  auto client = connected();
  answer_with({200, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})"});
  const auto e = thrown<RpcError>([&] { client->block_number(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code(), -32700);
}

TEST_F(EthChainClientTest, ControlCharactersInNodeMessagesAreEscaped) {
  auto client = connected();
  answer_calls_with([](const json& call) { return error(call, -32000, "line one\nline two\x1b[31m"); });
  const auto e = thrown<RpcError>([&] { client->block_number(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(std::string(e->what()).find('\n'), std::string::npos);
  EXPECT_EQ(std::string(e->what()).find('\x1b'), std::string::npos);
  EXPECT_THAT(e->what(), HasSubstr("line one\\x0aline two"));
}

// ---------------------------------------------------------------- tx_infos

TEST_F(EthChainClientTest, TxInfosOfNothingSendsNothing) {
  auto client = connected();
  EXPECT_TRUE(client->tx_infos({}).empty());
  EXPECT_EQ(node_.request_count(), 0U);
}

TEST_F(EthChainClientTest, TxInfosMixInOrder) {
  const auto ok = hash(1), reverted = hash(2), waiting = hash(3), unknown = hash(4);
  ledger_.receipts[ok] = receipt(ok, "0x1", "0x64", "0x5208");
  ledger_.receipts[reverted] = receipt(reverted, "0x0", "0x65", "0x7530");
  ledger_.pending.insert(waiting);
  auto client = connected();

  const auto infos = client->tx_infos({unknown, ok, waiting, reverted});
  ASSERT_EQ(infos.size(), 4U);
  EXPECT_EQ(infos[0].hash, unknown);
  EXPECT_EQ(infos[0].status, TxStatus::not_found);
  EXPECT_FALSE(infos[0].block_number);
  EXPECT_FALSE(infos[0].block_hash);
  EXPECT_FALSE(infos[0].gas_used);

  EXPECT_EQ(infos[1].hash, ok);
  EXPECT_EQ(infos[1].status, TxStatus::success);
  EXPECT_EQ(infos[1].block_number, 100U);
  EXPECT_EQ(infos[1].block_hash, hash(0xb10c, 'b'));
  EXPECT_EQ(infos[1].gas_used, 21000U);

  EXPECT_EQ(infos[2].hash, waiting);
  EXPECT_EQ(infos[2].status, TxStatus::pending);
  EXPECT_FALSE(infos[2].block_number);

  EXPECT_EQ(infos[3].hash, reverted);
  EXPECT_EQ(infos[3].status, TxStatus::failed);
  EXPECT_EQ(infos[3].block_number, 101U);
  EXPECT_EQ(infos[3].gas_used, 30000U);

  // Two rounds: receipts for all four, transactions for the two unmined.
  const auto requests = node_.requests();
  ASSERT_EQ(requests.size(), 2U);
  const json receipts = requests[0].parsed();
  ASSERT_TRUE(receipts.is_array());
  ASSERT_EQ(receipts.size(), 4U);
  for (const auto& call : receipts) EXPECT_EQ(call.at("method"), "eth_getTransactionReceipt");
  EXPECT_EQ(receipts[0].at("params"), json::array({unknown}));
  const json transactions = requests[1].parsed();
  ASSERT_EQ(transactions.size(), 2U);
  for (const auto& call : transactions) EXPECT_EQ(call.at("method"), "eth_getTransactionByHash");
  EXPECT_EQ(transactions[0].at("params"), json::array({unknown}));
  EXPECT_EQ(transactions[1].at("params"), json::array({waiting}));
}

TEST_F(EthChainClientTest, AllMinedTakesOneRound) {
  ledger_.receipts[hash(1)] = receipt(hash(1), "0x1", "0x1", "0x1");
  ledger_.receipts[hash(2)] = receipt(hash(2), "0x1", "0x1", "0x1");
  auto client = connected();
  const auto infos = client->tx_infos({hash(1), hash(2)});
  EXPECT_EQ(infos.at(0).status, TxStatus::success);
  EXPECT_EQ(infos.at(1).status, TxStatus::success);
  EXPECT_EQ(node_.request_count(), 1U);
}

TEST_F(EthChainClientTest, DuplicatesAreAnsweredEachTime) {
  const auto mined = hash(7, 'a');
  ledger_.receipts[mined] = receipt(mined, "0x1", "0x2", "0x3");
  ledger_.pending.insert(hash(8));
  auto client = connected();
  std::string upper = mined;
  for (std::size_t i = 2; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  const auto infos = client->tx_infos({mined, hash(8), mined, upper, hash(8)});
  ASSERT_EQ(infos.size(), 5U);
  EXPECT_EQ(infos[0].status, TxStatus::success);
  EXPECT_EQ(infos[1].status, TxStatus::pending);
  EXPECT_EQ(infos[2].status, TxStatus::success);
  EXPECT_EQ(infos[3].status, TxStatus::success);
  EXPECT_EQ(infos[3].hash, upper);  // as the caller wrote it
  EXPECT_EQ(infos[4].status, TxStatus::pending);
  EXPECT_EQ(infos[4].hash, hash(8));
}

TEST_F(EthChainClientTest, ManyHashesAreChunkedByBatchSize) {
  std::vector<std::string> hashes;
  for (unsigned i = 0; i < 250; ++i) {
    hashes.push_back(hash(i));
    if (i % 2 == 0) ledger_.pending.insert(hashes.back());
  }
  auto options = this->options();
  options.batch_size = 100;
  auto client = connected(options);

  const auto infos = client->tx_infos(hashes);
  ASSERT_EQ(infos.size(), 250U);
  for (unsigned i = 0; i < 250; ++i) {
    EXPECT_EQ(infos[i].hash, hashes[i]);
    EXPECT_EQ(infos[i].status, i % 2 == 0 ? TxStatus::pending : TxStatus::not_found) << i;
  }
  const auto requests = node_.requests();
  ASSERT_EQ(requests.size(), 6U);
  const std::vector<std::size_t> sizes = {100, 100, 50, 100, 100, 50};
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const json body = requests[r].parsed();
    ASSERT_TRUE(body.is_array());
    EXPECT_EQ(body.size(), sizes[r]) << "request " << r;
    EXPECT_EQ(body.at(0).at("method"), r < 3 ? "eth_getTransactionReceipt" : "eth_getTransactionByHash");
  }
}

TEST_F(EthChainClientTest, BatchRepliesAreMatchedById) {
  const auto a = hash(1), b = hash(2), c = hash(3);
  ledger_.receipts[a] = receipt(a, "0x1", "0xa", "0x1");
  ledger_.receipts[b] = receipt(b, "0x0", "0xb", "0x2");
  ledger_.receipts[c] = receipt(c, "0x1", "0xc", "0x3");
  auto client = connected();
  node_.set_handler([this](const Recorded& request, std::size_t index) {
    auto reply = rpc([this](const json& call) { return ledger_.respond(call); })(request, index);
    json body = json::parse(reply.body);
    if (body.is_array()) std::reverse(body.begin(), body.end());
    reply.body = body.dump();
    return reply;
  });
  const auto infos = client->tx_infos({a, b, c});
  EXPECT_EQ(infos.at(0).block_number, 10U);
  EXPECT_EQ(infos.at(1).block_number, 11U);
  EXPECT_EQ(infos.at(1).status, TxStatus::failed);
  EXPECT_EQ(infos.at(2).block_number, 12U);
}

// A node that mangles batch replies with `mangle`.
void mangle_batches(FakeNode& node, Ledger& ledger, std::function<void(json& replies)> mangle) {
  node.set_handler([&ledger, mangle](const Recorded& request, std::size_t index) {
    auto reply = rpc([&ledger](const json& call) { return ledger.respond(call); })(request, index);
    json body = json::parse(reply.body);
    if (body.is_array()) mangle(body);
    reply.body = body.dump();
    return reply;
  });
}

TEST_F(EthChainClientTest, MissingDuplicateAndUnknownIdsAreTransportErrors) {
  auto client = connected();
  const std::vector<std::string> hashes = {hash(1), hash(2), hash(3)};

  mangle_batches(node_, ledger_, [](json& replies) { replies.erase(replies.begin() + 1); });
  EXPECT_THAT(message_of_transport_error([&] { client->tx_infos(hashes); }),
              HasSubstr("chain main: batch of 3 eth_getTransactionReceipt: reply lacks responses for 1 of 3 calls"));

  mangle_batches(node_, ledger_, [](json& replies) { replies[2]["id"] = replies[0]["id"]; });
  EXPECT_THAT(message_of_transport_error([&] { client->tx_infos(hashes); }), HasSubstr("more than one response with id"));

  mangle_batches(node_, ledger_, [](json& replies) {
    const json first = replies[0];
    replies.push_back(first);
  });
  EXPECT_THAT(message_of_transport_error([&] { client->tx_infos(hashes); }), HasSubstr("more than one response with id"));

  mangle_batches(node_, ledger_, [](json& replies) { replies[1]["id"] = 123456789; });
  EXPECT_THAT(message_of_transport_error([&] { client->tx_infos(hashes); }), HasSubstr("id 123456789, which no call had"));

  mangle_batches(node_, ledger_, [](json& replies) { replies = json::array(); });
  EXPECT_THAT(message_of_transport_error([&] { client->tx_infos(hashes); }), HasSubstr("lacks responses for 3 of 3"));
}

TEST_F(EthChainClientTest, NonArrayAndNonObjectBatchRepliesAreTransportErrors) {
  auto client = connected();
  for (const std::string& body : {std::string(R"({"jsonrpc":"2.0","id":1,"result":null})"), std::string("[1,2,3]"),
                                  std::string(R"(["x"])"), std::string("[null]"), std::string("\"batch\"")}) {
    answer_with({200, body});
    const auto message = message_of_transport_error([&] { client->tx_infos({hash(1), hash(2), hash(3)}); });
    EXPECT_THAT(message, HasSubstr("chain main: batch of 3 eth_getTransactionReceipt: reply is")) << body;
  }
}

TEST_F(EthChainClientTest, ErrorObjectInBatchIsAnRpcErrorWithItsCode) {
  auto client = connected();
  answer_calls_with([](const json& call) {
    return call.at("params").at(0) == hash(2) ? error(call, -32000, "header not found") : json();
  });
  const auto e = thrown<RpcError>([&] { client->tx_infos({hash(1), hash(2), hash(3)}); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code(), -32000);
  EXPECT_STREQ(e->what(), ("chain main: eth_getTransactionReceipt(" + hash(2) + "): node error -32000: header not found").c_str());
}

TEST_F(EthChainClientTest, BatchRefusedAsAWholeIsAnRpcError) {
  auto client = connected();
  answer_with({200, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"batch limit exceeded"}})"});
  const auto e = thrown<RpcError>([&] { client->tx_infos({hash(1), hash(2)}); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code(), -32005);
  EXPECT_THAT(e->what(), HasSubstr("batch limit exceeded"));
}

TEST_F(EthChainClientTest, MalformedReceiptsAreTransportErrors) {
  const auto h = hash(5);
  struct Case {
    std::function<void(json&)> change;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {[](json& r) { r["status"] = "0x2"; }, "status: expected \"0x0\" (failed) or \"0x1\" (success)"},
      {[](json& r) { r["status"] = "success"; }, "status: expected a hex quantity"},
      {[](json& r) { r.erase("status"); }, "receipt has no \"status\""},
      {[](json& r) { r.erase("gasUsed"); }, "receipt has no \"gasUsed\""},
      {[](json& r) { r["gasUsed"] = "0x"; }, "gasUsed: expected a hex quantity"},
      {[](json& r) { r["blockNumber"] = 100; }, "blockNumber: expected a hex quantity"},
      {[](json& r) { r["blockHash"] = "0x1234"; }, "blockHash: expected \"0x\" and 64 hex digits"},
      {[](json& r) { r["transactionHash"] = hash(6); }, "not the one asked for"},
      {[](json& r) { r = "mined"; }, "result is a string, expected a receipt object or null"},
  };
  for (const auto& c : cases) {
    json broken = receipt(h, "0x1", "0x1", "0x1");
    c.change(broken);
    ledger_.receipts[h] = broken;
    auto client = connect();
    const auto message = message_of_transport_error([&] { client->tx_infos({h}); });
    EXPECT_THAT(message, HasSubstr("chain main: eth_getTransactionReceipt(" + h + "): "));
    EXPECT_THAT(message, HasSubstr(c.expected));
  }
}

TEST_F(EthChainClientTest, NonObjectTransactionIsATransportError) {
  auto client = connected();
  answer_calls_with([](const json& call) {
    return call.at("method") == "eth_getTransactionByHash" ? result(call, "pending") : json();
  });
  EXPECT_THAT(message_of_transport_error([&] { client->tx_infos({hash(1)}); }),
              HasSubstr("eth_getTransactionByHash(" + hash(1) + "): result is a string"));
}

TEST_F(EthChainClientTest, MalformedCallerHashesFailBeforeSending) {
  auto client = connected();
  for (const std::string& bad : {std::string("0x123"), std::string("abc"), std::string(64, 'a'),
                                 "0x" + std::string(64, 'g'), "0x" + std::string(65, 'a'), std::string()}) {
    try {
      client->tx_infos({hash(1), bad});
      ADD_FAILURE() << "no exception for " << bad;
    } catch (const TransportError& e) {
      ADD_FAILURE() << "TransportError for a caller mistake: " << e.what();
    } catch (const RpcError& e) {
      ADD_FAILURE() << "RpcError for a caller mistake: " << e.what();
    } catch (const ClientError& e) {
      EXPECT_THAT(e.what(), HasSubstr("chain main: tx_infos: hash #2"));
    }
  }
  EXPECT_EQ(node_.request_count(), 0U);
}

// ---------------------------------------------------------------- transport

TEST_F(EthChainClientTest, OversizedReplyIsATransportErrorAndNotRetried) {
  auto options = this->options();
  options.max_reply_bytes = 64 * 1024;
  auto client = connected(options);
  answer_with({200, R"({"jsonrpc":"2.0","id":2,"result":")" + std::string(1024 * 1024, 'a') + "\"}"});
  const auto message = message_of_transport_error([&] { client->block_number(); });
  EXPECT_THAT(message, HasSubstr("chain main: eth_blockNumber: reply from " + node_.url() +
                                 " is larger than the limit of 65536 bytes"));
  EXPECT_EQ(node_.request_count(), 1U);
}

TEST_F(EthChainClientTest, ReplyJustWithinTheLimitIsAccepted) {
  auto options = this->options();
  const std::string body = R"({"jsonrpc":"2.0","id":2,"result":"0x2a"})";
  options.max_reply_bytes = body.size();
  auto client = connected(options);
  answer_with({200, body});  // the id is wrong for anything but the second call
  EXPECT_EQ(client->block_number(), 42U);
}

TEST_F(EthChainClientTest, Http404IsNotRetried) {
  auto client = connected();
  answer_with({404, "no such path"});
  const auto message = message_of_transport_error([&] { client->block_number(); });
  EXPECT_THAT(message, HasSubstr("chain main: eth_blockNumber: HTTP 404 from " + node_.url()));
  EXPECT_EQ(node_.request_count(), 1U);
}

TEST_F(EthChainClientTest, RedirectsAreNotFollowed) {
  auto client = connected();
  answer_with({302, "", 0ms, node_.url() + "elsewhere"});
  EXPECT_THAT(message_of_transport_error([&] { client->block_number(); }), HasSubstr("HTTP 302"));
  EXPECT_EQ(node_.request_count(), 1U);
}

// Fails the first `failures` requests with `status`, then answers from the ledger.
FakeNode::Handler failing_first(int failures, int status, Ledger& ledger) {
  auto remaining = std::make_shared<std::atomic<int>>(failures);
  return [remaining, status, &ledger](const Recorded& request, std::size_t index) -> Reply {
    if (remaining->fetch_sub(1) > 0) return {status, "try again later"};
    return rpc([&ledger](const json& call) { return ledger.respond(call); })(request, index);
  };
}

TEST_F(EthChainClientTest, TransientFailuresAreRetried) {
  auto options = this->options();
  options.transport_retries = 2;
  auto client = connected(options);
  node_.set_handler(failing_first(2, 500, ledger_));
  EXPECT_EQ(client->block_number(), 16U);
  EXPECT_EQ(node_.request_count(), 3U);
  const auto text = logs();
  EXPECT_THAT(text, HasSubstr("[warning] chain main: eth_blockNumber: HTTP 500"));
  EXPECT_THAT(text, HasSubstr("retry 1 of 2"));
  EXPECT_THAT(text, HasSubstr("retry 2 of 2"));
}

TEST_F(EthChainClientTest, RetriesRunOut) {
  auto options = this->options();
  options.transport_retries = 1;
  auto client = connected(options);
  node_.set_handler(failing_first(2, 503, ledger_));
  const auto message = message_of_transport_error([&] { client->block_number(); });
  EXPECT_THAT(message, HasSubstr("HTTP 503"));
  EXPECT_THAT(message, HasSubstr("gave up after 2 attempts"));
  EXPECT_EQ(node_.request_count(), 2U);
}

TEST_F(EthChainClientTest, TooManyRequestsIsRetried) {
  auto client = connected();
  node_.set_handler(failing_first(1, 429, ledger_));
  EXPECT_EQ(client->block_number(), 16U);
  EXPECT_EQ(node_.request_count(), 2U);
}

TEST_F(EthChainClientTest, RpcErrorsAreNeverRetried) {
  auto client = connected();
  answer_calls_with([](const json& call) { return error(call, -32005, "rate limited"); });
  EXPECT_TRUE(thrown<RpcError>([&] { client->block_number(); }));
  EXPECT_EQ(node_.request_count(), 1U);
}

TEST_F(EthChainClientTest, Timeout) {
  auto options = this->options();
  // Long enough for the eth_chainId of connected() on a loaded machine
  // under ThreadSanitizer (200 ms was not), well short of the reply's delay.
  options.timeout = 1s;
  options.transport_retries = 0;
  auto client = connected(options);
  answer_with({200, R"({"jsonrpc":"2.0","id":2,"result":"0x1"})", 2500ms});
  const auto message = message_of_transport_error([&] { client->block_number(); });
  EXPECT_THAT(message, HasSubstr("chain main: eth_blockNumber: no complete reply from " + node_.url() + " within 1000ms"));
  EXPECT_EQ(node_.request_count(), 1U);
}

TEST_F(EthChainClientTest, CustomHeadersReachTheNode) {
  auto options = this->options();
  // (an empty value is sent as "X-Empty:", which cpp-httplib does not record)
  options.headers = {{"Authorization", "Bearer abc.def"}, {"X-Api-Key", "k-123"}, {"X-Empty", ""}};
  auto client = connect(options);
  client->block_number();
  for (const auto& request : node_.requests()) {
    EXPECT_EQ(request.header("Authorization"), "Bearer abc.def");
    EXPECT_EQ(request.header("X-Api-Key"), "k-123");
    EXPECT_EQ(request.header("Content-Type"), "application/json");
  }
}

TEST_F(EthChainClientTest, CredentialsNeverAppearInMessagesOrLogs) {
  const std::string password = "pa55-Wd-9f8e7d";
  const std::string query_key = "qk-4d3c2b1a";
  const std::string token = "tok-0a1b2c3d4e5f";
  auto options = this->options();
  options.url = "http://alice:" + password + "@127.0.0.1:" + std::to_string(node_.port()) + "/rpc?apikey=" + query_key;
  options.headers = {{"Authorization", "Bearer " + token}};
  options.transport_retries = 1;
  std::vector<std::string> messages;

  auto client = connect(options);
  EXPECT_EQ(node_.requests().at(0).header("Authorization"), "Bearer " + token);
  EXPECT_EQ(node_.requests().at(0).target, "/rpc?apikey=" + query_key);

  // A node that echoes the credentials back in an error page.
  answer_with({500, "bad credentials: Bearer " + token + " / " + password + " / " + query_key});
  messages.push_back(message_of_transport_error([&] { client->block_number(); }));
  answer_with({401, "token " + token + " expired"});
  messages.push_back(message_of_transport_error([&] { client->call("eth_call", "[]"); }));
  answer_with({200, "garbage"});
  messages.push_back(message_of_transport_error([&] { client->tx_infos({hash(1)}); }));
  answer_calls_with([](const json& call) { return error(call, -32000, "nope"); });
  const auto rpc_error = thrown<RpcError>([&] { client->block_number(); });
  ASSERT_TRUE(rpc_error);
  messages.push_back(rpc_error->what());

  auto unreachable = options;
  unreachable.url = "http://alice:" + password + "@127.0.0.1:" + std::to_string(closed_port()) + "/?apikey=" + query_key;
  messages.push_back(message_of_transport_error([&] { connect(unreachable); }));

  const auto text = logs();
  for (const auto& secret : {password, query_key, token}) {
    for (const auto& message : messages) EXPECT_THAT(message, Not(HasSubstr(secret))) << message;
    EXPECT_THAT(text, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(messages[0], HasSubstr("http://***@127.0.0.1:" + std::to_string(node_.port()) + "/rpc?apikey=***"));
  EXPECT_THAT(messages[0], HasSubstr("bad credentials: *** / *** / ***"));
  EXPECT_THAT(text, HasSubstr("http://***@127.0.0.1"));
  for (const auto& message : messages) EXPECT_THAT(message, HasSubstr("chain main: ")) << message;
}

TEST_F(EthChainClientTest, LogsEachRequestAtDebugAndNothingAtInfo) {
  auto options = this->options();
  options.batch_size = 2;
  auto client = connect(options);
  client->block_number();
  client->tx_infos({hash(1), hash(2), hash(3)});
  const auto text = logs();
  EXPECT_THAT(text, HasSubstr("[debug] chain main: eth_chainId to " + node_.url() + ": HTTP 200"));
  EXPECT_THAT(text, HasSubstr("[debug] chain main: eth_blockNumber to " + node_.url() + ": HTTP 200"));
  EXPECT_THAT(text, HasSubstr("[debug] chain main: batch of 2 eth_getTransactionReceipt to "));
  EXPECT_THAT(text, HasSubstr("[debug] chain main: batch of 1 eth_getTransactionByHash to "));
  EXPECT_THAT(text, HasSubstr(" ms"));
  for (const char* level : {"[info]", "[warning]", "[error]", "[critical]"}) EXPECT_THAT(text, Not(HasSubstr(level)));
}

TEST_F(EthChainClientTest, ConnectionsAreReused) {
  auto client = connect();
  for (int i = 0; i < 20; ++i) client->block_number();
  EXPECT_EQ(node_.request_count(), 21U);
  EXPECT_EQ(node_.connection_count(), 1U);
}

TEST_F(EthChainClientTest, WorksWithoutALogger) {
  auto client = std::make_unique<EthChainClient>(options(), nullptr);
  EXPECT_EQ(client->block_number(), 16U);
}

// ---------------------------------------------------------------- call

TEST_F(EthChainClientTest, CallPassesParamsAndReturnsCompactResult) {
  answer_calls_with([](const json& call) -> json {
    if (call.at("method") == "eth_getBalance") return result(call, {{"balance", "0x10"}, {"list", {1, 2, 3}}});
    if (call.at("method") == "eth_nothing") return result(call, nullptr);
    if (call.at("method") == "eth_text") return result(call, "0x1");
    return json();
  });
  auto client = connected();
  EXPECT_EQ(client->call("eth_getBalance", R"([ "0xAbC", "latest", {"a" : 1} ])"),
            R"({"balance":"0x10","list":[1,2,3]})");
  EXPECT_EQ(node_.requests().at(0).parsed().at("params"), json::parse(R"(["0xAbC","latest",{"a":1}])"));
  EXPECT_EQ(client->call("eth_nothing", "[]"), "null");
  EXPECT_EQ(client->call("eth_text", "[]"), R"("0x1")");
}

TEST_F(EthChainClientTest, CallRejectsParamsThatAreNotAnArray) {
  auto client = connected();
  for (const char* params : {"", "not json", "{}", R"("x")", "1", "[1,", "null"}) {
    try {
      client->call("eth_call", params);
      ADD_FAILURE() << "no exception for " << params;
    } catch (const TransportError& e) {
      ADD_FAILURE() << e.what();
    } catch (const RpcError& e) {
      ADD_FAILURE() << e.what();
    } catch (const ClientError& e) {
      EXPECT_THAT(e.what(), HasSubstr("chain main: eth_call: params must be a JSON array")) << params;
    }
  }
  EXPECT_THROW(client->call("", "[]"), ClientError);
  EXPECT_THROW(client->call("eth call\n", "[]"), ClientError);
  EXPECT_EQ(node_.request_count(), 0U);
}

TEST_F(EthChainClientTest, CallReportsRpcErrors) {
  auto client = connected();
  const auto e = thrown<RpcError>([&] { client->call("eth_unknown", "[]"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code(), -32601);
  EXPECT_THAT(e->what(), HasSubstr("chain main: eth_unknown: node error -32601: the method eth_unknown does not exist"));
}

// ---------------------------------------------------------------- threads

TEST_F(EthChainClientTest, ManyThreadsAtOnce) {
  for (unsigned i = 0; i < 8; ++i) ledger_.receipts[hash(i)] = receipt(hash(i), "0x1", "0x1", "0x5");
  auto client = connect();
  constexpr int kThreads = 8;
  constexpr int kCalls = 50;
  std::atomic<int> wrong{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        try {
          const json params = {t, i, "thread " + std::to_string(t)};
          if (client->call("test_echo", params.dump()) != params.dump()) ++wrong;
          if (i % 10 == 0 && client->block_number() != 16U) ++wrong;
          if (i % 10 == 5) {
            const auto infos = client->tx_infos({hash(static_cast<unsigned>(t)), hash(1000)});
            if (infos.at(0).status != TxStatus::success || infos.at(0).hash != hash(static_cast<unsigned>(t)) ||
                infos.at(1).status != TxStatus::not_found) {
              ++wrong;
            }
          }
        } catch (const std::exception&) {
          ++failed;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  // 1 + 8 * (50 echo + 5 block numbers + 5 * 2 tx_infos rounds)
  EXPECT_EQ(node_.request_count(), 1U + 8U * (50U + 5U + 10U));
  EXPECT_LE(node_.connection_count(), static_cast<std::size_t>(kThreads));
}

}  // namespace
}  // namespace jobhost::chain
