// The chain_height tests' run context: the SDK's test kit (jobhost/testing.hpp)
// under the job's name, with chains added by name.
#pragma once

#include <string>

#include "jobhost/jobhost.hpp"
#include "jobhost/testing.hpp"

namespace chain_height::testing {

using jobhost::testing::FakeChainClient;
using jobhost::testing::FakeLogger;
using jobhost::testing::settings;

class FakeContext final : public jobhost::testing::FakeJobContext {
 public:
  FakeContext() : FakeJobContext("chain_height.watch", "/nonexistent/chain_height") {}

  // The fake node registered as `name`, created on first use.
  FakeChainClient& add_chain(const std::string& name) { return provider.add_fake(name); }
};

}  // namespace chain_height::testing
