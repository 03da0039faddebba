#include "schedule/cron.hpp"

#include <algorithm>
#include <bit>
#include <utility>

#include "schedule/local_time.hpp"
#include "jobhost/text.hpp"
#include "schedule/blank.hpp"

namespace jobhost::schedule {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::month;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month;
using std::chrono::year_month_day;

namespace {

// ---------------------------------------------------------------------------
// Parsing

constexpr std::string_view kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::string_view kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

enum class Extras { kNone, kDayOfMonth, kDayOfWeek };

struct FieldKind {
  const char* name;
  int min;
  int max;       // the largest value that may be written
  int star_max;  // what `*` covers
  const std::string_view* names;  // names[i] spells the value min + i, or nullptr
  const char* names_hint;
  Extras extras;
};

constexpr FieldKind kSecond{"second", 0, 59, 59, nullptr, nullptr, Extras::kNone};
constexpr FieldKind kMinute{"minute", 0, 59, 59, nullptr, nullptr, Extras::kNone};
constexpr FieldKind kHour{"hour", 0, 23, 23, nullptr, nullptr, Extras::kNone};
constexpr FieldKind kDayOfMonth{"day-of-month", 1, 31, 31, nullptr, nullptr, Extras::kDayOfMonth};
constexpr FieldKind kMonth{"month", 1, 12, 12, kMonthNames, "a month name (JAN-DEC)", Extras::kNone};
// 7 is Sunday too.
constexpr FieldKind kDayOfWeek{"day-of-week", 0, 7, 6, kDayNames, "a day name (SUN-SAT)", Extras::kDayOfWeek};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool all_of(std::string_view text, bool (*pred)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), pred);
}

