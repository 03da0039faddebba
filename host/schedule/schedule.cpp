#include "schedule/schedule.hpp"

#include <utility>

#include "common/longest_duration.hpp"
#include "jobhost/duration.hpp"
#include "schedule/cron.hpp"
#include "jobhost/text.hpp"
#include "schedule/blank.hpp"

namespace jobhost::schedule {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "@every DURATION": fires every `interval`, counted from the whole second
// at or before the previous fire (robfig's ConstantDelaySchedule).
class EverySchedule final : public Schedule {
 public:
  EverySchedule(std::string spec, seconds interval, TimeZone zone)
      : spec_(std::move(spec)), interval_(interval), zone_(zone) {}

  sys_seconds next(std::chrono::system_clock::time_point after) const override {
    return std::chrono::floor<seconds>(after) + interval_;
  }
  const std::string& spec() const override { return spec_; }
  const TimeZone& zone() const override { return zone_; }

 private:
  std::string spec_;
  seconds interval_;
  TimeZone zone_;
};

struct Descriptor {
  std::string_view name;
  std::string_view fields;
};

constexpr Descriptor kDescriptors[] = {
    {"@yearly", "0 0 0 1 1 *"}, {"@annually", "0 0 0 1 1 *"}, {"@monthly", "0 0 0 1 * *"}, {"@weekly", "0 0 0 * * 0"},
    {"@daily", "0 0 0 * * *"},  {"@midnight", "0 0 0 * * *"}, {"@hourly", "0 0 * * * *"},
};

std::unique_ptr<Schedule> parse_every(std::string_view spec, std::string_view argument, const TimeZone& zone) {
  const std::string prefix = "cron spec " + quote(spec);
  if (argument.empty()) throw ScheduleError(prefix + ": @every needs a duration, e.g. \"@every 15s\"");
  std::chrono::nanoseconds interval{};
  try {
    interval = parse_duration(argument, prefix);
  } catch (const ScheduleError&) {
    throw;
  } catch (const ConfigError& e) {
    throw ScheduleError(e.what());
  }
  if (interval < seconds{1}) {
    throw ScheduleError(prefix + ": the @every interval must be at least 1s (got " + format_duration(interval) + ")");
  }
  if (interval > kLongestDuration) {
    throw ScheduleError(prefix + ": the @every interval must be at most " + kLongestDurationText);
  }
  return std::make_unique<EverySchedule>(std::string(spec), std::chrono::ceil<seconds>(interval), zone);
}

}  // namespace

std::unique_ptr<Schedule> parse_schedule(std::string_view spec) { return parse_schedule(spec, TimeZone::local()); }

std::unique_ptr<Schedule> parse_schedule(std::string_view spec, const TimeZone& default_zone) {
  std::string_view text = trim(spec);
  TimeZone zone = default_zone;
  // "CRON_TZ=Zone rest" or "TZ=Zone rest" (robfig/cron's syntax).
  for (std::string_view prefix : {std::string_view("CRON_TZ="), std::string_view("TZ=")}) {
    if (!text.starts_with(prefix)) continue;
    std::size_t end = prefix.size();
    while (end < text.size() && !is_blank(text[end])) ++end;
    const std::string_view name = text.substr(prefix.size(), end - prefix.size());
    if (name.empty()) {
      throw ScheduleError("cron spec " + quote(spec) + ": " + std::string(prefix) +
                          " needs a time-zone name, e.g. \"" + std::string(prefix) + "America/New_York 0 9 * * *\"");
    }
    try {
      zone = TimeZone::named(name);
    } catch (const ConfigError& e) {
      throw ScheduleError("cron spec " + quote(spec) + ": " + e.what());
    }
    text = trim(text.substr(end));
    if (text.empty()) {
      throw ScheduleError("cron spec " + quote(spec) + ": nothing after the time zone " + quote(name) +
                          " (expected 5 or 6 fields, a descriptor or @every DURATION)");
    }
    break;
  }
  if (text.empty()) {
    throw ScheduleError("cron spec " + quote(spec) +
                        " is empty (expected 5 or 6 fields such as \"*/5 * * * *\", a descriptor such as @daily, "
                        "or @every DURATION)");
  }
  if (text.front() != '@') {
    return std::make_unique<CronSchedule>(std::string(spec), parse_cron_fields(spec, text), zone);
  }

  std::size_t end = 0;
  while (end < text.size() && !is_blank(text[end])) ++end;
  const std::string_view name = text.substr(0, end);
  const std::string_view argument = trim(text.substr(end));
  const std::string key = lower(name);
  if (key == "@every") return parse_every(spec, argument, zone);
  for (const Descriptor& descriptor : kDescriptors) {
    if (key != descriptor.name) continue;
    if (!argument.empty()) {
      throw ScheduleError("cron spec " + quote(spec) + ": descriptor " + quote(name) + " takes no argument (got " +
                          quote(argument) + ")");
    }
    return std::make_unique<CronSchedule>(std::string(spec), parse_cron_fields(spec, descriptor.fields), zone);
  }
  throw ScheduleError("cron spec " + quote(spec) + ": unknown descriptor " + quote(name) +
                      " (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every "
                      "DURATION)");
}

}  // namespace jobhost::schedule
