#include "chain/eth_chain_client.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <curl/curl.h>

#include "jobhost/error.hpp"
#include "chain/json_rpc.hpp"
#include "chain/redact.hpp"

namespace jobhost::chain {
namespace {

using detail::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Idle handles kept for reuse (each holds its own keep-alive connection);
// more than this many concurrent callers get handles that are closed after use.
constexpr std::size_t kMaxIdleHandles = 16;
// Backoff stops doubling here (unless the configured start is longer).
constexpr milliseconds kMaxBackoff{60000};
// Shorter secrets are not scrubbed from messages: replacing every "abc" would
// garble them, and such values protect nothing anyway.
constexpr std::size_t kMinSecretLength = 4;

// A TransportError that another attempt may cure: a curl failure, a timeout,
// HTTP 429 or 5xx. It never leaves this file (post() converts it).
class RetryableError : public TransportError {
 public:
  using TransportError::TransportError;
};

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// Where one transfer's reply goes.
struct ReplySink {
  std::string body;
  std::size_t limit = 0;
  bool too_large = false;
  bool out_of_memory = false;
};

// CURLOPT_WRITEFUNCTION. Returning less than it was given aborts the
// transfer with CURLE_WRITE_ERROR. No exception may cross libcurl.
std::size_t write_reply(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<ReplySink*>(user);
  const std::size_t length = size * count;
  if (length > sink->limit - sink->body.size()) {  // body.size() <= limit always
    sink->too_large = true;
    return 0;
  }
  try {
    sink->body.append(data, length);
  } catch (const std::bad_alloc&) {
    sink->out_of_memory = true;
    return 0;
  }
  return length;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 token characters, the only ones allowed in a header name.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Letters, digits and "_.:-": every method name nodes use, and nothing that
// could need escaping in a message.
bool is_method_name(std::string_view text) {
  if (text.empty() || text.size() > 100) return false;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && std::string_view("_.:-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

void validate(const ChainOptions& options) {
  const std::string key = "chain." + options.name + ".";
  const std::string_view url = options.url;
  const bool http = starts_with_ignoring_case(url, "http://");
  const bool https = starts_with_ignoring_case(url, "https://");
  const bool has_host = url.size() > (https ? 8U : 7U) && url[https ? 8 : 7] != '/';
  const bool printable = std::all_of(url.begin(), url.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f;
  });
  if (!(http || https) || !has_host || !printable) {
    throw ConfigError(key + "url: " + detail::quote(redact_url(url)) +
                      " is not a URL starting with http:// or https:// followed by a host (no spaces)");
  }
  if (options.timeout <= milliseconds::zero()) {
    throw ConfigError(key + "timeout: must be longer than 0, got " + std::to_string(options.timeout.count()) + "ms");
  }
  if (options.batch_size < 1) throw ConfigError(key + "batch-size: must be at least 1, got 0");
  if (options.transport_retries < 0) {
    throw ConfigError(key + "transport-retries: must be 0 or more, got " + std::to_string(options.transport_retries));
  }
  if (options.retry_backoff < milliseconds::zero()) {
    throw ConfigError(key + "retry-backoff: must not be negative, got " + std::to_string(options.retry_backoff.count()) + "ms");
  }
  if (options.max_reply_bytes < 1) throw ConfigError(key + "max-reply-bytes: must be at least 1, got 0");
  for (std::size_t i = 0; i < options.headers.size(); ++i) {
    const auto& [name, value] = options.headers[i];
    if (!is_token(name)) {
      throw ConfigError(key + "headers: header #" + std::to_string(i + 1) + " has name " + detail::quote(name) +
                        ", expected letters, digits and !#$%&'*+-.^_`|~ only");
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      // Never the value itself: it is probably a credential.
      throw ConfigError(key + "headers: the value of header " + name + " contains a line break or NUL");
    }
  }
}

// Every piece of the options that may be a credential, longest first, to be
// cut out of any text that came from libcurl or the node.
std::vector<std::string> collect_secrets(const ChainOptions& options) {
  std::vector<std::string> secrets;
  auto add = [&](std::string_view value) {
    if (value.size() >= kMinSecretLength) secrets.emplace_back(value);
  };
  std::string_view url = options.url;
  url = url.substr(0, url.find('#'));
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  const auto authority = url.substr(0, url.find_first_of("/?"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const auto user_info = authority.substr(0, at);
    add(user_info);
    if (const auto colon = user_info.find(':'); colon != std::string_view::npos) add(user_info.substr(colon + 1));
  }
  if (const auto query_begin = url.find('?'); query_begin != std::string_view::npos) {
    std::string_view query = url.substr(query_begin + 1);
    while (!query.empty()) {
      const auto parameter = query.substr(0, query.find('&'));
      const auto eq = parameter.find('=');
      add(eq == std::string_view::npos ? parameter : parameter.substr(eq + 1));
      query.remove_prefix(std::min(query.size(), parameter.size() + 1));
    }
  }
  for (const auto& header : options.headers) {
    std::string_view value = header.second;
    add(value);
    // "Bearer TOKEN": the token alone may be echoed back too.
    while (!value.empty()) {
      const auto word = value.substr(0, value.find(' '));
      if (word.size() >= 8) add(word);
      value.remove_prefix(std::min(value.size(), word.size() + 1));
    }
  }
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  return secrets;
}

// "eth_getTransactionReceipt(0xabc...)" for a call whose only parameter is a
// string, else just the method.
std::string call_label(const std::string& method, const json& params) {
  if (params.is_array() && params.size() == 1 && params[0].is_string()) {
    return method + "(" + detail::sanitize(params[0].get_ref<const std::string&>(), 70) + ")";
  }
  return method;
}

TxInfo parse_receipt(const json& receipt, const std::string& hash, const std::string& context) {
  if (!receipt.is_object()) {
    throw TransportError(context + ": result is " + detail::kind_of(receipt) + ", expected a receipt object or null");
  }
  auto member = [&](const char* name) -> const json& {
    const auto found = receipt.find(name);
    if (found == receipt.end()) throw TransportError(context + ": receipt has no \"" + name + "\"");
    return *found;
  };
  const auto& tx_hash = member("transactionHash");
  if (!tx_hash.is_string() || !detail::is_hash(tx_hash.get_ref<const std::string&>()) ||
      lower_case(tx_hash.get_ref<const std::string&>()) != hash) {
    throw TransportError(context + ": receipt is for transaction " + detail::describe(tx_hash) + ", not the one asked for");
  }
  TxInfo info;
  const auto status = detail::parse_quantity(member("status"), "status", context);
  if (status > 1) {
    throw TransportError(context + ": status: expected \"0x0\" (failed) or \"0x1\" (success), got " +
                         detail::describe(member("status")));
  }
  info.status = status == 1 ? TxStatus::success : TxStatus::failed;
  info.block_number = detail::parse_quantity(member("blockNumber"), "blockNumber", context);
  const auto& block_hash = member("blockHash");
  if (!block_hash.is_string() || !detail::is_hash(block_hash.get_ref<const std::string&>())) {
    throw TransportError(context + ": blockHash: expected \"0x\" and 64 hex digits, got " + detail::describe(block_hash));
  }
  info.block_hash = block_hash.get<std::string>();
  info.gas_used = detail::parse_quantity(member("gasUsed"), "gasUsed", context);
  return info;
}

}  // namespace

class EthChainClient::Impl {
 public:
  Impl(ChainOptions options, std::shared_ptr<spdlog::logger> log)
      : options_(std::move(options)), log_(std::move(log)) {
    validate(options_);
    if (!log_) log_ = std::make_shared<spdlog::logger>("sdk." + options_.name);  // no sinks: silent
    chain_ = "chain " + options_.name;
    url_ = redact_url(options_.url);
    secrets_ = collect_secrets(options_);
    append_header("Content-Type: application/json");
    append_header("Accept: application/json");
    append_header("Expect:");  // no "100-continue" round trip before large batches
    for (const auto& [name, value] : options_.headers) {
      // "Name;" is libcurl's spelling of a header with an empty value.
      append_header(value.empty() ? name + ";" : name + ": " + value);
    }
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void connect() {
    const std::string context = chain_ + ": eth_chainId";
    chain_id_ = detail::parse_quantity(single("eth_chainId", json::array()), "result", context);
    log_->debug("{}: node at {} reports chain id {}", chain_, url_, chain_id_);
  }

  std::uint64_t chain_id() const { return chain_id_; }

  std::uint64_t block_number() {
    return detail::parse_quantity(single("eth_blockNumber", json::array()), "result", chain_ + ": eth_blockNumber");
  }

  std::vector<TxInfo> tx_infos(const std::vector<std::string>& hashes) {
    // Checked before anything is sent: a bad hash is the caller's mistake.
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      if (!detail::is_hash(hashes[i])) {
        throw ClientError(chain_ + ": tx_infos: hash #" + std::to_string(i + 1) + " " + detail::quote(hashes[i]) +
                          " is not \"0x\" followed by 64 hex digits");
      }
    }
    // Each distinct hash is asked about once, in lower case.
    std::vector<std::string> distinct;
    std::vector<std::size_t> slot_of(hashes.size());
    std::unordered_map<std::string, std::size_t> slots;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      auto key = lower_case(hashes[i]);
      const auto [it, inserted] = slots.emplace(key, distinct.size());
      if (inserted) distinct.push_back(std::move(key));
      slot_of[i] = it->second;
    }
    if (distinct.empty()) return {};

    // Round one: receipts. A mined transaction has one.
    std::vector<json> params;
    params.reserve(distinct.size());
    for (const auto& hash : distinct) params.push_back(json::array({hash}));
    const std::string receipt_method = "eth_getTransactionReceipt";
    const auto receipts = batch(receipt_method, params);
    std::vector<TxInfo> known(distinct.size());
    std::vector<std::size_t> unmined;
    for (std::size_t k = 0; k < distinct.size(); ++k) {
      if (receipts[k].is_null()) {
        unmined.push_back(k);
      } else {
        known[k] = parse_receipt(receipts[k], distinct[k], chain_ + ": " + call_label(receipt_method, params[k]));
      }
    }

    // Round two, for the rest: pending if the node knows the transaction.
    if (!unmined.empty()) {
      const std::string tx_method = "eth_getTransactionByHash";
      std::vector<json> tx_params;
      tx_params.reserve(unmined.size());
      for (const auto k : unmined) tx_params.push_back(json::array({distinct[k]}));
      const auto transactions = batch(tx_method, tx_params);
      for (std::size_t j = 0; j < unmined.size(); ++j) {
        const auto& tx = transactions[j];
        if (tx.is_null()) {
          known[unmined[j]].status = TxStatus::not_found;
        } else if (tx.is_object()) {
          known[unmined[j]].status = TxStatus::pending;
        } else {
          throw TransportError(chain_ + ": " + call_label(tx_method, tx_params[j]) + ": result is " + detail::kind_of(tx) +
                               ", expected a transaction object or null");
        }
      }
    }

    std::vector<TxInfo> infos;
    infos.reserve(hashes.size());
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      infos.push_back(known[slot_of[i]]);
      infos.back().hash = hashes[i];
    }
    return infos;
  }

  std::string call(const std::string& method, const std::string& params_json) {
    if (!is_method_name(method)) {
      throw ClientError(chain_ + ": call: " + detail::quote(method) +
                        " is not a JSON-RPC method name (letters, digits and _.:- only)");
    }
    json params = json::parse(params_json, nullptr, /*allow_exceptions=*/false);
    if (params.is_discarded() || !params.is_array()) {
      throw ClientError(chain_ + ": " + method + ": params must be a JSON array such as [\"0x1\", \"latest\"], got " +
                        detail::quote(params_json));
    }
    return single(method, std::move(params)).dump();
  }

 private:
  // Borrows a handle from the pool for one transfer.
  class Lease {
   public:
    explicit Lease(Impl& impl) : impl_(impl), handle_(impl.take_handle()) {}
    ~Lease() { impl_.return_handle(std::move(handle_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    CURL* get() const { return handle_.get(); }

   private:
    Impl& impl_;
    EasyHandle handle_;
  };

  void append_header(const std::string& line) {
    curl_slist* appended = curl_slist_append(headers_.get(), line.c_str());
    if (appended == nullptr) throw std::bad_alloc();
    if (!headers_) headers_.reset(appended);  // the first append creates the list
  }

  template <typename T>
  void set(CURL* handle, CURLoption option, T value) {
    const CURLcode code = curl_easy_setopt(handle, option, value);
    if (code != CURLE_OK) {
      throw TransportError(chain_ + ": libcurl refused an option: " + curl_easy_strerror(code));
    }
  }

  EasyHandle new_handle() {
    EasyHandle handle(curl_easy_init());
    if (!handle) throw TransportError(chain_ + ": libcurl could not create a handle");
    CURL* h = handle.get();
    set(h, CURLOPT_URL, options_.url.c_str());
    set(h, CURLOPT_HTTPHEADER, headers_.get());
    set(h, CURLOPT_POST, 1L);
    set(h, CURLOPT_NOSIGNAL, 1L);
    set(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an error, never followed
    set(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    set(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    set(h, CURLOPT_PROTOCOLS_STR, "http,https");
    set(h, CURLOPT_TCP_KEEPALIVE, 1L);
    set(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode; the limit counts decoded bytes
    set(h, CURLOPT_USERAGENT, "jobhost-chain-sdk");
    set(h, CURLOPT_WRITEFUNCTION, &write_reply);
    return handle;
  }

  EasyHandle take_handle() {
    {
      std::lock_guard lock(pool_mutex_);
      if (!idle_.empty()) {
        EasyHandle handle = std::move(idle_.back());
        idle_.pop_back();
        return handle;
      }
    }
    return new_handle();
  }

  void return_handle(EasyHandle handle) {
    std::lock_guard lock(pool_mutex_);
    if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
    // else: `handle` is cleaned up (its connection closed) on return
  }

  // `text` (from libcurl or the node) with every credential replaced by "***".
  std::string scrub(std::string text) const {
    for (const auto& secret : secrets_) {
      for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
        text.replace(at, secret.size(), "***");
      }
    }
    return text;
  }

  // One HTTP exchange. Returns the body of a 2xx reply; throws RetryableError
  // or TransportError. `label` names the call(s) in the debug log.
  std::string post_once(const std::string& body, const std::string& label, const std::string& context) {
    ReplySink sink;
    sink.limit = options_.max_reply_bytes;
    char error_buffer[CURL_ERROR_SIZE] = {};
    CURLcode code = CURLE_OK;
    long status = 0;
    const auto start = Clock::now();
    {
      Lease lease(*this);
      CURL* h = lease.get();
      set(h, CURLOPT_ERRORBUFFER, static_cast<char*>(error_buffer));
      set(h, CURLOPT_WRITEDATA, static_cast<void*>(&sink));
      set(h, CURLOPT_POSTFIELDS, body.data());
      set(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      code = curl_easy_perform(h);
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      // Nothing of this call may outlive it in the pooled handle.
      curl_easy_setopt(h, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
      curl_easy_setopt(h, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
    }
    const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
    const bool got_status = status != 0 && (code == CURLE_OK || sink.too_large);

    std::string failure;
    bool retryable = false;
    if (got_status && (status < 200 || status > 299)) {
      failure = "HTTP " + std::to_string(status) + " from " + url_;
      if (!sink.body.empty()) failure += ": " + detail::quote(scrub(sink.body));
      retryable = status == 429 || status >= 500;
    } else if (sink.too_large) {
      failure = "reply from " + url_ + " is larger than the limit of " + std::to_string(options_.max_reply_bytes) +
                " bytes";
    } else if (sink.out_of_memory) {
      failure = "out of memory reading the reply from " + url_;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      failure = "no complete reply from " + url_ + " within " + std::to_string(options_.timeout.count()) + "ms";
      retryable = true;
    } else if (code != CURLE_OK) {
      failure = "request to " + url_ + " failed: " + curl_easy_strerror(code);
      if (error_buffer[0] != '\0') failure += " (" + detail::sanitize(scrub(error_buffer), 200) + ")";
      retryable = code != CURLE_URL_MALFORMAT && code != CURLE_UNSUPPORTED_PROTOCOL && code != CURLE_OUT_OF_MEMORY &&
                  code != CURLE_BAD_FUNCTION_ARGUMENT;
    }

    if (failure.empty()) {
      log_->debug("{}: {} to {}: HTTP {}, {} bytes in {} ms", chain_, label, url_, status, sink.body.size(), elapsed);
      return std::move(sink.body);
    }
    log_->debug("{}: {} to {}: {} after {} ms", chain_, label, url_, failure, elapsed);
    if (retryable) throw RetryableError(context + ": " + failure);
    throw TransportError(context + ": " + failure);
  }

  // post_once with the configured retries and doubling backoff.
  std::string post(const std::string& body, const std::string& label, const std::string& context) {
    auto backoff = options_.retry_backoff;
    const int attempts = options_.transport_retries + 1;
    for (int attempt = 1;; ++attempt) {
      try {
        return post_once(body, label, context);
      } catch (const RetryableError& e) {
        if (attempt >= attempts) {
          if (attempts == 1) throw TransportError(e.what());
          throw TransportError(std::string(e.what()) + " (gave up after " + std::to_string(attempts) + " attempts)");
        }
        log_->warn("{}; retry {} of {} in {} ms", e.what(), attempt, options_.transport_retries, backoff.count());
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, std::max(options_.retry_backoff, kMaxBackoff));
      }
    }
  }

  json single(const std::string& method, json params) {
    const auto id = next_id_.fetch_add(1, std::memory_order_relaxed);
    const std::string context = chain_ + ": " + method;
    const auto body = post(detail::make_request(id, method, std::move(params)).dump(), method, context);
    const auto reply = detail::parse_body(body, context);
    return detail::single_result(reply, id, context);
  }

  // The results of method(params[i]) for every i, in order, batch_size calls
  // per HTTP request. Any error object is an RpcError for the whole lot.
  std::vector<json> batch(const std::string& method, const std::vector<json>& params) {
    std::vector<json> results;
    results.reserve(params.size());
    for (std::size_t begin = 0; begin < params.size();) {
      const std::size_t count = std::min(options_.batch_size, params.size() - begin);
      json request = json::array();
      std::vector<std::uint64_t> ids;
      ids.reserve(count);
      for (std::size_t i = begin; i < begin + count; ++i) {
        ids.push_back(next_id_.fetch_add(1, std::memory_order_relaxed));
        request.push_back(detail::make_request(ids.back(), method, params[i]));
      }
      const std::string label = "batch of " + std::to_string(count) + " " + method;
      const std::string context = chain_ + ": " + label;
      const auto body = post(request.dump(), label, context);
      const auto reply = detail::parse_body(body, context);
      const auto matched = detail::match_batch(reply, ids, context);
      for (std::size_t k = 0; k < count; ++k) {
        results.push_back(detail::result_of(*matched[k], chain_ + ": " + call_label(method, params[begin + k])));
      }
      begin += count;
    }
    return results;
  }

  ChainOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  std::string chain_;  // "chain NAME", the start of every message
  std::string url_;    // redacted: the only form of the URL that is ever printed
  std::vector<std::string> secrets_;
  std::uint64_t chain_id_ = 0;
  std::atomic<std::uint64_t> next_id_{1};
  HeaderList headers_;  // declared before idle_: handles point at it
  std::mutex pool_mutex_;
  std::vector<EasyHandle> idle_;
};

EthChainClient::EthChainClient(ChainOptions options, std::shared_ptr<spdlog::logger> log)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(log))) {
  impl_->connect();
}

EthChainClient::~EthChainClient() = default;

std::uint64_t EthChainClient::chain_id() { return impl_->chain_id(); }

std::uint64_t EthChainClient::block_number() { return impl_->block_number(); }

std::vector<TxInfo> EthChainClient::tx_infos(const std::vector<std::string>& hashes) { return impl_->tx_infos(hashes); }

std::string EthChainClient::call(const std::string& method, const std::string& params_json) {
  return impl_->call(method, params_json);
}

}  // namespace jobhost::chain
