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

std::vector<std::string> read_inbox_file(const std::filesystem::path& file, jobhost::Logger& log) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::vector<std::string> hashes;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string_view text = jobhost::trim(line);
    if (text.empty() || text.starts_with('#')) continue;
    if (auto hash = normalise_tx_hash(text)) {
      hashes.push_back(std::move(*hash));
    } else {
      log.warn(file.string() + " line " + std::to_string(number) +
               ": not a transaction hash (expected 0x and 64 hex digits); line skipped");
    }
  }
  if (in.bad()) throw std::runtime_error("cannot read " + file.string());
  return hashes;
}

}  // namespace tx_watch
