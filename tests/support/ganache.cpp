#include "support/ganache.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "support/temp_dir.hpp"

namespace jobhost::testing {

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free port on 127.0.0.1");
  }
  close(fd);
  return ntohs(address.sin_port);
}

Ganache::Ganache(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)), port_(free_port()) { start(); }

Ganache::~Ganache() { stop(); }

void Ganache::start() {
  std::filesystem::create_directories(data_dir_ / "chain");
  process_ = std::make_unique<BackgroundProcess>(
      JOBHOST_TEST_GANACHE,
      std::vector<std::string>{"--host", "127.0.0.1", "--port", std::to_string(port_), "--wallet.deterministic",
                               "--database.dbPath", (data_dir_ / "chain").string(), "--logging.quiet",
                               "--chain.chainId", "1337"},
      data_dir_ / "ganache.out", data_dir_ / "ganache.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    try {
      call("eth_chainId");
      return;
    } catch (const std::exception&) {
      if (process_->wait_for_exit(std::chrono::milliseconds(200)) != -1 ||
          std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("ganache did not start: " + read_file(data_dir_ / "ganache.err") +
                                 read_file(data_dir_ / "ganache.out"));
      }
    }
  }
}

void Ganache::stop() {
  if (!process_) return;
  process_->signal(SIGTERM);
  if (process_->wait_for_exit(std::chrono::seconds(10)) == -1) process_->signal(SIGKILL);
  process_->wait_for_exit(std::chrono::seconds(10));
  process_.reset();
}

nlohmann::json Ganache::call(const std::string& method, const nlohmann::json& params) {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(2);
  client.set_read_timeout(30);
  const nlohmann::json request = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
  auto reply = client.Post("/", request.dump(), "application/json");
  if (!reply) throw std::runtime_error(method + ": no reply from ganache");
  const auto body = nlohmann::json::parse(reply->body);
  if (body.contains("error")) throw std::runtime_error(method + ": " + body["error"].dump());
  return body.at("result");
}

std::string Ganache::send_transaction(unsigned long long wei) {
  const auto accounts = call("eth_accounts");
  char value[32];
  std::snprintf(value, sizeof value, "0x%llx", wei);
  return call("eth_sendTransaction", {{{"from", accounts.at(0)}, {"to", accounts.at(1)}, {"value", value}}})
      .get<std::string>();
}

}  // namespace jobhost::testing
