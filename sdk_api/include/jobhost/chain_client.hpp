// ChainClient: a connection to one blockchain node (Ethereum-style JSON-RPC).
//
// Ownership: the host creates and owns every ChainClient; plugins obtain a
// reference through ClientProvider::chain() and never create or destroy one.
// Lifetime: the reference stays valid until the host shuts down, which happens
// only after every job run has returned.
// Thread-safety: every member function may be called from any number of
// threads at once.
// Errors: UnknownClientError, ClientUnavailableError, RpcError and
// TransportError (all in error.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jobhost {

enum class TxStatus { pending, success, failed, not_found };

// What the node knows about one transaction.
struct TxInfo {
  std::string hash;
  TxStatus status = TxStatus::not_found;
  std::optional<std::uint64_t> block_number;  // set once the transaction is mined
  std::optional<std::string> block_hash;      // set once the transaction is mined
  std::optional<std::uint64_t> gas_used;      // set once the transaction is mined
};

class ChainClient {
 public:
  virtual ~ChainClient() = default;

  // The chain id the node reports (eth_chainId).
  virtual std::uint64_t chain_id() = 0;

  // The number of the latest block (eth_blockNumber).
  virtual std::uint64_t block_number() = 0;

  // The status of each hash, in the order given; any number of hashes,
  // batched on the wire.
  virtual std::vector<TxInfo> tx_infos(const std::vector<std::string>& hashes) = 0;

  // A raw JSON-RPC call: `params_json` is a JSON array; returns the result
  // member of the reply as JSON text.
  virtual std::string call(const std::string& method, const std::string& params_json) = 0;
};

}  // namespace jobhost
