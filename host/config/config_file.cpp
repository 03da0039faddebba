#include "config/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <sstream>

#include <boost/program_options/parsers.hpp>

#include "config/keys.hpp"
#include "jobhost/error.hpp"

namespace jobhost::config {
namespace {

// `text` with control characters and bytes outside ASCII escaped (\x00), so
// that a message about a binary file stays one printable line.
std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

// The file's bytes: a regular file of at most kMaxConfigFileBytes.
std::string read_bounded(const std::filesystem::path& file, const std::string& origin) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw ConfigError(origin + ": cannot be read (" + std::strerror(errno) + ")");
  struct stat status {};
  std::string text;
  try {
    if (::fstat(fd, &status) != 0) throw ConfigError(origin + ": cannot be read (" + std::strerror(errno) + ")");
    if (!S_ISREG(status.st_mode)) throw ConfigError(origin + ": not a regular file (expected an INI file)");
    // One more byte than allowed tells a file that grew past the limit.
    text.resize(kMaxConfigFileBytes + 1);
    std::size_t got = 0;
    while (got < text.size()) {
      const auto n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw ConfigError(origin + ": cannot be read (" + std::strerror(errno) + ")");
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (got > kMaxConfigFileBytes) {
      throw ConfigError(origin + ": larger than " + std::to_string(kMaxConfigFileBytes / 1024) +
                        " KiB (expected an INI file)");
    }
    text.resize(got);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return text;
}

// Boost's reading of a line: the part before any '#', without blanks at the ends.
std::string_view content_of(std::string_view line) {
  line = line.substr(0, line.find('#'));
  constexpr std::string_view kBlank = " \t\r\n";
  const auto first = line.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  return line.substr(first, line.find_last_not_of(kBlank) - first + 1);
}

// A section or a key written twice is a mistake (the second would silently
// win): refused naming both lines. Multi-valued keys (plugin-dir, headers)
// may repeat. Also names the line Boost would refuse without saying where.
void check_lines(const std::string& text, const std::string& origin) {
  std::map<std::string, int> sections;  // "[name]" -> first line
  std::map<std::string, int> keys;      // full key -> first line
  std::string prefix;
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    const std::string_view content = content_of(line);
    if (content.empty()) continue;
    const std::string at = origin + ": line " + std::to_string(number) + ": ";
    if (content.front() == '[' && content.back() == ']') {
      const std::string section(content.substr(1, content.size() - 2));
      const auto [first, inserted] = sections.emplace(section, number);
      if (!inserted) {
        throw ConfigError(at + "section [" + printable(section) + "] again (first at line " +
                          std::to_string(first->second) + "; merge them)");
      }
      prefix = section.empty() || section.back() == '.' ? section : section + ".";
      continue;
    }
    const auto equals = content.find('=');
    if (equals == std::string_view::npos) {
      throw ConfigError(at + "expected KEY = VALUE or [SECTION], got \"" + printable(content) + "\"");
    }
    const std::string key = prefix + std::string(content_of(content.substr(0, equals)));
    if (is_multi_valued(key)) continue;
    const auto [first, inserted] = keys.emplace(key, number);
    if (!inserted) {
      throw ConfigError(at + printable(key) + " is set again (first at line " + std::to_string(first->second) +
                        "; keep one)");
    }
  }
}

}  // namespace

Config read_config_file(const std::filesystem::path& file) {
  const std::string origin = "config file " + file.string();
  const std::string text = read_bounded(file, origin);
  check_lines(text, origin);

  namespace po = boost::program_options;
  po::parsed_options parsed(nullptr);
  try {
    // No option is declared: every key arrives "unregistered" and is checked
    // by check_key, which knows the dotted key space.
    const po::options_description none;
    std::istringstream in(text);
    parsed = po::parse_config_file(in, none, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    throw ConfigError(origin + ": " + printable(e.what()));
  }
  Config config;
  for (const auto& option : parsed.options) {
    check_key(printable(option.string_key), origin);
    for (const auto& value : option.value) {
      if (is_multi_valued(option.string_key)) {
        config.add(option.string_key, value);
      } else {
        config.set(option.string_key, value);
      }
    }
  }
  return config;
}

}  // namespace jobhost::config
