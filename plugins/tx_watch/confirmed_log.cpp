#include "confirmed_log.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "durable_file.hpp"
#include "tx_hash.hpp"

namespace tx_watch {
namespace {

// `text` as a JSON string literal.
std::string json_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

const char* status_text(Outcome outcome) {
  switch (outcome) {
    case Outcome::success: return "success";
    case Outcome::failed: return "failed";
    case Outcome::dropped: return "dropped";
  }
  return "?";
}

// The hash in a line this class wrote, or nothing.
std::optional<std::string> tx_of(std::string_view line) {
  constexpr std::string_view kKey = "\"tx\":\"";
  const auto start = line.find(kKey);
  if (start == std::string_view::npos) return std::nullopt;
  const auto value = line.substr(start + kKey.size());
  return normalise_tx_hash(value.substr(0, value.find('"')));
}

}  // namespace

std::string json_line(std::string_view chain, std::string_view hash, const Verdict& verdict) {
  return "{\"chain\":" + json_string(chain) + ",\"tx\":" + json_string(hash) + ",\"status\":\"" +
         status_text(verdict.outcome) + "\",\"block\":" + (verdict.block ? std::to_string(*verdict.block) : "null") +
         ",\"confirmations\":" + std::to_string(verdict.confirmations) + "}\n";
}

ConfirmedLog::ConfirmedLog(std::filesystem::path file, jobhost::Logger& log) : file_(std::move(file)) {
  if (!std::filesystem::exists(file_)) {
    replace_file_atomically(file_, "");
    return;
  }
  std::ifstream in(file_, std::ios::binary);
  std::string content(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) throw std::runtime_error("cannot read " + file_.string());

  if (!content.empty() && content.back() != '\n') {
    const auto end = content.rfind('\n') + 1;  // 0 when there is no newline at all
    log.warn(file_.string() + " ends with a partial line (" + std::to_string(content.size() - end) +
             " bytes, from an interrupted append); cutting it off");
    truncate_durably(file_, end);
    content.resize(end);
  }

  std::string_view rest = content;
  for (int number = 1; !rest.empty(); ++number) {
    const auto newline = rest.find('\n');
    const std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    if (auto hash = tx_of(line)) {
      hashes_.insert(std::move(*hash));
    } else {
      log.warn(file_.string() + " line " + std::to_string(number) + ": no \"tx\" hash; line ignored");
    }
  }
}

void ConfirmedLog::append(std::string_view chain, const std::string& hash, const Verdict& verdict) {
  append_durably(file_, json_line(chain, hash, verdict));
  hashes_.insert(hash);
}

}  // namespace tx_watch
