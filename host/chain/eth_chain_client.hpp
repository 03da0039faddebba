// EthChainClient: the SDK's ChainClient for Ethereum-style JSON-RPC 2.0 nodes
// over HTTP (libcurl), with strict validation of every reply.
//
// Ownership: created and owned by the host's ClientProvider, exactly once per
// configured chain; plugins only ever see it as jobhost::ChainClient&.
// Thread-safety: every member function may be called from any number of
// threads at once. HTTP connections are pooled and reused.
// Errors: TransportError (no valid reply: connection, timeout, HTTP status,
// malformed, truncated or oversized body, mismatched ids, bad quantities) and
// RpcError (the node's JSON-RPC error object), both from jobhost/error.hpp.
// curl_global_init must have run (CurlGlobal) before the first client exists.
#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "jobhost/chain_client.hpp"
#include "chain/chain_options.hpp"

namespace jobhost::chain {

class EthChainClient final : public ChainClient {
 public:
  // Asks the node for its chain id (eth_chainId) and keeps it: a client that
  // exists has talked to its node. Throws TransportError or RpcError.
  EthChainClient(ChainOptions options, std::shared_ptr<spdlog::logger> log);
  ~EthChainClient() override;

  std::uint64_t chain_id() override;  // the id read at construction
  std::uint64_t block_number() override;
  std::vector<TxInfo> tx_infos(const std::vector<std::string>& hashes) override;
  std::string call(const std::string& method, const std::string& params_json) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::chain
