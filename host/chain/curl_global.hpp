// CurlGlobal: libcurl's process-wide set-up (curl_global_init) and tear-down.
// main() creates exactly one, before any thread starts, and destroys it after
// every client is gone. Not thread-safe, by libcurl's own rules.
#pragma once

namespace jobhost::chain {

class CurlGlobal {
 public:
  CurlGlobal();  // throws jobhost::Error when libcurl cannot initialise
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

}  // namespace jobhost::chain
