// confirmed.jsonl: the append-only record of finished transactions, one JSON
// object per line, e.g.
//   {"chain":"main","tx":"0xab…","status":"success","block":17,"confirmations":3}
//   {"chain":"main","tx":"0xcd…","status":"dropped","block":null,"confirmations":0}
// A transaction is reported at most once, whatever the chain: the hashes
// already in the file are kept in memory and checked before every append.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

#include "jobhost/logger.hpp"
#include "verdict.hpp"

namespace tx_watch {

// The line (with its newline) that reports `hash` as finished on `chain`.
std::string json_line(std::string_view chain, std::string_view hash, const Verdict& verdict);

class ConfirmedLog {
 public:
  // Reads `file`, creating it empty when missing. A partial last line, left
  // by a crash in the middle of an append, is cut off (with a warning) so the
  // next append starts on a line of its own.
  ConfirmedLog(std::filesystem::path file, jobhost::Logger& log);

  bool contains(const std::string& hash) const { return hashes_.count(hash) != 0; }

  // Appends the line for `hash` with a single write() and fsyncs it.
  void append(std::string_view chain, const std::string& hash, const Verdict& verdict);

 private:
  std::filesystem::path file_;
  std::unordered_set<std::string> hashes_;
};

}  // namespace tx_watch
