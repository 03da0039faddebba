// How to reach one chain node: the [chain.NAME] section of the configuration.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace jobhost::chain {

struct ChainOptions {
  std::string name;  // the configured name, used in messages
  std::string url;   // http:// or https://; may carry credentials (never logged)
  std::chrono::milliseconds timeout{10000};  // per HTTP request, connect included
  // Extra HTTP headers, e.g. {"Authorization", "Bearer ..."} (values never logged).
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t batch_size = 100;  // JSON-RPC calls per HTTP request
  int transport_retries = 2;     // further attempts after a transport error
  std::chrono::milliseconds retry_backoff{250};  // before the first retry; doubles each time
  std::size_t max_reply_bytes = 32 * 1024 * 1024;  // a longer reply is a TransportError
};

}  // namespace jobhost::chain
