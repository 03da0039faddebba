#include "schedule/local_time.hpp"

#include <date/tz.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <exception>
#include <utility>

#include "jobhost/error.hpp"
#include "jobhost/text.hpp"

namespace jobhost::schedule {

using std::chrono::days;
using std::chrono::local_seconds;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

// A POSIX TZ rule such as "EST5EDT,M3.2.0,M11.1.0", as found in the footer of
// TZif files version 2 and later (RFC 8536), for instants after the last
// transition the file lists.
struct PosixDate {
  char kind = 'M';  // 'M' (month.week.weekday), 'J' (Julian day 1-365, no Feb 29) or 'n' (day 0-365)
  int month = 0;
  int week = 0;
  int weekday = 0;
  int day = 0;
  seconds time{7200};  // local time of the change, default 02:00
};

struct PosixRule {
  seconds std_offset{0};  // reading = t + offset
  seconds dst_offset{0};
  PosixDate start;
  PosixDate end;
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  std::optional<PosixRule> parse() {
    PosixRule rule;
    if (!name()) return std::nullopt;
    const auto std_value = offset();
    if (!std_value) return std::nullopt;
    rule.std_offset = -*std_value;
    if (pos_ == text_.size()) return std::nullopt;  // no DST: the database's last period is right
    if (!name()) return std::nullopt;
    rule.dst_offset = rule.std_offset + seconds{3600};
    if (pos_ < text_.size() && text_[pos_] != ',') {
      const auto dst_value = offset();
      if (!dst_value) return std::nullopt;
      rule.dst_offset = -*dst_value;
    }
    if (!eat(',') || !date(rule.start) || !eat(',') || !date(rule.end) || pos_ != text_.size()) return std::nullopt;
    return rule;
  }

 private:
  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool name() {
    if (eat('<')) {
      const std::size_t close = text_.find('>', pos_);
      if (close == std::string_view::npos) return false;
      pos_ = close + 1;
      return true;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && ((text_[pos_] >= 'A' && text_[pos_] <= 'Z') || (text_[pos_] >= 'a' && text_[pos_] <= 'z'))) {
      ++pos_;
    }
    return pos_ - start >= 3;
  }

  std::optional<int> number(int max) {
    const std::size_t start = pos_;
    int value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9' && pos_ - start < 4) {
      value = value * 10 + (text_[pos_++] - '0');
    }
    if (pos_ == start || value > max) return std::nullopt;
    return value;
  }

  // [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536's extension).
  std::optional<seconds> offset() {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    const auto h = number(167);
    if (!h) return std::nullopt;
    int total = *h * 3600;
    if (eat(':')) {
      const auto m = number(59);
      if (!m) return std::nullopt;
      total += *m * 60;
      if (eat(':')) {
        const auto s = number(59);
        if (!s) return std::nullopt;
        total += *s;
      }
    }
    return seconds{sign * total};
  }

