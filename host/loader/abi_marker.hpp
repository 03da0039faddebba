// The ABI marker a plugin carries (see sdk_api/include/jobhost/export.hpp):
// an ELF section named "jobhost_abi.sdk_MAJOR_MINOR.gcc_N.cxx11abi_N".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobhost::loader {

struct AbiVersion {
  int sdk_major = 0;
  int sdk_minor = 0;
  int compiler_major = 0;
  int cxx11_abi = 0;

  friend bool operator==(const AbiVersion&, const AbiVersion&) = default;
};

// The ABI this host was built with.
AbiVersion host_abi();

// Parses a section name; nothing when it is not an ABI marker.
std::optional<AbiVersion> parse_abi_section(std::string_view section_name);

// Nothing when a plugin built for `plugin` can be loaded into a host built
// for `host` (same SDK major, the plugin's minor not newer, same compiler
// major, same C++11 string ABI); else what is wrong and what to do, e.g.
// "built against SDK 1.1, this host provides SDK 1.0: upgrade jobhost or
// build against SDK 1.0".
std::optional<std::string> incompatibility(const AbiVersion& plugin, const AbiVersion& host);

}  // namespace jobhost::loader
