#include "protocol/chain_messages.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost::protocol {
namespace {

template <class Thrown>
Message reply_to(Thrown thrown) {
  try {
    throw thrown;
  } catch (...) {
    return reply_error(3);
  }
}

TEST(ChainMessagesTest, ErrorsArriveAsTheSameSdkType) {
  EXPECT_THROW(value_or_throw(reply_to(UnknownClientError("no chain x"))), UnknownClientError);
  EXPECT_THROW(value_or_throw(reply_to(TransportError("refused"))), TransportError);
  EXPECT_THROW(value_or_throw(reply_to(StoppedError("stop"))), StoppedError);
  EXPECT_THROW(value_or_throw(reply_to(std::runtime_error("odd"))), Error);
  try {
    value_or_throw(reply_to(ClientUnavailableError("down", std::chrono::milliseconds(1500))));
    FAIL();
  } catch (const ClientUnavailableError& e) {
    EXPECT_STREQ(e.what(), "down");
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(1500));
  }
  try {
    value_or_throw(reply_to(RpcError("execution reverted", -32000)));
    FAIL();
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), -32000);
  }
}

TEST(ChainMessagesTest, TxInfosRoundTrip) {
  TxInfo mined{"0xab", TxStatus::success, 12, "0xcd", 21000};
  TxInfo pending{"0xef", TxStatus::pending, {}, {}, {}};
  const auto back = read_tx_infos(write_tx_infos({mined, pending}));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].hash, "0xab");
  EXPECT_EQ(back[0].status, TxStatus::success);
  EXPECT_EQ(back[0].block_number, 12u);
  EXPECT_EQ(back[0].block_hash, "0xcd");
  EXPECT_EQ(back[0].gas_used, 21000u);
  EXPECT_EQ(back[1].status, TxStatus::pending);
  EXPECT_FALSE(back[1].block_number);
}

TEST(ChainMessagesTest, ReadsACallAndRefusesAnUnknownMethod) {
  const ChainCall call = read_chain_call(
      {{"t", "call"}, {"call", 9}, {"chain", "local"}, {"method", "tx_infos"}, {"hashes", {"0x1", "0x2"}}});
  EXPECT_EQ(call.id, 9u);
  EXPECT_EQ(call.chain, "local");
  EXPECT_EQ(call.method, ChainCall::Method::tx_infos);
  EXPECT_EQ(call.hashes.size(), 2u);
  EXPECT_FALSE(call.awake);
  EXPECT_TRUE(read_chain_call({{"t", "call"}, {"call", 1}, {"chain", "x"}, {"method", "chain_id"}, {"awake", true}}).awake);
  EXPECT_THROW(read_chain_call({{"t", "call"}, {"call", 1}, {"chain", "x"}, {"method", "chain_id"}, {"awake", 1}}),
               ProtocolError);
  EXPECT_THROW(read_chain_call({{"t", "call"}, {"call", 1}, {"chain", "x"}, {"method", "format_disk"}}), ProtocolError);
  EXPECT_THROW(read_chain_call({{"t", "call"}, {"call", 1}, {"chain", "x"}, {"method", "tx_infos"}, {"hashes", {1}}}),
               ProtocolError);
}

}  // namespace
}  // namespace jobhost::protocol
