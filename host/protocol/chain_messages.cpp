#include "protocol/chain_messages.hpp"

#include <exception>

#include "jobhost/error.hpp"

namespace jobhost::protocol {
namespace {

ChainCall::Method read_method(const Message& call) {
  const std::string method = read_string(call, "method");
  if (method == "chain") return ChainCall::Method::chain;
  if (method == "chain_id") return ChainCall::Method::chain_id;
  if (method == "block_number") return ChainCall::Method::block_number;
  if (method == "tx_infos") return ChainCall::Method::tx_infos;
  if (method == "rpc") return ChainCall::Method::rpc;
  throw ProtocolError("message \"call\": unknown method \"" + method + "\"");
}

const char* status_name(TxStatus status) {
  switch (status) {
    case TxStatus::pending: return "pending";
    case TxStatus::success: return "success";
    case TxStatus::failed: return "failed";
    case TxStatus::not_found: break;
  }
  return "not_found";
}

TxStatus read_status(const Message& info) {
  const std::string status = read_string(info, "status");
  if (status == "pending") return TxStatus::pending;
  if (status == "success") return TxStatus::success;
  if (status == "failed") return TxStatus::failed;
  if (status == "not_found") return TxStatus::not_found;
  throw ProtocolError("reply to tx_infos: unknown status \"" + status + "\"");
}

}  // namespace

ChainCall read_chain_call(const Message& call) {
  ChainCall read;
  read.id = read_unsigned(call, "call");
  read.chain = read_string(call, "chain");
  read.method = read_method(call);
  read.awake = call.contains("awake") && read_bool(call, "awake");
  if (read.method == ChainCall::Method::tx_infos) {
    for (const auto& hash : read_array(call, "hashes")) {
      if (!hash.is_string()) throw ProtocolError("message \"call\": field \"hashes\" holds a non-string");
      read.hashes.push_back(hash.get<std::string>());
    }
  } else if (read.method == ChainCall::Method::rpc) {
    read.rpc_method = read_string(call, "rpc_method");
    read.params = read_string(call, "params");
  }
  return read;
}

Message answer_chain_call(const ChainCall& call, ChainClient& client) {
  try {
    switch (call.method) {
      case ChainCall::Method::chain: return reply_value(call.id, true);
      case ChainCall::Method::chain_id: return reply_value(call.id, client.chain_id());
      case ChainCall::Method::block_number: return reply_value(call.id, client.block_number());
      case ChainCall::Method::tx_infos: return reply_value(call.id, write_tx_infos(client.tx_infos(call.hashes)));
      case ChainCall::Method::rpc: return reply_value(call.id, client.call(call.rpc_method, call.params));
    }
    throw std::logic_error("unknown chain call method");
  } catch (...) {
    return reply_error(call.id);
  }
}

Message reply_value(std::uint64_t call, Message value) {
  return {{"t", "reply"}, {"call", call}, {"value", std::move(value)}};
}

Message reply_error(std::uint64_t call) {
  Message error;
  try {
    throw;
  } catch (const UnknownClientError& e) {
    error = {{"kind", "unknown_client"}, {"text", e.what()}};
  } catch (const ClientUnavailableError& e) {
    error = {{"kind", "unavailable"}, {"text", e.what()}, {"retry_ms", e.retry_after().count()}};
  } catch (const RpcError& e) {
    error = {{"kind", "rpc"}, {"text", e.what()}, {"code", e.code()}};
  } catch (const TransportError& e) {
    error = {{"kind", "transport"}, {"text", e.what()}};
  } catch (const StoppedError& e) {
    error = {{"kind", "stopped"}, {"text", e.what()}};
  } catch (const std::exception& e) {
    error = {{"kind", "other"}, {"text", e.what()}};
  } catch (...) {
    error = {{"kind", "other"}, {"text", "a non-standard exception was thrown"}};
  }
  return {{"t", "reply"}, {"call", call}, {"error", std::move(error)}};
}

Message value_or_throw(const Message& reply) {
  if (!reply.contains("error")) {
    if (!reply.contains("value")) throw ProtocolError("message \"reply\" has neither \"value\" nor \"error\"");
    return reply["value"];
  }
  const Message& error = read_object(reply, "error");
  const std::string kind = read_string(error, "kind");
  const std::string text = read_string(error, "text");
  if (kind == "unknown_client") throw UnknownClientError(text);
  if (kind == "unavailable") {
    throw ClientUnavailableError(text, std::chrono::milliseconds(read_integer(error, "retry_ms")));
  }
  if (kind == "rpc") throw RpcError(text, read_integer(error, "code"));
  if (kind == "transport") throw TransportError(text);
  if (kind == "stopped") throw StoppedError(text);
  throw Error(text);
}

Message write_tx_infos(const std::vector<TxInfo>& infos) {
  Message list = Message::array();
  for (const auto& info : infos) {
    Message item = {{"hash", info.hash}, {"status", status_name(info.status)}};
    if (info.block_number) item["block_number"] = *info.block_number;
    if (info.block_hash) item["block_hash"] = *info.block_hash;
    if (info.gas_used) item["gas_used"] = *info.gas_used;
    list.push_back(std::move(item));
  }
  return list;
}

std::vector<TxInfo> read_tx_infos(const Message& value) {
  if (!value.is_array()) throw ProtocolError("reply to tx_infos: not an array");
  std::vector<TxInfo> infos;
  for (const auto& item : value) {
    if (!item.is_object()) throw ProtocolError("reply to tx_infos: an element is not a map");
    TxInfo info;
    info.hash = read_string(item, "hash");
    info.status = read_status(item);
    if (item.contains("block_number")) info.block_number = read_unsigned(item, "block_number");
    if (item.contains("block_hash")) info.block_hash = read_string(item, "block_hash");
    if (item.contains("gas_used")) info.gas_used = read_unsigned(item, "gas_used");
    infos.push_back(std::move(info));
  }
  return infos;
}

}  // namespace jobhost::protocol
