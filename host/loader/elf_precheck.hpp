// A structural check of a plugin file before anything parses or maps it.
//
// boost::dll::library_info trusts the offsets in an ELF file, and dlopen maps
// segments without checking that the file is long enough (touching a page past
// the end of a truncated file raises SIGBUS). This check makes sure both only
// ever see a well-formed shared object for this machine.
#pragma once

#include <filesystem>

namespace jobhost::loader {

// Throws PluginLoadError ("not an ELF file", "truncated ELF file: ...", "not a
// shared library", ...) when `file` is not a well-formed shared object for
// this machine.
void precheck_elf(const std::filesystem::path& file);

}  // namespace jobhost::loader
