#include "clients/empty_client_provider.hpp"

#include <string>

#include "jobhost/error.hpp"

namespace jobhost::clients {

ChainClient& EmptyClientProvider::chain(std::string_view name) {
  throw UnknownClientError("chain \"" + std::string(name) + "\" is not configured (configured chains: none)");
}

}  // namespace jobhost::clients
