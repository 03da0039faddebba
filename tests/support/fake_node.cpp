#include "support/fake_node.hpp"

#include <set>
#include <stdexcept>

namespace jobhost::testing::fake {

std::string Recorded::header(const std::string& name) const {
  const auto found = headers.find(name);  // httplib compares names case-insensitively
  return found == headers.end() ? std::string() : found->second;
}

json Recorded::parsed() const { return json::parse(body); }

FakeNode::FakeNode() {
  // Enough threads for every keep-alive connection the tests open at once.
  server_.new_task_queue = [] { return new httplib::ThreadPool(32); };
  server_.set_tcp_nodelay(true);  // no 40 ms Nagle/delayed-ACK stalls between header and body
  server_.set_keep_alive_max_count(1000000);
  server_.set_keep_alive_timeout(10);
  server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
    Recorded recorded{request.path, request.target, request.body, request.headers,
                      request.remote_addr + ":" + std::to_string(request.remote_port)};
    Handler handler;
    std::size_t index = 0;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(recorded);
      index = seen_++;
      handler = handler_;
    }
    Reply reply;
    if (handler) reply = handler(recorded, index);
    if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
    response.status = reply.status;
    if (!reply.location.empty()) response.set_header("Location", reply.location);
    response.set_content(reply.body, "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("FakeNode: cannot bind a port on 127.0.0.1");
  thread_ = std::thread([this] {
    server_.listen_after_bind();
    listening_done_ = true;
  });
  // stop() does nothing before the accept loop runs: wait for it.
  while (!server_.is_running() && !listening_done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeNode::~FakeNode() {
  server_.stop();
  thread_.join();
}

std::string FakeNode::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

void FakeNode::set_handler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<Recorded> FakeNode::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeNode::request_count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

std::size_t FakeNode::connection_count() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> connections;
  for (const auto& request : requests_) connections.insert(request.connection);
  return connections.size();
}

void FakeNode::forget_requests() {
  std::lock_guard lock(mutex_);
  requests_.clear();
  seen_ = 0;
}

FakeNode::Handler rpc(std::function<json(const json& call)> respond) {
  return [respond = std::move(respond)](const Recorded& request, std::size_t) -> Reply {
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_array()) {
      json replies = json::array();
      for (const auto& call : body) {
        json reply = respond(call);
        if (!reply.is_discarded()) replies.push_back(std::move(reply));
      }
      return {200, replies.dump()};
    }
    if (body.is_object()) {
      json reply = respond(body);
      return {200, reply.is_discarded() ? std::string() : reply.dump()};
    }
    return {400, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}})"};
  };
}

json result(const json& call, json value) {
  json reply = json::object();
  reply["jsonrpc"] = "2.0";
  reply["id"] = call.at("id");
  reply["result"] = std::move(value);
  return reply;
}

json error(const json& call, long long code, const std::string& message) {
  json reply = json::object();
  reply["jsonrpc"] = "2.0";
  reply["id"] = call.at("id");
  reply["error"] = {{"code", code}, {"message", message}};
  return reply;
}

}  // namespace jobhost::testing::fake
