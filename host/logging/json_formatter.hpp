// A spdlog formatter that writes one JSON object per line:
//   {"time":"2026-03-09T09:00:00.123+00:00","level":"info","logger":"hello.greet","message":"..."}
#pragma once

#include <memory>

#include <spdlog/formatter.h>

namespace jobhost::logging {

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace jobhost::logging
