// ClientProvider: where a job gets its chain clients.
//
// Ownership: the host owns the provider and every client it hands out. A job
// reaches it through JobContext::clients(); a plugin never constructs one.
// Lifetime: valid until the host shuts down, after every job run has returned.
// Thread-safety: chain() may be called from any number of threads at once. The
// first call for a name creates that client exactly once, however many
// callers arrive at the same instant; later calls return the same instance.
#pragma once

#include <string_view>

#include "jobhost/chain_client.hpp"

namespace jobhost {

class ClientProvider {
 public:
  virtual ~ClientProvider() = default;

  // The client configured under `name` (`[chain.NAME]` or --chain NAME=URL).
  // Throws UnknownClientError when no such chain is configured, and
  // ClientUnavailableError when it cannot be used right now.
  virtual ChainClient& chain(std::string_view name) = 0;
};

}  // namespace jobhost
