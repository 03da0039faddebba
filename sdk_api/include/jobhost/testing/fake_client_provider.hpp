// FakeClientProvider: a jobhost::ClientProvider that knows only the chains a
// test gives it, for a plugin's unit tests (jobhost/testing.hpp).
// Header-only.
//
// Thread-safety: chain() may be called from any thread once the test has
// added its chains; add() and add_fake() belong to the test's set-up.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "jobhost/client_provider.hpp"
#include "jobhost/error.hpp"
#include "jobhost/testing/fake_chain_client.hpp"

namespace jobhost::testing {

class FakeClientProvider final : public ClientProvider {
 public:
  // Answers chain(name) with `client`, which the test owns.
  void add(const std::string& name, ChainClient& client) { chains_[name] = &client; }
  // The FakeChainClient this provider owns under `name`, made on first use.
  FakeChainClient& add_fake(const std::string& name) {
    auto& fake = fakes_[name];
    if (!fake) {
      fake = std::make_unique<FakeChainClient>();
      chains_[name] = fake.get();
    }
    return *fake;
  }

  // Any other name throws UnknownClientError, as the host does for a chain
  // it has not configured.
  ChainClient& chain(std::string_view name) override {
    const auto it = chains_.find(name);
    if (it == chains_.end()) throw UnknownClientError("no chain named \"" + std::string(name) + "\"");
    return *it->second;
  }

 private:
  std::map<std::string, ChainClient*, std::less<>> chains_;
  std::map<std::string, std::unique_ptr<FakeChainClient>> fakes_;
};

}  // namespace jobhost::testing