// A decimal number of at most nine significant digits, or -1 when it has more.
long long small_number(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  if (digits.size() > 9) return -1;
  long long value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

struct FieldValues {
  std::uint64_t bits = 0;
  bool unrestricted = false;
  // Quartz extras (see CronFields).
  std::uint32_t last_days = 0;
  std::uint32_t nearest_weekdays = 0;
  std::uint8_t last_weekdays = 0;
  std::array<std::uint8_t, 7> nth_weekdays{};
};

class FieldParser {
 public:
  FieldParser(std::string_view spec, const FieldKind& kind, std::string_view text)
      : spec_(spec), kind_(kind), text_(text) {}

  FieldValues parse() const {
    FieldValues values;
    std::size_t pos = 0;
    while (true) {
      const std::size_t comma = text_.find(',', pos);
      parse_item(text_.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos), values);
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    if (kind_.extras == Extras::kDayOfWeek && (values.bits >> 7 & 1) != 0) {
      values.bits = (values.bits & ~(std::uint64_t{1} << 7)) | 1;  // 7 is Sunday
    }
    return values;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw ScheduleError("cron spec " + quote(spec_) + ": " + kind_.name + " field " + quote(text_) + ": " + reason);
  }

  std::string range_text() const { return std::to_string(kind_.min) + "-" + std::to_string(kind_.max); }

  // A single value: a number or (month and day-of-week only) a name.
  int value(std::string_view item, std::string_view text) const {
    if (text == "*" || text == "?") fail(quote(text) + " cannot be part of a range in " + quote(item));
    if (all_of(text, is_digit)) {
      const long long number = small_number(text);
      if (number < kind_.min || number > kind_.max) {
        fail(std::string(text) + " is out of range " + range_text());
      }
      return static_cast<int>(number);
    }
    if (kind_.names != nullptr && all_of(text, is_letter)) {
      for (int i = 0; i <= kind_.star_max - kind_.min; ++i) {  // names cover min..star_max
        const std::string_view name = kind_.names[i];
        if (text.size() == name.size() &&
            std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) { return upper(a) == b; })) {
          return kind_.min + i;
        }
      }
    }
    if (kind_.names != nullptr) fail(quote(text) + " is not a number or " + kind_.names_hint);
    fail(quote(text) + " is not a number");
  }

  // A number in [lo, hi] written in `text` (part of `item`), for the extras.
  int extra_number(std::string_view item, std::string_view text, int lo, int hi, const char* what) const {
    if (!all_of(text, is_digit)) fail(std::string(what) + " " + quote(text) + " in " + quote(item) + " is not a number");
    const long long number = small_number(text);
    if (number < lo || number > hi) {
      fail(std::string(what) + " " + std::string(text) + " in " + quote(item) + " is out of range " +
           std::to_string(lo) + "-" + std::to_string(hi));
    }
    return static_cast<int>(number);
  }

  // Quartz's L, L-n, nW, LW (day of month) and nL, n#k (day of week).
  // Returns false when `item` is none of them.
  bool parse_extra(std::string_view item, FieldValues& values) const {
    const auto is = [](char c, char letter) { return upper(c) == letter; };
    const bool has_step = item.find('/') != std::string_view::npos;
    const std::string_view full = item;
    item = item.substr(0, item.find('/'));
    if (item.empty()) return false;
    if (kind_.extras == Extras::kDayOfMonth) {
      const bool starts_l = is(item.front(), 'L');
      const bool ends_w = item.size() >= 2 && is(item.back(), 'W');
      if (!starts_l && !ends_w) return false;
      if (has_step) fail(quote(full) + " cannot have a step");
      if (item.size() == 1) {  // L
        values.last_days |= 1u;
      } else if (item.size() == 2 && starts_l && ends_w) {  // LW
        values.nearest_weekdays |= 1u;
      } else if (starts_l && item[1] == '-') {  // L-n
        const int n = extra_number(item, item.substr(2), 0, 30, "offset");
        values.last_days |= std::uint32_t{1} << n;
      } else if (!starts_l && ends_w) {  // nW
        const int n = extra_number(item, item.substr(0, item.size() - 1), 1, 31, "day");
        values.nearest_weekdays |= std::uint32_t{1} << n;
      } else {
        fail(quote(item) + " is not a day, L, L-n, nW or LW");
      }
      return true;
    }
    if (kind_.extras == Extras::kDayOfWeek) {
      const std::size_t hash = item.find('#');
      const bool ends_l = is(item.back(), 'L');
      if (hash == std::string_view::npos && !ends_l) return false;
      if (has_step) fail(quote(full) + " cannot have a step");
      if (hash != std::string_view::npos) {  // n#k
        const std::string_view day = item.substr(0, hash);
        if (day.empty()) fail("missing weekday before '#' in " + quote(item));
        if (day.find('-') != std::string_view::npos) fail("a range cannot be used with '#' in " + quote(item));
        const int w = value(item, day) % 7;
        const int k = extra_number(item, item.substr(hash + 1), 1, 5, "occurrence");
        values.nth_weekdays[static_cast<std::size_t>(w)] |= static_cast<std::uint8_t>(1u << k);
        return true;
      }
      const std::string_view day = item.substr(0, item.size() - 1);  // nL
      if (day.empty()) fail("\"L\" needs a weekday before it in the day-of-week field, e.g. 5L (the last Friday)");
      if (day.find('-') != std::string_view::npos) fail("a range cannot be used with 'L' in " + quote(item));
      const int w = value(item, day) % 7;
      values.last_weekdays |= static_cast<std::uint8_t>(1u << w);
      return true;
    }
    return false;
  }

  void parse_item(std::string_view item, FieldValues& values) const {
    if (item.empty()) fail("empty item in the list");
    if (parse_extra(item, values)) return;

    const std::size_t slash = item.find('/');
    const std::string_view range = item.substr(0, slash);
    const bool has_step = slash != std::string_view::npos;
    long long step = 1;
    if (has_step) {
      const std::string_view step_text = item.substr(slash + 1);
      if (step_text.find('/') != std::string_view::npos) fail("too many '/' in " + quote(item));
      if (step_text.empty()) fail("missing step after '/' in " + quote(item));
      if (!all_of(step_text, is_digit)) fail("step " + quote(step_text) + " is not a number");
      step = small_number(step_text);
      if (step < 0) fail("step " + std::string(step_text) + " is too large");
      if (step == 0) fail("step 0 in " + quote(item) + " must be at least 1");
    }

    int lo = 0;
    int hi = 0;
    bool star = false;
    if (range == "*" || range == "?") {
      lo = kind_.min;
      hi = kind_.star_max;
      star = true;
    } else if (range.empty()) {
      fail("missing value before '/' in " + quote(item));
    } else if (const std::size_t dash = range.find('-'); dash == std::string_view::npos) {
      lo = value(item, range);
      hi = has_step ? std::max(lo, kind_.star_max) : lo;  // "N/STEP" means N through the maximum
    } else {
      const std::string_view first = range.substr(0, dash);
      const std::string_view last = range.substr(dash + 1);
      if (last.find('-') != std::string_view::npos) fail("too many '-' in " + quote(item));
      if (first.empty()) fail("missing start of the range " + quote(range));
      if (last.empty()) fail("missing end of the range " + quote(range));
      lo = value(item, first);
      hi = value(item, last);
      if (lo > hi) {
        fail("range " + quote(range) + " goes backwards (" + std::to_string(lo) + " is after " + std::to_string(hi) +
             ")");
      }
    }

    for (long long v = lo; v <= hi; v += step) values.bits |= std::uint64_t{1} << v;
    if (star && step == 1) values.unrestricted = true;
  }

  std::string_view spec_;
  const FieldKind& kind_;
  std::string_view text_;
};

