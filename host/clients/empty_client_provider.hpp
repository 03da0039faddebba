// EmptyClientProvider: the ClientProvider of a host with no chains configured.
// Every chain() call throws UnknownClientError naming the requested chain.
// Stateless, so thread-safe.
#pragma once

#include "jobhost/client_provider.hpp"

namespace jobhost::clients {

class EmptyClientProvider final : public ClientProvider {
 public:
  ChainClient& chain(std::string_view name) override;
};

}  // namespace jobhost::clients
