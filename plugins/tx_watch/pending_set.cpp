#include "pending_set.hpp"

#include <charconv>
#include <fstream>

#include "durable_file.hpp"
#include "tx_hash.hpp"

namespace tx_watch {

PendingSet load_pending(const std::filesystem::path& file, jobhost::Logger& log) {
  PendingSet pending;
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto space = line.find(' ');
    const auto hash = normalise_tx_hash(std::string_view(line).substr(0, space));
    std::int64_t seen = 0;
    const char* end = line.data() + line.size();
    bool valid = hash && space != std::string::npos;
    if (valid) {
      auto [stop, error] = std::from_chars(line.data() + space + 1, end, seen);
      valid = error == std::errc() && stop == end;
    }
    if (!valid) {
      log.warn(file.string() + " line " + std::to_string(number) + ": expected \"HASH UNIX_SECONDS\"; line ignored");
      continue;
    }
    pending.emplace(*hash, seen);
  }
  return pending;
}

void save_pending(const std::filesystem::path& file, const PendingSet& pending) {
  std::string content;
  for (const auto& [hash, seen] : pending) content += hash + ' ' + std::to_string(seen) + '\n';
  replace_file_atomically(file, content);
}

}  // namespace tx_watch
