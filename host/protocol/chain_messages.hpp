// The chain calls a worker sends the host, and their replies: one ChainClient
// or ClientProvider call each way, its result or its error as the same SDK
// error type (error.hpp) on the other side.
//
// A call: {"t":"call","call":ID,"chain":NAME,"method":M, ...arguments}, where
// M is "chain" (ClientProvider::chain: does it exist), "chain_id",
// "block_number", "tx_infos" (with "hashes") or "rpc" (with "rpc_method" and
// "params"), and "awake" (true or false) is optional. A reply: {"t":"reply","call":ID,"value":V} or
// {"t":"reply","call":ID,"error":{"kind":K,"text":T,...}}.
//
// Stateless functions; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jobhost/chain_client.hpp"
#include "protocol/message_channel.hpp"

namespace jobhost::protocol {

// The calls a worker may have waiting for replies over its socket at once
// (the one on its lane aside): a further call waits in the worker until one
// returns, and the host kills a worker that sends more. So however many
// threads a plugin calls from, its calls take at most this many of the
// daemon's threads.
constexpr std::size_t kMaxCallsInFlight = 16;

// A call, read and checked (ProtocolError for anything malformed).
struct ChainCall {
  enum class Method { chain, chain_id, block_number, tx_infos, rpc };
  std::uint64_t id = 0;
  std::string chain;
  Method method = Method::chain;
  std::vector<std::string> hashes;  // tx_infos
  std::string rpc_method;           // rpc
  std::string params;               // rpc: a JSON array as text
  // The caller waits for the reply awake (AdaptiveSpin): its replies come
  // quickly, and so, most likely, does its next call. Absent: false.
  bool awake = false;
};

ChainCall read_chain_call(const Message& call);

// Runs `call` on `client` and returns its reply (the value, or the error it
// threw).
Message answer_chain_call(const ChainCall& call, ChainClient& client);

// The reply carrying `value`.
Message reply_value(std::uint64_t call, Message value);
// The reply for the exception being handled (call it in a catch block).
Message reply_error(std::uint64_t call);
// The value of a reply, or its error thrown as the SDK type it names.
// Throws ProtocolError for a malformed reply.
Message value_or_throw(const Message& reply);

// TxInfo lists both ways.
Message write_tx_infos(const std::vector<TxInfo>& infos);
std::vector<TxInfo> read_tx_infos(const Message& value);

}  // namespace jobhost::protocol
