#include "clients/create_eth_client.hpp"

#include "chain/eth_chain_client.hpp"

namespace jobhost::clients {

std::unique_ptr<ChainClient> create_eth_client(const chain::ChainOptions& options,
                                               std::shared_ptr<spdlog::logger> sdk_log) {
  return std::make_unique<chain::EthChainClient>(options, std::move(sdk_log));
}

}  // namespace jobhost::clients
