// Ganache: a real local chain node for the end-to-end tests and benchmarks.
//
// Started on 127.0.0.1 with a free port (the npm package pinned in
// tests/e2e/package-lock.json; scripts/install-deps.sh installs it), with
// deterministic accounts and instant mining, keeping its chain in a
// directory so it can be stopped and started again with the same blocks.
// Stopped by PID (SIGTERM, then SIGKILL) when stopped or destroyed.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace jobhost::testing {

// A port on 127.0.0.1 that nothing listens on right now.
int free_port();

class Ganache {
 public:
  // Starts the node and waits until it answers; throws std::runtime_error
  // (with its output) when it does not within 60 s.
  explicit Ganache(std::filesystem::path data_dir);
  ~Ganache();

  void stop();
  void start();  // again, on the same port, with the same chain

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // One JSON-RPC call; returns "result", throws std::runtime_error on error.
  nlohmann::json call(const std::string& method, const nlohmann::json& params = nlohmann::json::array());
  // Sends `wei` from the node's first account to its second; returns the hash.
  std::string send_transaction(unsigned long long wei = 1);

 private:
  std::filesystem::path data_dir_;
  int port_;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace jobhost::testing
