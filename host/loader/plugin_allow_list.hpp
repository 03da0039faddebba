// PluginAllowList: the exact plugins a production host may load
// (--plugin-sha256 FILE). FILE holds lines as sha256sum(1) prints them:
//
//   HASH  NAME.so      (64 hex digits, two spaces, the file's name)
//   HASH *NAME.so      (sha256sum --binary)
//
// NAME is the name of the file in its plugin directory, without a directory.
// Empty lines and lines starting with # are ignored. A name may be listed more
// than once (while upgrading, say): any of its hashes is accepted.
//
// Thread-safety: immutable after reading; check() may be called from any
// thread.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace jobhost::loader {

class PluginAllowList {
 public:
  // Reads `file`. Throws ConfigError naming FILE:LINE and what was expected
  // for a malformed line, or FILE when it cannot be read.
  static PluginAllowList read(const std::filesystem::path& file);

  // The same for `text` read from `origin` (used in messages).
  static PluginAllowList parse(std::string_view text, const std::string& origin);

  // Throws PluginLoadError when `name` is not listed, or not with `sha256`;
  // the message names the hash and what the list expected.
  void check(const std::string& name, const std::string& sha256) const;

 private:
  std::string origin_;
  std::map<std::string, std::set<std::string>> hashes_;  // NAME.so -> lowercase hashes
};

}  // namespace jobhost::loader
