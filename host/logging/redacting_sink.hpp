// RedactingSink: a sink in front of another that replaces every configured
// secret (a node URL's password or query values, a header's value) in each
// message with "***" before it is written, whatever wrote the message — the
// host, a plugin (in this process or through its worker), a chain SDK, or a
// node's error text that echoed a request.
//
// Thread-safety: as the sink it wraps (the secrets are fixed at
// construction).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <spdlog/sinks/sink.h>

namespace jobhost::logging {

class RedactingSink final : public spdlog::sinks::sink {
 public:
  RedactingSink(spdlog::sink_ptr inner, std::vector<std::string> secrets);

  void log(const spdlog::details::log_msg& message) override;
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  spdlog::sink_ptr inner_;
  std::vector<std::string> secrets_;
};

// `text` with every secret replaced by "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);

// `sink` itself when there are no secrets, else a RedactingSink in front of it.
spdlog::sink_ptr redacting(spdlog::sink_ptr sink, const std::vector<std::string>& secrets);

}  // namespace jobhost::logging
