#include "observe/http_endpoint.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include "jobhost/error.hpp"

namespace jobhost::observe {
namespace {

HttpEndpoint::Handlers handlers() {
  return {[] { return std::string("jobhost_plugins_loaded 1\n"); }, [] { return std::string("[]\n"); }};
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

}  // namespace
}  // namespace jobhost::observe