// The most days `m` (1-12) can have.
unsigned max_days(unsigned m) {
  constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1];
}

// The lowest set bit of `mask` at or above `from`, or -1.
int next_bit(std::uint64_t mask, int from) {
  if (from >= 64) return -1;
  const std::uint64_t rest = mask & (~std::uint64_t{0} << from);
  return rest == 0 ? -1 : std::countr_zero(rest);
}

constexpr int kSecondsPerDay = 86400;
// Gregorian calendars repeat every 400 years: a day that can match at all
// matches within 400 years of any start.
constexpr int kSearchYears = 401;

}  // namespace

CronFields parse_cron_fields(std::string_view spec, std::string_view fields_text) {
  std::string_view parts[6];
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < fields_text.size()) {
    while (i < fields_text.size() && is_blank(fields_text[i])) ++i;
    if (i == fields_text.size()) break;
    const std::size_t start = i;
    while (i < fields_text.size() && !is_blank(fields_text[i])) ++i;
    if (count < 6) parts[count] = fields_text.substr(start, i - start);
    ++count;
  }
  if (count != 5 && count != 6) {
    throw ScheduleError("cron spec " + quote(spec) +
                        ": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got " +
                        std::to_string(count));
  }

  const std::string_view* field = parts;
  CronFields fields;
  // Fixed-time when no time field has `*`, `?` or a step (cronie).
  bool fixed_time = true;
  const auto time_field = [&](const FieldKind& kind, std::string_view text) {
    if (text.find_first_of("*?/") != std::string_view::npos) fixed_time = false;
    return FieldParser(spec, kind, text).parse().bits;
  };
  if (count == 6) {
    fields.seconds = time_field(kSecond, *field++);
  } else {
    fields.seconds = 1;  // second 0
  }
  fields.minutes = time_field(kMinute, *field++);
  fields.hours = static_cast<std::uint32_t>(time_field(kHour, *field++));
  fields.fixed_time = fixed_time;
  const std::string_view days_text = *field++;
  const FieldValues days = FieldParser(spec, kDayOfMonth, days_text).parse();
  const std::string_view months_text = *field++;
  const FieldValues months = FieldParser(spec, kMonth, months_text).parse();
  const FieldValues weekdays = FieldParser(spec, kDayOfWeek, *field++).parse();
  fields.days = static_cast<std::uint32_t>(days.bits);
  fields.days_unrestricted = days.unrestricted;
  fields.last_days = days.last_days;
  fields.nearest_weekdays = days.nearest_weekdays;
  fields.months = static_cast<std::uint32_t>(months.bits);
  fields.weekdays = static_cast<std::uint32_t>(weekdays.bits);
  fields.weekdays_unrestricted = weekdays.unrestricted;
  fields.last_weekdays = weekdays.last_weekdays;
  fields.nth_weekdays = weekdays.nth_weekdays;

  // Every combination of a month, its possible lengths (February: 28 or 29)
  // and the weekday of its 1st occurs in the 400-year Gregorian cycle, so this
  // check is exact: a spec passes if and only if it fires some day.
  bool possible = false;
  for (unsigned m = 1; m <= 12 && !possible; ++m) {
    if ((fields.months >> m & 1) == 0) continue;
    const unsigned longest = max_days(m);
    const unsigned shortest = m == 2 ? 28 : longest;
    for (unsigned length = shortest; length <= longest && !possible; ++length) {
      for (unsigned first = 0; first < 7 && !possible; ++first) {
        if (selected_days(fields, first, length) != 0) possible = true;
      }
    }
  }
  if (!possible) {
    throw ScheduleError("cron spec " + quote(spec) + ": can never fire: no month in the month field " +
                        quote(months_text) + " has a day in the day-of-month field " + quote(days_text));
  }
  return fields;
}