  bool date(PosixDate& d) {
    if (eat('M')) {
      d.kind = 'M';
      const auto m = number(12);
      if (!m || *m < 1 || !eat('.')) return false;
      const auto w = number(5);
      if (!w || *w < 1 || !eat('.')) return false;
      const auto wd = number(6);
      if (!wd) return false;
      d.month = *m;
      d.week = *w;
      d.weekday = *wd;
    } else if (eat('J')) {
      d.kind = 'J';
      const auto n = number(365);
      if (!n || *n < 1) return false;
      d.day = *n;
    } else {
      d.kind = 'n';
      const auto n = number(365);
      if (!n) return false;
      d.day = *n;
    }
    if (eat('/')) {
      const auto time = offset();
      if (!time) return false;
      d.time = *time;
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The wall-clock reading (in the offset before the change) at which `d`
// happens in year `y`.
local_seconds change_reading(const PosixDate& d, int y) {
  using namespace std::chrono;
  local_days day;
  if (d.kind == 'M') {
    const year_month ym = year{y} / month{static_cast<unsigned>(d.month)};
    const local_days first{ym / 1};
    const int first_weekday = static_cast<int>(weekday{first}.c_encoding());
    int dom = 1 + (d.weekday - first_weekday + 7) % 7 + 7 * (d.week - 1);
    const int length = static_cast<int>(unsigned((ym / last).day()));
    while (dom > length) dom -= 7;
    day = first + days{dom - 1};
  } else if (d.kind == 'J') {
    int n = d.day;  // 1-365, February 29 not counted
    if (year{y}.is_leap() && n >= 60) ++n;
    day = local_days{year{y} / 1 / 1} + days{n - 1};
  } else {
    day = local_days{year{y} / 1 / 1} + days{d.day};
  }
  return day + d.time;
}

seconds rule_offset(const PosixRule& rule, sys_seconds t) {
  using namespace std::chrono;
  const int y = int(year_month_day{floor<days>(local_days{} + (t.time_since_epoch() + rule.std_offset))}.year());
  const sys_seconds start{change_reading(rule.start, y).time_since_epoch() - rule.std_offset};
  const sys_seconds end{change_reading(rule.end, y).time_since_epoch() - rule.dst_offset};
  const bool dst = start < end ? (start <= t && t < end) : !(end <= t && t < start);
  return dst ? rule.dst_offset : rule.std_offset;
}

// The POSIX footer of a TZif file, if any.
std::optional<PosixRule> footer_rule(const std::string& zone_name) {
  std::ifstream in("/usr/share/zoneinfo/" + zone_name, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (content.size() < 6 || content.compare(0, 4, "TZif") != 0 || content[4] < '2' || content.back() != '\n') {
    return std::nullopt;
  }
  const std::size_t open = content.rfind('\n', content.size() - 2);
  if (open == std::string::npos) return std::nullopt;
  return PosixParser(std::string_view(content).substr(open + 1, content.size() - open - 2)).parse();
}

const date::time_zone* find_zone(std::string_view name) noexcept {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

namespace detail {

struct ZoneData {
  const date::time_zone* zone = nullptr;
  std::optional<PosixRule> rule;
  // From here on the database lists no transition and `rule` applies.
  sys_seconds rule_from = sys_seconds::max();
  // The offset of a zone that never changed it (UTC, Etc/GMT+5): no lookup.
  std::optional<seconds> fixed_offset;

  seconds offset(sys_seconds t) const {
    if (fixed_offset) return *fixed_offset;
    try {
      if (t >= rule_from) return rule_offset(*rule, t);
      return zone->get_info(t).offset;
    } catch (const std::exception&) {
      return seconds{0};
    }
  }
};

}  // namespace detail

namespace {

// Zones are loaded once and kept for the life of the process.
const detail::ZoneData* zone_data(const date::time_zone* zone) {
  static std::mutex mutex;
  static std::map<const date::time_zone*, std::unique_ptr<detail::ZoneData>> zones;
  const std::lock_guard lock(mutex);
  auto& data = zones[zone];
  if (!data) {
    data = std::make_unique<detail::ZoneData>();
    data->zone = zone;
    data->rule = footer_rule(zone->name());
    try {
      const date::sys_info only = zone->get_info(sys_seconds{});
      if (only.begin <= sys_seconds{date::sys_days{date::year::min() / 1 / 1}} &&
          only.end >= sys_seconds{date::sys_days{date::year::max() / 12 / 31}}) {
        data->fixed_offset = only.offset;
      }
    } catch (const std::exception&) {
    }
    if (data->rule) {
      try {
        // The last listed period: the one that never ends.
        const date::sys_info last = zone->get_info(sys_seconds{std::chrono::hours{24 * 366 * 200}});
        if (last.end.time_since_epoch() > std::chrono::hours{24 * 366 * 1000}) data->rule_from = last.begin;
      } catch (const std::exception&) {
      }
    }
  }
  return data.get();
}

}  // namespace

TimeZone TimeZone::named(std::string_view name) {
  if (const date::time_zone* zone = name.empty() ? nullptr : find_zone(name)) return TimeZone(zone_data(zone));
  throw ConfigError("unknown time zone " + quote(name) +
                    " (expected a name from the IANA time-zone database, e.g. UTC or America/New_York)");
}

TimeZone TimeZone::utc() {
  static const detail::ZoneData* const data = [] {
    const date::time_zone* zone = find_zone("Etc/UTC");
    if (zone == nullptr) zone = find_zone("UTC");
    return zone == nullptr ? nullptr : zone_data(zone);
  }();
  if (data == nullptr) throw ConfigError("the time-zone database has no UTC zone (is tzdata installed?)");
  return TimeZone(data);
}

TimeZone TimeZone::local() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
    std::string_view name = tz;
    if (name.front() == ':') name.remove_prefix(1);
    if (const date::time_zone* zone = find_zone(name)) return TimeZone(zone_data(zone));
  }
  static const detail::ZoneData* const system = []() -> const detail::ZoneData* {
    try {
      return zone_data(date::current_zone());
    } catch (const std::exception&) {
      return nullptr;
    }
  }();
  return system != nullptr ? TimeZone(system) : utc();
}

const std::string& TimeZone::name() const { return data_->zone->name(); }

seconds TimeZone::utc_offset(sys_seconds t) const { return data_->offset(t); }

local_seconds TimeZone::to_local(sys_seconds t) const { return local_seconds{t.time_since_epoch() + utc_offset(t)}; }

LocalInstants TimeZone::from_local(local_seconds local) const {
  // Every instant with this reading lies within a day of the reading taken as
  // UTC, where the offset takes at most two values: the ones before and after.
  const sys_seconds as_utc{local.time_since_epoch()};
  const seconds before = utc_offset(as_utc - days{1});
  const seconds after = utc_offset(as_utc + days{1});
  LocalInstants result;
  for (seconds offset : {before, after}) {
    const sys_seconds candidate = as_utc - offset;
    if (utc_offset(candidate) != offset) continue;
    if (result.count == 1 && result.at[0] == candidate) continue;
    result.at[static_cast<std::size_t>(result.count++)] = candidate;
  }
  if (result.count == 2 && result.at[1] < result.at[0]) std::swap(result.at[0], result.at[1]);
  return result;
}

sys_seconds TimeZone::offset_change(sys_seconds lo, sys_seconds hi) const {
  // The database knows where each period ends; a period may end without the
  // offset changing (only the abbreviation or the DST flag does).
  if (hi < data_->rule_from) {
    try {
      const seconds start = data_->zone->get_info(lo).offset;
      sys_seconds t = lo;
      for (int i = 0; i < 16; ++i) {
        const date::sys_info info = data_->zone->get_info(t);
        if (info.offset != start) return t;
        if (info.end <= t || info.end > hi) break;
        t = info.end;
      }
    } catch (const std::exception&) {
    }
  }
  // Bisection. Invariant: offset(lo) == start, offset(hi) != start.
  const seconds start = utc_offset(lo);
  while (hi - lo > seconds{1}) {
    const sys_seconds mid = lo + (hi - lo) / 2;
    if (utc_offset(mid) == start) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace jobhost::schedule
