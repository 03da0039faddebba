// The worker's ClientProvider and ChainClients: each call travels to the host,
// which runs it on its one ClientProvider (clients are created there, once
// for the whole daemon) and sends back the result or the error.
//
// Ownership: RemoteClientProvider owns the RemoteChainClients it hands out;
// they live as long as the worker.
// Thread-safety: as the SDK says (client_provider.hpp, chain_client.hpp).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "jobhost/client_provider.hpp"
#include "worker/remote_calls.hpp"

namespace jobhost::worker {

class RemoteChainClient final : public ChainClient {
 public:
  RemoteChainClient(RemoteCalls& calls, std::string chain) : calls_(calls), chain_(std::move(chain)) {}

  std::uint64_t chain_id() override;
  std::uint64_t block_number() override;
  std::vector<TxInfo> tx_infos(const std::vector<std::string>& hashes) override;
  std::string call(const std::string& method, const std::string& params_json) override;

 private:
  Message request(const char* method) const;

  RemoteCalls& calls_;
  std::string chain_;
};

class RemoteClientProvider final : public ClientProvider {
 public:
  explicit RemoteClientProvider(RemoteCalls& calls) : calls_(calls) {}

  // Asks the host the first time for each name (which throws what the
  // host's provider throws), then answers from its own table.
  ChainClient& chain(std::string_view name) override;

 private:
  RemoteCalls& calls_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<RemoteChainClient>, std::less<>> clients_;
};

}  // namespace jobhost::worker