std::uint32_t selected_days(const CronFields& fields, unsigned first, unsigned length) {
  const std::uint32_t in_month = 0xFFFFFFFFu >> (31 - length) & ~1u;  // bits 1..length
  const auto weekday_of = [first](unsigned d) { return (first + d - 1) % 7; };

  std::uint32_t by_day = fields.days;
  for (std::uint32_t rest = fields.last_days; rest != 0; rest &= rest - 1) {
    const unsigned n = static_cast<unsigned>(std::countr_zero(rest));
    if (n < length) by_day |= std::uint32_t{1} << (length - n);
  }
  for (std::uint32_t rest = fields.nearest_weekdays; rest != 0; rest &= rest - 1) {
    unsigned d = static_cast<unsigned>(std::countr_zero(rest));
    if (d == 0) d = length;  // LW: the weekday nearest the last day, within the month
    if (d > length) continue;  // the month has no such day
    const unsigned w = weekday_of(d);
    if (w == 6) d = d == 1 ? 3 : d - 1;       // Saturday: Friday, or Monday the 3rd
    else if (w == 0) d = d == length ? d - 2 : d + 1;  // Sunday: Monday, or Friday before the last
    by_day |= std::uint32_t{1} << d;
  }

  std::uint32_t by_weekday = 0;
  for (unsigned d = 1; d <= length; ++d) {
    const unsigned w = weekday_of(d);
    if (fields.weekdays >> w & 1) by_weekday |= std::uint32_t{1} << d;
    if ((fields.last_weekdays >> w & 1) && d + 7 > length) by_weekday |= std::uint32_t{1} << d;
    if (fields.nth_weekdays[w] >> ((d - 1) / 7 + 1) & 1) by_weekday |= std::uint32_t{1} << d;
  }

  const bool both = fields.days_unrestricted || fields.weekdays_unrestricted;
  return (both ? (by_day & by_weekday) : (by_day | by_weekday)) & in_month;
}

// ---------------------------------------------------------------------------
// Next fire

// The UTC offsets around a day: `before` at `lo`, `after` at `hi`. When they
// are equal the offset is the same for every instant in [lo, hi).
struct CronSchedule::Window {
  sys_seconds lo;
  seconds before;
  sys_seconds hi;
  seconds after;
  bool steady() const { return before == after; }
};

CronSchedule::CronSchedule(std::string spec, const CronFields& fields, TimeZone zone)
    : spec_(std::move(spec)), fields_(fields), zone_(zone) {
  for (unsigned first = 0; first < 7; ++first) {
    for (unsigned length = 28; length <= 31; ++length) month_days_[first][length - 28] = selected_days(fields_, first, length);
  }
}

bool CronSchedule::day_matches(local_days day) const {
  const year_month_day date{day};
  if ((fields_.months >> unsigned(date.month()) & 1) == 0) return false;
  const unsigned d = unsigned(date.day());
  const unsigned first = weekday{day - days{d - 1}}.c_encoding();
  const unsigned length = unsigned((date.year() / date.month() / std::chrono::last).day());
  return (month_days_[first][length - 28] >> d & 1) != 0;
}

