// The ClientFactory of the daemon's ChainClientProvider: an Ethereum-style
// JSON-RPC client (chain/eth_chain_client.hpp) for one configured chain.
#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "chain/chain_options.hpp"
#include "jobhost/chain_client.hpp"

namespace jobhost::clients {

// A new client for `options` that logs to `sdk_log`. Called by the provider,
// at most once at a time per chain.
std::unique_ptr<ChainClient> create_eth_client(const chain::ChainOptions& options,
                                               std::shared_ptr<spdlog::logger> sdk_log);

}  // namespace jobhost::clients
