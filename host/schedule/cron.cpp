#include "schedule/cron.hpp"

#include <algorithm>
#include <bit>
#include <utility>

#include "schedule/local_time.hpp"
#include "schedule/quote.hpp"

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

struct FieldKind {
  const char* name;
  int min;
  int max;
  const std::string_view* names;  // names[i] spells the value min + i, or nullptr
  const char* names_hint;
};

constexpr FieldKind kSecond{"second", 0, 59, nullptr, nullptr};
constexpr FieldKind kMinute{"minute", 0, 59, nullptr, nullptr};
constexpr FieldKind kHour{"hour", 0, 23, nullptr, nullptr};
constexpr FieldKind kDayOfMonth{"day-of-month", 1, 31, nullptr, nullptr};
constexpr FieldKind kMonth{"month", 1, 12, kMonthNames, "a month name (JAN-DEC)"};
constexpr FieldKind kDayOfWeek{"day-of-week", 0, 6, kDayNames, "a day name (SUN-SAT)"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
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
    return values;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw ScheduleError("cron spec " + quoted(spec_) + ": " + kind_.name + " field " + quoted(text_) + ": " + reason);
  }

  std::string range_text() const { return std::to_string(kind_.min) + "-" + std::to_string(kind_.max); }

  // A single value: a number or (month and day-of-week only) a name.
  int value(std::string_view item, std::string_view text) const {
    if (text == "*" || text == "?") fail(quoted(text) + " cannot be part of a range in " + quoted(item));
    if (all_of(text, is_digit)) {
      const long long number = small_number(text);
      if (number < kind_.min || number > kind_.max) {
        fail(std::string(text) + " is out of range " + range_text());
      }
      return static_cast<int>(number);
    }
    if (kind_.names != nullptr && all_of(text, is_letter)) {
      for (int i = 0; i <= kind_.max - kind_.min; ++i) {
        const std::string_view name = kind_.names[i];
        if (text.size() == name.size() &&
            std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) { return upper(a) == b; })) {
          return kind_.min + i;
        }
      }
    }
    if (kind_.names != nullptr) fail(quoted(text) + " is not a number or " + kind_.names_hint);
    fail(quoted(text) + " is not a number");
  }

  void parse_item(std::string_view item, FieldValues& values) const {
    if (item.empty()) fail("empty item in the list");

    const std::size_t slash = item.find('/');
    const std::string_view range = item.substr(0, slash);
    const bool has_step = slash != std::string_view::npos;
    long long step = 1;
    if (has_step) {
      const std::string_view step_text = item.substr(slash + 1);
      if (step_text.find('/') != std::string_view::npos) fail("too many '/' in " + quoted(item));
      if (step_text.empty()) fail("missing step after '/' in " + quoted(item));
      if (!all_of(step_text, is_digit)) fail("step " + quoted(step_text) + " is not a number");
      step = small_number(step_text);
      if (step < 0) fail("step " + std::string(step_text) + " is too large");
      if (step == 0) fail("step 0 in " + quoted(item) + " must be at least 1");
    }

    int lo = 0;
    int hi = 0;
    bool star = false;
    if (range == "*" || range == "?") {
      lo = kind_.min;
      hi = kind_.max;
      star = true;
    } else if (range.empty()) {
      fail("missing value before '/' in " + quoted(item));
    } else if (const std::size_t dash = range.find('-'); dash == std::string_view::npos) {
      lo = value(item, range);
      hi = has_step ? kind_.max : lo;  // "N/STEP" means N through the maximum
    } else {
      const std::string_view first = range.substr(0, dash);
      const std::string_view last = range.substr(dash + 1);
      if (last.find('-') != std::string_view::npos) fail("too many '-' in " + quoted(item));
      if (first.empty()) fail("missing start of the range " + quoted(range));
      if (last.empty()) fail("missing end of the range " + quoted(range));
      lo = value(item, first);
      hi = value(item, last);
      if (lo > hi) {
        fail("range " + quoted(range) + " goes backwards (" + std::to_string(lo) + " is after " + std::to_string(hi) +
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
    while (i < fields_text.size() && is_space(fields_text[i])) ++i;
    if (i == fields_text.size()) break;
    const std::size_t start = i;
    while (i < fields_text.size() && !is_space(fields_text[i])) ++i;
    if (count < 6) parts[count] = fields_text.substr(start, i - start);
    ++count;
  }
  if (count != 5 && count != 6) {
    throw ScheduleError("cron spec " + quoted(spec) +
                        ": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got " +
                        std::to_string(count));
  }

  const std::string_view* field = parts;
  CronFields fields;
  if (count == 6) {
    fields.seconds = FieldParser(spec, kSecond, *field++).parse().bits;
  } else {
    fields.seconds = 1;  // second 0
  }
  fields.minutes = FieldParser(spec, kMinute, *field++).parse().bits;
  fields.hours = static_cast<std::uint32_t>(FieldParser(spec, kHour, *field++).parse().bits);
  const std::string_view days_text = *field++;
  const FieldValues days = FieldParser(spec, kDayOfMonth, days_text).parse();
  const std::string_view months_text = *field++;
  const FieldValues months = FieldParser(spec, kMonth, months_text).parse();
  const FieldValues weekdays = FieldParser(spec, kDayOfWeek, *field++).parse();
  fields.days = static_cast<std::uint32_t>(days.bits);
  fields.days_unrestricted = days.unrestricted;
  fields.months = static_cast<std::uint32_t>(months.bits);
  fields.weekdays = static_cast<std::uint32_t>(weekdays.bits);
  fields.weekdays_unrestricted = weekdays.unrestricted;

  // Only "these days of the month, any weekday" can ask for days that no
  // selected month has: with the either rule any selected weekday will do.
  if (!fields.days_unrestricted && fields.weekdays_unrestricted) {
    bool possible = false;
    for (unsigned m = 1; m <= 12; ++m) {
      if ((fields.months >> m & 1) == 0) continue;
      const std::uint32_t month_days = 0xFFFFFFFFu >> (31 - max_days(m));
      if ((fields.days & month_days) != 0) possible = true;
    }
    if (!possible) {
      throw ScheduleError("cron spec " + quoted(spec) + ": can never fire: no month in the month field " +
                          quoted(months_text) + " has a day in the day-of-month field " + quoted(days_text));
    }
  }
  return fields;
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

CronSchedule::CronSchedule(std::string spec, const CronFields& fields) : spec_(std::move(spec)), fields_(fields) {
  const bool both = fields_.days_unrestricted || fields_.weekdays_unrestricted;
  for (unsigned first = 0; first < 7; ++first) {
    std::uint32_t by_weekday = 0;
    for (unsigned d = 1; d <= 31; ++d) {
      if (fields_.weekdays >> ((first + d - 1) % 7) & 1) by_weekday |= std::uint32_t{1} << d;
    }
    month_days_[first] = both ? (fields_.days & by_weekday) : (fields_.days | by_weekday);
  }
}

bool CronSchedule::day_matches(local_days day) const {
  const year_month_day date{day};
  if ((fields_.months >> unsigned(date.month()) & 1) == 0) return false;
  const unsigned d = unsigned(date.day());
  const unsigned first = weekday{day - days{d - 1}}.c_encoding();
  return (month_days_[first] >> d & 1) != 0;
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
        const std::uint32_t wanted = month_days_[weekday{first}.c_encoding()] & (0xFFFFFFFFu >> (31 - last)) &
                                     (0xFFFFFFFFu << d);
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
// as UTC (offsets are under a day). Instants before t0 do not matter, so the
// window starts at t0 when that is later, which saves a conversion.
CronSchedule::Window CronSchedule::window(local_days day, sys_seconds t0, seconds offset_t0) const {
  const sys_seconds day_utc{day.time_since_epoch()};
  Window w{day_utc - days{1}, offset_t0, day_utc + days{2}, offset_t0};
  if (w.lo <= t0) {
    w.lo = t0;
  } else {
    w.before = utc_offset(w.lo);
  }
  if (w.hi <= w.lo) {
    w.hi = w.lo;
    w.after = w.before;
  } else {
    w.after = utc_offset(w.hi);
  }
  return w;
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
  const sys_seconds change = offset_change(w.lo, w.hi);
  const auto early = first_with(w.before, t0, change);
  const auto late = first_with(w.after, std::max(t0, change), std::nullopt);
  if (early && late) return std::min(*early, *late);
  return early ? early : late;
}

sys_seconds CronSchedule::next(std::chrono::system_clock::time_point after) const {
  const sys_seconds t0 = std::chrono::floor<seconds>(after) + seconds{1};
  const seconds offset_t0 = utc_offset(t0);
  const local_days d0 = std::chrono::floor<days>(local_seconds{t0.time_since_epoch() + offset_t0});
  const int last_year = int(year_month_day{d0}.year()) + kSearchYears;
  const Window w0 = window(d0, t0, offset_t0);

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
    const Window w = *day == d0 ? w0 : window(*day, t0, offset_t0);
    if (const auto t = first_on_day(*day, t0, w); t && (!best || *t < *best)) {
      best = t;
      best_day = *day;
    }
    if (best && w.steady()) break;
    day = next_day(*day + days{1}, last_year);
  }
  if (best) return *best;
  throw ScheduleError("cron spec " + quoted(spec_) + ": found no fire time within " + std::to_string(kSearchYears) +
                      " years");
}

}  // namespace jobhost::schedule
