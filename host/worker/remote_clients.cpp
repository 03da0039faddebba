#include "worker/remote_clients.hpp"

#include "protocol/chain_messages.hpp"

namespace jobhost::worker {
namespace {

std::uint64_t unsigned_value(const Message& value, const char* method) {
  if (!value.is_number_unsigned()) throw protocol::ProtocolError(std::string("reply to ") + method + ": not a number");
  return value.get<std::uint64_t>();
}

}  // namespace

Message RemoteChainClient::request(const char* method) const {
  return {{"t", "call"}, {"chain", chain_}, {"method", method}};
}

std::uint64_t RemoteChainClient::chain_id() { return unsigned_value(calls_.call(request("chain_id")), "chain_id"); }

std::uint64_t RemoteChainClient::block_number() {
  return unsigned_value(calls_.call(request("block_number")), "block_number");
}

std::vector<TxInfo> RemoteChainClient::tx_infos(const std::vector<std::string>& hashes) {
  Message message = request("tx_infos");
  message["hashes"] = hashes;
  return protocol::read_tx_infos(calls_.call(std::move(message)));
}

std::string RemoteChainClient::call(const std::string& method, const std::string& params_json) {
  Message message = request("rpc");
  message["rpc_method"] = method;
  message["params"] = params_json;
  const Message result = calls_.call(std::move(message));
  if (!result.is_string()) throw protocol::ProtocolError("reply to rpc: not a string");
  return result.get<std::string>();
}

ChainClient& RemoteClientProvider::chain(std::string_view name) {
  {
    std::lock_guard lock(mutex_);
    if (const auto it = clients_.find(name); it != clients_.end()) return *it->second;
  }
  // Outside the lock: the host may take a while to create the client, and
  // other names need not wait for it.
  calls_.call({{"t", "call"}, {"chain", std::string(name)}, {"method", "chain"}});
  std::lock_guard lock(mutex_);
  auto& client = clients_[std::string(name)];
  if (!client) client = std::make_unique<RemoteChainClient>(calls_, std::string(name));
  return *client;
}

}  // namespace jobhost::worker
