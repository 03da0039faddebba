#include "logging/redacting_sink.hpp"

#include <algorithm>

#include <spdlog/details/log_msg.h>

namespace jobhost::logging {

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

RedactingSink::RedactingSink(spdlog::sink_ptr inner, std::vector<std::string> secrets)
    : inner_(std::move(inner)), secrets_(std::move(secrets)) {
  // The longest first: a secret that contains another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void RedactingSink::log(const spdlog::details::log_msg& message) {
  const std::string_view payload(message.payload.data(), message.payload.size());
  const bool holds_secret = std::any_of(secrets_.begin(), secrets_.end(), [&](const std::string& secret) {
    return payload.find(secret) != std::string_view::npos;
  });
  if (!holds_secret) {
    inner_->log(message);
    return;
  }
  const std::string redacted = redact(std::string(payload), secrets_);
  spdlog::details::log_msg copy = message;
  copy.payload = spdlog::string_view_t(redacted.data(), redacted.size());
  inner_->log(copy);
}

spdlog::sink_ptr redacting(spdlog::sink_ptr sink, const std::vector<std::string>& secrets) {
  if (secrets.empty()) return sink;
  return std::make_shared<RedactingSink>(std::move(sink), secrets);
}

}  // namespace jobhost::logging
