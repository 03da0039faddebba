#include "isolation/isolation_mode.hpp"

#include "jobhost/error.hpp"

namespace jobhost::isolation {

Isolation parse_isolation(std::string_view text, const std::string& key) {
  if (text == "process") return Isolation::process;
  if (text == "none") return Isolation::none;
  throw ConfigError(key + ": \"" + std::string(text) + "\" is not an isolation mode (expected process or none)");
}

}  // namespace jobhost::isolation
