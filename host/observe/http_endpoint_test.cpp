#include "observe/http_endpoint.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "jobhost/error.hpp"

namespace jobhost::observe {
namespace {

HttpEndpoint::Handlers handlers(std::vector<std::string> problems = {}) {
  return {[] { return std::string("jobhost_plugins_loaded 1\n"); }, [] { return std::string("[]\n"); },
          [problems] { return problems; }};
}

TEST(HttpEndpoint, ServesMetricsJobsAndHealthOnLoopback) {
  HttpEndpoint endpoint({"127.0.0.1", 0}, handlers());
  httplib::Client client("127.0.0.1", endpoint.port());
  const auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->body, "jobhost_plugins_loaded 1\n");
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto jobs = client.Get("/jobs");
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->body, "[]\n");
  EXPECT_EQ(jobs->get_header_value("Content-Type"), "application/json");
  const auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->body, "ok\n");
  EXPECT_EQ(client.Get("/nothing")->status, 404);
}

TEST(HttpEndpoint, ReadinessIs503WithEachProblemOnALine) {
  HttpEndpoint ready({"127.0.0.1", 0}, handlers());
  const auto yes = httplib::Client("127.0.0.1", ready.port()).Get("/readyz");
  ASSERT_TRUE(yes);
  EXPECT_EQ(yes->status, 200);
  EXPECT_EQ(yes->body, "ready\n");
  HttpEndpoint degraded({"127.0.0.1", 0}, handlers({"plugin-dir /x is not a directory any more", "plugin a is quarantined"}));
  const auto no = httplib::Client("127.0.0.1", degraded.port()).Get("/readyz");
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 503);
  EXPECT_EQ(no->body, "not ready:\n- plugin-dir /x is not a directory any more\n- plugin a is quarantined\n");
}

TEST(HttpEndpoint, IsReadOnly) {
  HttpEndpoint endpoint({"127.0.0.1", 0}, handlers());
  httplib::Client client("127.0.0.1", endpoint.port());
  const auto posted = client.Post("/metrics", "x", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_NE(posted->status, 200);
}

TEST(HttpEndpoint, APortInUseIsAClearError) {
  HttpEndpoint first({"127.0.0.1", 0}, handlers());
  try {
    HttpEndpoint second({"127.0.0.1", first.port()}, handlers());
    FAIL() << "a second endpoint listened on the same port";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("http: cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": "), 0u)
        << e.what();
  }
}

// A client socket connected to the endpoint; -1 when it could not connect.
int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(HttpEndpoint, IdleAndSlowClientsDoNotStarveHealthOrDelayShutdown) {
  // Both ends of every connection are in this process.
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &files), 0);
  ASSERT_GE(files.rlim_cur, 1200u) << "needs descriptors for 520 connections at both ends";

  auto endpoint = std::make_unique<HttpEndpoint>(ListenAddress{"127.0.0.1", 0}, handlers());
  std::vector<int> idle;
  for (int i = 0; i < 500; ++i) idle.push_back(connect_to(endpoint->port()));
  std::vector<int> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(connect_to(endpoint->port()));
    ASSERT_GE(slow.back(), 0);
  }
  // The slow ones send a header line every 300 ms, never ending the request.
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int line = 0; !done; ++line) {
      for (const int fd : slow) {
        const std::string text = line == 0 ? "GET /metrics HTTP/1.1\r\n" : "X-Slow-" + std::to_string(line) + ": 1\r\n";
        ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  httplib::Client client("127.0.0.1", endpoint->port());
  client.set_connection_timeout(std::chrono::seconds(2));
  std::vector<double> waits_ms;
  for (int i = 0; i < 28; ++i) {  // across the request deadline (5 s)
    const auto asked = std::chrono::steady_clock::now();
    const auto health = client.Get("/healthz");
    waits_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked).count());
    ASSERT_TRUE(health) << "no answer at try " << i;
    EXPECT_EQ(health->body, "ok\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // A starved request would wait for a slow client's deadline (seconds); a loaded machine
  // (sanitizers, tests in parallel) may delay any one answer by a scheduling slice or two.
  for (std::size_t i = 0; i < waits_ms.size(); ++i) EXPECT_LT(waits_ms[i], 1000.0) << "try " << i;
  std::vector<double> sorted = waits_ms;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_LT(sorted[sorted.size() / 2], 100.0) << "median wait";

  const auto stopping = std::chrono::steady_clock::now();
  endpoint.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(1)) << "open connections held it";
  done = true;
  trickle.join();
  for (const int fd : idle) ::close(fd);
  for (const int fd : slow) ::close(fd);
}

TEST(HttpEndpoint, ARequestNotWholeWithinTheDeadlineIsCutOff) {
  HttpEndpoint endpoint({"127.0.0.1", 0}, handlers());
  const int fd = connect_to(endpoint.port());
  ASSERT_GE(fd, 0);
  const std::string start = "GET /healthz HTTP/1.1\r\n";
  ::send(fd, start.data(), start.size(), MSG_NOSIGNAL);
  pollfd readable{fd, POLLIN, 0};
  const auto waited = std::chrono::steady_clock::now();
  ASSERT_EQ(::poll(&readable, 1, 10000), 1);
  char byte;
  EXPECT_EQ(::recv(fd, &byte, 1, 0), 0) << "closed, not answered";
  const auto after = std::chrono::steady_clock::now() - waited;
  EXPECT_GE(after, HttpEndpoint::kRequestDeadline - std::chrono::milliseconds(200));
  EXPECT_LT(after, HttpEndpoint::kRequestDeadline + std::chrono::seconds(2));
  ::close(fd);
}

}  // namespace
}  // namespace jobhost::observe
