#include "loader/abi_marker.hpp"

#include <charconv>

#include "jobhost/version.hpp"

namespace jobhost::loader {
namespace {

// Reads a non-negative decimal number at the front of `text` and removes it.
bool take_number(std::string_view& text, int& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data() || value < 0) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

bool take_literal(std::string_view& text, std::string_view literal) {
  if (!text.starts_with(literal)) return false;
  text.remove_prefix(literal.size());
  return true;
}

}  // namespace

AbiVersion host_abi() {
  return AbiVersion{JOBHOST_SDK_VERSION_MAJOR, JOBHOST_SDK_VERSION_MINOR, __GNUC__, _GLIBCXX_USE_CXX11_ABI};
}

std::optional<AbiVersion> parse_abi_section(std::string_view name) {
  AbiVersion abi;
  if (take_literal(name, "jobhost_abi.sdk_") && take_number(name, abi.sdk_major) && take_literal(name, "_") &&
      take_number(name, abi.sdk_minor) && take_literal(name, ".gcc_") && take_number(name, abi.compiler_major) &&
      take_literal(name, ".cxx11abi_") && take_number(name, abi.cxx11_abi) && name.empty()) {
    return abi;
  }
  return std::nullopt;
}

std::optional<std::string> incompatibility(const AbiVersion& plugin, const AbiVersion& host) {
  const auto sdk = [](const AbiVersion& abi) {
    return "SDK " + std::to_string(abi.sdk_major) + "." + std::to_string(abi.sdk_minor);
  };
  if (plugin.sdk_major != host.sdk_major) {
    return "built against " + sdk(plugin) + ", this host provides " + sdk(host) + ": build it against SDK " +
           std::to_string(host.sdk_major) + ".x";
  }
  if (plugin.sdk_minor > host.sdk_minor) {
    return "built against " + sdk(plugin) + ", this host provides " + sdk(host) + ": upgrade jobhost or build against " +
           sdk(host);
  }
  if (plugin.compiler_major != host.compiler_major) {
    return "built with g++ " + std::to_string(plugin.compiler_major) + ", this host with g++ " +
           std::to_string(host.compiler_major) + ": build it with g++ " + std::to_string(host.compiler_major);
  }
  if (plugin.cxx11_abi != host.cxx11_abi) {
    return "built with _GLIBCXX_USE_CXX11_ABI=" + std::to_string(plugin.cxx11_abi) + ", this host with " +
           std::to_string(host.cxx11_abi) + ": build it with _GLIBCXX_USE_CXX11_ABI=" + std::to_string(host.cxx11_abi);
  }
  return std::nullopt;
}

}  // namespace jobhost::loader
