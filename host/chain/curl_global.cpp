#include "chain/curl_global.hpp"

#include <string>

#include <curl/curl.h>

#include "jobhost/error.hpp"

namespace jobhost::chain {

CurlGlobal::CurlGlobal() {
  const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    throw Error(std::string("libcurl could not initialise: ") + curl_easy_strerror(code));
  }
}

CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

}  // namespace jobhost::chain
