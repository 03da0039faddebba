#include "observe/http_endpoint.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

#include "common/thread_name.hpp"
#include "jobhost/error.hpp"

namespace jobhost::observe {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// How long an answer may take to go out (a /metrics body of 10,000 jobs is
// tens of megabytes).
constexpr std::chrono::seconds kWriteDeadline{30};
// A GET's header is small, and it has no body (a small one is read, to be
// refused with 405 rather than cut off).
constexpr std::uint32_t kHeaderLimit = 8 * 1024;
constexpr std::uint64_t kBodyLimit = 1024;

http::response<http::string_body> answer(const http::request<http::string_body>& request,
                                         const HttpEndpoint::Handlers& handlers) {
  http::response<http::string_body> response{http::status::ok, request.version()};
  response.keep_alive(request.keep_alive());
  const auto reply = [&](http::status status, const char* type, std::string body) {
    response.result(status);
    response.set(http::field::content_type, type);
    response.body() = std::move(body);  // moved, not copied
    response.prepare_payload();
    return std::move(response);
  };
  if (request.method() != http::verb::get) {
    response.set(http::field::allow, "GET");
    return reply(http::status::method_not_allowed, "text/plain", "read-only: GET only\n");
  }
  const beast::string_view target = request.target();
  if (target == "/healthz") return reply(http::status::ok, "text/plain", "ok\n");
  if (target == "/metrics") {
    return reply(http::status::ok, "text/plain; version=0.0.4; charset=utf-8", handlers.metrics());
  }
  if (target == "/jobs") return reply(http::status::ok, "application/json", handlers.jobs());
  if (target == "/readyz") {
    const std::vector<std::string> problems = handlers.readiness();
    if (problems.empty()) return reply(http::status::ok, "text/plain", "ready\n");
    std::string text = "not ready:\n";
    for (const auto& problem : problems) text += "- " + problem + "\n";
    return reply(http::status::service_unavailable, "text/plain", std::move(text));
  }
  return reply(http::status::not_found, "text/plain", "not found (try /metrics, /jobs, /healthz or /readyz)\n");
}

// The answer, or 500 when rendering it threw (the endpoint goes on).
http::response<http::string_body> answer_safely(const http::request<http::string_body>& request,
                                                const HttpEndpoint::Handlers& handlers) {
  try {
    return answer(request, handlers);
  } catch (const std::exception& e) {
    http::response<http::string_body> response{http::status::internal_server_error, request.version()};
    response.set(http::field::content_type, "text/plain");
    response.body() = std::string("cannot render the answer: ") + e.what() + "\n";
    response.prepare_payload();
    return response;
  }
}

}  // namespace

struct HttpEndpoint::Server {
  explicit Server(Handlers handlers) : handlers(std::move(handlers)) {}

  const Handlers handlers;
  std::size_t connections = 0;  // open now; only the Asio thread touches it
  asio::io_context io{1};       // after `connections`: its connections go first
  tcp::acceptor acceptor{io};
  asio::steady_timer pause{io};  // between accepts that failed

  // One client's connection: requests read whole within the deadline,
  // answered in turn.
  class Connection : public std::enable_shared_from_this<Connection> {
   public:
    Connection(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
      ++server_.connections;
    }
    ~Connection() { --server_.connections; }

    void read() {
      parser_.emplace();
      parser_->header_limit(kHeaderLimit);
      parser_->body_limit(kBodyLimit);
      stream_.expires_after(kRequestDeadline);
      http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, std::size_t) {
        if (!error) self->write(answer_safely(self->parser_->get(), self->server_.handlers));
      });  // on an error (deadline, close, bad request) the connection goes
    }

   private:
    void write(http::response<http::string_body> response) {
      response_ = std::move(response);
      stream_.expires_after(kWriteDeadline);
      http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code error, std::size_t) {
        if (error) return;
        if (self->response_.keep_alive()) {
          self->read();
        } else {
          beast::error_code ignored;
          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
      });
    }

    Server& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
  };

  void accept() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error == asio::error::operation_aborted) return;
      if (error) {
        // Out of descriptors, say: try again shortly rather than spin.
        pause.expires_after(std::chrono::milliseconds(100));
        pause.async_wait([this](beast::error_code waited) {
          if (!waited) accept();
        });
        return;
      }
      // Past the cap, a new connection is closed at once: the open ones
      // each go within the deadline.
      if (connections < kMaxConnections) std::make_shared<Connection>(*this, std::move(socket))->read();
      accept();
    });
  }
};

HttpEndpoint::HttpEndpoint(const ListenAddress& address, Handlers handlers)
    : server_(std::make_unique<Server>(std::move(handlers))) {
  beast::error_code error;
  const auto ip = asio::ip::make_address(address.host, error);
  const auto fail = [&](const std::string& why) {
    throw ConfigError("http: cannot listen on " + address.to_string() + ": " + why);
  };
  if (error) fail(error.message());
  const tcp::endpoint at(ip, static_cast<unsigned short>(address.port));
  auto& acceptor = server_->acceptor;
  acceptor.open(at.protocol(), error);
  // Address reuse lets a restart bind at once; no SO_REUSEPORT, which would
  // let a second daemon share the port silently.
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(at, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) fail(error.message());
  port_ = acceptor.local_endpoint().port();
  server_->accept();
  thread_ = std::thread([this] {
    name_this_thread("http");
    server_->io.run();
  });
}

HttpEndpoint::~HttpEndpoint() {
  // Closes every connection, idle or not, without waiting for any.
  server_->io.stop();
  thread_.join();
}

}  // namespace jobhost::observe
