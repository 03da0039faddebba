#include "loader/elf_precheck.hpp"

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {
namespace {

#if defined(__x86_64__)
constexpr std::uint16_t kMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr std::uint16_t kMachine = EM_AARCH64;
#else
#error "jobhost: add this machine's ELF e_machine value"
#endif

// True when [offset, offset + size) lies inside a file of `file_size` bytes,
// without overflowing.
bool fits(std::uint64_t offset, std::uint64_t size, std::uint64_t file_size) {
  return offset <= file_size && size <= file_size - offset;
}

template <class T>
void read_at(std::ifstream& in, std::uint64_t offset, T* out, std::size_t count = 1) {
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(sizeof(T) * count));
  if (!in) throw PluginLoadError("cannot read the file");
}

}  // namespace

void precheck_elf(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) throw PluginLoadError("cannot read the file: " + ec.message());
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PluginLoadError("cannot open the file");

  unsigned char ident[EI_NIDENT] = {};
  if (size < EI_NIDENT) throw PluginLoadError("not an ELF file (too short)");
  read_at(in, 0, ident, EI_NIDENT);
  if (std::memcmp(ident, ELFMAG, SELFMAG) != 0) throw PluginLoadError("not an ELF file");
  if (ident[EI_CLASS] != ELFCLASS64 || ident[EI_DATA] != ELFDATA2LSB) {
    throw PluginLoadError("ELF file for another architecture (expected 64-bit little-endian)");
  }
  if (size < sizeof(Elf64_Ehdr)) throw PluginLoadError("truncated ELF file (no complete header)");
  Elf64_Ehdr header;
  read_at(in, 0, &header);
  if (header.e_type != ET_DYN) throw PluginLoadError("not a shared library (ELF type is not ET_DYN)");
  if (header.e_machine != kMachine) throw PluginLoadError("ELF file for another machine type");

  if (header.e_phentsize != sizeof(Elf64_Phdr) ||
      !fits(header.e_phoff, std::uint64_t{header.e_phnum} * sizeof(Elf64_Phdr), size)) {
    throw PluginLoadError("truncated ELF file (program headers out of bounds)");
  }
  std::vector<Elf64_Phdr> segments(header.e_phnum);
  if (!segments.empty()) read_at(in, header.e_phoff, segments.data(), segments.size());
  for (const auto& segment : segments) {
    if (segment.p_type == PT_LOAD && !fits(segment.p_offset, segment.p_filesz, size)) {
      throw PluginLoadError("truncated ELF file (a loadable segment extends past the end of the file)");
    }
  }

  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0 ||
      !fits(header.e_shoff, std::uint64_t{header.e_shnum} * sizeof(Elf64_Shdr), size)) {
    throw PluginLoadError("truncated ELF file (section headers out of bounds)");
  }
  if (header.e_shstrndx >= header.e_shnum) throw PluginLoadError("malformed ELF file (no section name table)");
  Elf64_Shdr names;
  read_at(in, header.e_shoff + std::uint64_t{header.e_shstrndx} * sizeof(Elf64_Shdr), &names);
  if (names.sh_size == 0 || !fits(names.sh_offset, names.sh_size, size)) {
    throw PluginLoadError("truncated ELF file (section name table out of bounds)");
  }
  char last = 1;
  read_at(in, names.sh_offset + names.sh_size - 1, &last);
  if (last != '\0') throw PluginLoadError("malformed ELF file (section name table is not terminated)");
}

}  // namespace jobhost::loader