// The first matching day at or after `from`, up to the end of `last_year`.
std::optional<local_days> CronSchedule::next_day(local_days from, int last_year) const {
  const year_month_day date{from};
  int y = int(date.year());
  unsigned m = unsigned(date.month());
  unsigned d = unsigned(date.day());
  while (y <= last_year) {
    if (fields_.months >> m & 1) {
      const year_month ym = year{y} / month{m};
      const unsigned last = unsigned((ym / std::chrono::last).day());
      if (d <= last) {
        const local_days first{ym / 1};
        const std::uint32_t wanted = month_days_[weekday{first}.c_encoding()][last - 28] & (0xFFFFFFFFu << d);
        if (wanted != 0) return first + days{std::countr_zero(wanted) - 1};
      }
    }
    d = 1;
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return std::nullopt;
}

// The first matching second of a day in [from, to) (seconds since midnight).
std::optional<int> CronSchedule::time_of_day(int from, int to) const {
  if (from >= to) return std::nullopt;
  const int h0 = from / 3600;
  const int m0 = from / 60 % 60;
  const int s0 = from % 60;
  for (int h = next_bit(fields_.hours, h0); h >= 0; h = next_bit(fields_.hours, h + 1)) {
    for (int m = next_bit(fields_.minutes, h == h0 ? m0 : 0); m >= 0; m = next_bit(fields_.minutes, m + 1)) {
      const int s = next_bit(fields_.seconds, h == h0 && m == m0 ? s0 : 0);
      if (s < 0) continue;
      const int t = h * 3600 + m * 60 + s;
      if (t < to) return t;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// Every instant whose reading falls on `day` lies in [day - 1d, day + 2d) taken
// as UTC (offsets are under a day). The window is not cut at t0: the rules
// for fixed-time jobs need to know about an offset change just before t0.
CronSchedule::Window CronSchedule::window(local_days day) const {
  const sys_seconds day_utc{day.time_since_epoch()};
  const sys_seconds lo = day_utc - days{1};
  const sys_seconds hi = day_utc + days{2};
  return Window{lo, zone_.utc_offset(lo), hi, zone_.utc_offset(hi)};
}

// The first instant at or after t0 whose reading is a matching time on `day`.
std::optional<sys_seconds> CronSchedule::first_on_day(local_days day, sys_seconds t0, const Window& w) const {
  const local_seconds midnight{day};
  // Readings on `day` at instants in [from, until) that have offset `offset`.
  auto first_with = [&](seconds offset, sys_seconds from, std::optional<sys_seconds> until) -> std::optional<sys_seconds> {
    const std::int64_t lo = (from.time_since_epoch() + offset - midnight.time_since_epoch()).count();
    std::int64_t hi = kSecondsPerDay;
    if (until) hi = std::min<std::int64_t>(hi, (until->time_since_epoch() + offset - midnight.time_since_epoch()).count());
    if (lo >= hi) return std::nullopt;
    const auto t = time_of_day(static_cast<int>(std::max<std::int64_t>(lo, 0)), static_cast<int>(hi));
    if (!t) return std::nullopt;
    return sys_seconds{midnight.time_since_epoch() + seconds{*t} - offset};
  };

  if (w.steady()) return first_with(w.before, t0, std::nullopt);
  const sys_seconds change = zone_.offset_change(w.lo, w.hi);
  const auto early = first_with(w.before, t0, change);
  std::optional<sys_seconds> late;
  if (!fields_.fixed_time) {
    // Elapsed time: skipped readings never come, repeated ones fire twice.
    late = first_with(w.after, std::max(t0, change), std::nullopt);
  } else if (w.after < w.before) {
    // Clocks went back: a repeated reading fires only at its first occurrence,
    // so the late readings start where the early ones ended.
    late = first_with(w.after, std::max(t0, change + (w.before - w.after)), std::nullopt);
  } else {
    // Clocks jumped forward: a matching reading in the gap fires at the first
    // instant after it.
    late = first_with(w.after, std::max(t0, change), std::nullopt);
    if (change >= t0 && (!late || *late > change) && (!early || *early > change)) {
      const std::int64_t gap_lo = (change.time_since_epoch() + w.before - midnight.time_since_epoch()).count();
      const std::int64_t gap_hi = (change.time_since_epoch() + w.after - midnight.time_since_epoch()).count();
      const std::int64_t from = std::max<std::int64_t>(gap_lo, 0);
      const std::int64_t to = std::min<std::int64_t>(gap_hi, kSecondsPerDay);
      if (from < to && time_of_day(static_cast<int>(from), static_cast<int>(to))) late = change;
    }
  }
  if (early && late) return std::min(*early, *late);
  return early ? early : late;
}

sys_seconds CronSchedule::next(std::chrono::system_clock::time_point after) const {
  const sys_seconds t0 = std::chrono::floor<seconds>(after) + seconds{1};
  const seconds offset_t0 = zone_.utc_offset(t0);
  const local_days d0 = std::chrono::floor<days>(local_seconds{t0.time_since_epoch() + offset_t0});
  const int last_year = int(year_month_day{d0}.year()) + kSearchYears;
  const Window w0 = window(d0);

  // Days are visited in order. Normally the first matching time on the first
  // day that has one is the answer; around an offset change, readings of
  // neighbouring days interleave (clocks going back repeat the end of a day),
  // so the neighbours are looked at too.
  std::optional<local_days> day;
  if (!w0.steady() && day_matches(d0 - days{1})) {
    day = d0 - days{1};
  } else {
    day = next_day(d0, last_year);
  }
  std::optional<sys_seconds> best;
  local_days best_day{};
  while (day) {
    if (best && *day > best_day + days{1}) break;
    const Window w = *day == d0 ? w0 : window(*day);
    if (const auto t = first_on_day(*day, t0, w); t && (!best || *t < *best)) {
      best = t;
      best_day = *day;
    }
    if (best && w.steady()) break;
    day = next_day(*day + days{1}, last_year);
  }
  if (best) return *best;
  throw ScheduleError("cron spec " + quote(spec_) + ": found no fire time within " + std::to_string(kSearchYears) +
                      " years");
}

}  // namespace jobhost::schedule
