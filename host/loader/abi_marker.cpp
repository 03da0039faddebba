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

std::string describe(const AbiVersion& abi) {
  return "SDK " + std::to_string(abi.sdk_major) + "." + std::to_string(abi.sdk_minor) + ", g++ " +
         std::to_string(abi.compiler_major) + ", _GLIBCXX_USE_CXX11_ABI=" + std::to_string(abi.cxx11_abi);
}

bool compatible(const AbiVersion& plugin, const AbiVersion& host) {
  return plugin.sdk_major == host.sdk_major && plugin.sdk_minor <= host.sdk_minor &&
         plugin.compiler_major == host.compiler_major && plugin.cxx11_abi == host.cxx11_abi;
}

}  // namespace jobhost::loader
