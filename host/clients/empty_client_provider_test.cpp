#include "clients/empty_client_provider.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost::clients {
namespace {

TEST(EmptyClientProvider, UnknownChainNamesTheChain) {
  EmptyClientProvider provider;
  try {
    provider.chain("mainnet");
    FAIL() << "expected UnknownClientError";
  } catch (const UnknownClientError& e) {
    EXPECT_NE(std::string(e.what()).find("\"mainnet\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("configured chains: none"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jobhost::clients
