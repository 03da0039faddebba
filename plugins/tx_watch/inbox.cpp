#include "inbox.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include "jobhost/text.hpp"
#include "tx_hash.hpp"

namespace tx_watch {
namespace {

bool is_complete(const std::filesystem::directory_entry& entry) {
  const std::string name = entry.path().filename().string();
  return entry.is_regular_file() && !name.starts_with('.') && !name.ends_with(".tmp");
}

}  // namespace

std::vector<std::filesystem::path> list_inbox(const std::filesystem::path& inbox) {
  std::filesystem::create_directories(inbox);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(inbox)) {
    if (is_complete(entry)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

FileIdentity file_identity(const std::filesystem::path& file) {
  std::error_code error;
  FileIdentity identity;
  identity.size = std::filesystem::file_size(file, error);
  if (error) return {};
  identity.modified = std::filesystem::last_write_time(file, error);
  if (error) return {};
  return identity;
}

bool is_ready_to_read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return true;  // read_inbox_file says why
  const std::streamoff size = in.tellg();
  if (size <= 0) return true;
  in.seekg(size - 1);
  char last = '\n';
  in.get(last);
  if (last == '\n') return true;
  std::error_code error;
  const auto modified = std::filesystem::last_write_time(file, error);
  return !error && std::filesystem::file_time_type::clock::now() - modified >= kQuietBeforeUnfinishedLine;
}

std::vector<std::string> read_inbox_file(const std::filesystem::path& file, jobhost::Logger& log) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::vector<std::string> hashes;
  std::size_t invalid = 0;
  std::string examples;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string_view text = jobhost::trim(line);
    if (text.empty() || text.starts_with('#')) continue;
    if (auto hash = normalise_tx_hash(text)) {
      hashes.push_back(std::move(*hash));
    } else if (++invalid <= kInvalidLinesShown) {
      constexpr std::size_t kShownBytes = 80;
      examples += (invalid == 1 ? "" : ", ") + std::string("line ") + std::to_string(number) + " " +
                  jobhost::quote(text.substr(0, kShownBytes)) + (text.size() > kShownBytes ? "..." : "");
    }
  }
  if (in.bad()) throw std::runtime_error("cannot read " + file.string());
  if (invalid > 0) {
    log.warn(file.string() + ": " + std::to_string(invalid) + (invalid == 1 ? " line is" : " lines are") +
             " not a transaction hash (expected 0x and 64 hex digits) and skipped: " + examples +
             (invalid > kInvalidLinesShown ? ", ..." : ""));
  }
  return hashes;
}

}  // namespace tx_watch
