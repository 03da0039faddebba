#include "observe/http_endpoint.hpp"

#include <httplib.h>

#include <chrono>
#include <cstring>

#include "common/thread_name.hpp"
#include "jobhost/error.hpp"

namespace jobhost::observe {
namespace {

// Scrapes are few and quick; two threads answer them.
constexpr std::size_t kAnsweringThreads = 2;

// Sends `body` without copying it (set_content copies, and with 10,000 jobs
// /metrics is tens of megabytes).
void send_body(httplib::Response& response, std::string body, const char* content_type) {
  auto shared = std::make_shared<const std::string>(std::move(body));
  response.set_content_provider(shared->size(), content_type,
                                [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                  return sink.write(shared->data() + offset, length);
                                });
}

}  // namespace

HttpEndpoint::HttpEndpoint(const ListenAddress& address, Handlers handlers) : server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kAnsweringThreads); };
  // httplib's default adds SO_REUSEPORT, which would let a second daemon
  // share the port silently; address reuse alone lets a restart bind at once.
  server_->set_socket_options([](int socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->Get("/metrics", [metrics = handlers.metrics](const httplib::Request&, httplib::Response& response) {
    send_body(response, metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/jobs", [jobs = handlers.jobs](const httplib::Request&, httplib::Response& response) {
    send_body(response, jobs(), "application/json");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  if (address.port == 0) {
    port_ = server_->bind_to_any_port(address.host);
  } else if (server_->bind_to_port(address.host, address.port)) {
    port_ = address.port;
  }
  if (port_ <= 0) {
    throw ConfigError("http: cannot listen on " + address.to_string() + ": " + std::strerror(errno));
  }
  thread_ = std::thread([this] {
    name_this_thread("http");
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  // stop() only stops a server that runs: wait until it does (or gave up).
  while (!server_->is_running() && !listen_returned_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

HttpEndpoint::~HttpEndpoint() {
  server_->stop();
  thread_.join();
}

}  // namespace jobhost::observe
