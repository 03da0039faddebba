// FakeNode: a scriptable JSON-RPC node on 127.0.0.1 for the tests of the chain SDK and the host
// (cpp-httplib). Each test installs a handler; the node records every request
// (body, headers, which TCP connection it came on) and can answer with any
// status, body or delay.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace jobhost::testing::fake {

using json = nlohmann::json;

// One request as the node saw it.
struct Recorded {
  std::string path;
  std::string target;  // the path with its query string
  std::string body;
  httplib::Headers headers;
  std::string connection;  // "address:port" of the client side: one per TCP connection

  std::string header(const std::string& name) const;  // "" when absent
  json parsed() const;                                // the body as JSON (throws if it is not)
};

// What the node sends back.
struct Reply {
  Reply() = default;
  Reply(int status_, std::string body_, std::chrono::milliseconds delay_ = std::chrono::milliseconds(0),
        std::string location_ = {})
      : status(status_), body(std::move(body_)), delay(delay_), location(std::move(location_)) {}

  int status = 200;
  std::string body;
  std::chrono::milliseconds delay{0};  // slept before answering
  std::string location;                // a Location header, when not empty
};

class FakeNode {
 public:
  // `request` is the request, `index` how many came before it (from 0).
  using Handler = std::function<Reply(const Recorded& request, std::size_t index)>;

  FakeNode();  // listening on 127.0.0.1, on a port of its own
  ~FakeNode();
  FakeNode(const FakeNode&) = delete;
  FakeNode& operator=(const FakeNode&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT/"

  void set_handler(Handler handler);
  std::vector<Recorded> requests() const;
  std::size_t request_count() const;
  std::size_t connection_count() const;  // distinct TCP connections seen
  void forget_requests();                // also resets the index handed to handlers

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<bool> listening_done_{false};
  mutable std::mutex mutex_;
  Handler handler_;
  std::vector<Recorded> requests_;
  std::size_t seen_ = 0;
};

// A handler that answers each JSON-RPC call of a request (single or batch)
// with respond(call): a whole response object, or a discarded value
// (json(json::value_t::discarded)) to leave that call unanswered.
FakeNode::Handler rpc(std::function<json(const json& call)> respond);

// {"jsonrpc":"2.0","id":<call's id>,"result":value}
json result(const json& call, json value);
// {"jsonrpc":"2.0","id":<call's id>,"error":{"code":code,"message":message}}
json error(const json& call, long long code, const std::string& message);

}  // namespace jobhost::testing::fake
