// HttpEndpoint: the read-only HTTP server of --http: /metrics (Prometheus
// text format), /healthz ("ok": liveness), /readyz ("ready", or 503 with a
// line per problem: readiness, observe/readiness.hpp) and /jobs (JSON).
// Nothing it serves changes the host.
//
// Event-driven (Boost.Beast on one Asio thread), so that idle and slow
// clients cannot starve it: each request must arrive whole within
// kRequestDeadline of the connection's last answer (or of its opening),
// else the connection is closed; at most kMaxConnections are open at once
// (any more are closed on accept). Idle connections do not delay
// destruction, which closes them all.
//
// It listens from construction to destruction, on its own thread.
// Thread-safety: the handlers are called on that thread, one at a time;
// whatever they read must outlive the endpoint.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/listen_address.hpp"

namespace jobhost::observe {

class HttpEndpoint {
 public:
  struct Handlers {
    std::function<std::string()> metrics;
    std::function<std::string()> jobs;
    std::function<std::vector<std::string>()> readiness;  // the problems; none when ready
  };

  static constexpr std::chrono::seconds kRequestDeadline{5};
  static constexpr std::size_t kMaxConnections = 1000;

  // Throws ConfigError naming the address when it cannot listen there.
  HttpEndpoint(const ListenAddress& address, Handlers handlers);
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // The port it listens on (the one asked for, or the one the kernel chose
  // for port 0).
  int port() const { return port_; }

 private:
  struct Server;  // Asio's io_context, acceptor and connections
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace jobhost::observe
