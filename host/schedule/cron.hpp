// Cron specs: their parsed fields, and the Schedule that fires on them.
// Internal to the schedule part; others use parse_schedule() (schedule.hpp).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "schedule/local_time.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::schedule {

// The values a cron spec allows, as bit sets: bit N set = value N allowed.
struct CronFields {
  std::uint64_t seconds = 0;   // 0-59
  std::uint64_t minutes = 0;   // 0-59
  std::uint32_t hours = 0;     // 0-23
  std::uint32_t days = 0;      // day of month, 1-31
  std::uint32_t months = 0;    // 1-12
  std::uint32_t weekdays = 0;  // 0-6, 0 = Sunday
  // The field has an item `*` or `?` with no step or step 1. When either
  // day field is unrestricted a day must match both, otherwise either.
  bool days_unrestricted = false;
  bool weekdays_unrestricted = false;
  // Quartz extras. Day of month: bit N of `last_days` is "L-N" ("L" = bit 0);
  // bit N (1-31) of `nearest_weekdays` is "NW", bit 0 is "LW". Day of week:
  // bit W (0-6) of `last_weekdays` is "WL" (the last such weekday of the
  // month); bit K (1-5) of `nth_weekdays[W]` is "W#K".
  std::uint32_t last_days = 0;
  std::uint32_t nearest_weekdays = 0;
  std::uint8_t last_weekdays = 0;
  std::array<std::uint8_t, 7> nth_weekdays{};
  // None of the second, minute and hour fields has `*`, `?` or a step: the
  // job runs at fixed wall-clock times (cronie's DST rules, see CronSchedule).
  bool fixed_time = false;
};

// The days (bits 1-31) of a month of `length` days (28-31) whose 1st is on
// weekday `first` (0 = Sunday) that the day fields of `fields` select.
std::uint32_t selected_days(const CronFields& fields, unsigned first, unsigned length);

// Parses `fields_text`, the 5-field (`min hour dom month dow`) or 6-field
// (`sec min hour dom month dow`) form; `spec` is what the user wrote, quoted in
// messages. Throws ScheduleError when a field is malformed or when the fields
// can never fire (e.g. February 30th).
CronFields parse_cron_fields(std::string_view spec, std::string_view fields_text);

// Fires on every whole second whose wall-clock reading in `zone`
// (local_time.hpp) matches the fields, with cronie's rules where the offset
// changes. Elapsed-time jobs (not fixed_time): a reading that is skipped
// (clocks jump forward) never fires; a reading that repeats (clocks go back)
// fires at each occurrence. Fixed-time jobs: matching readings that are
// skipped fire once, at the first instant after the gap; a repeated reading
// fires only at its first occurrence.
class CronSchedule final : public Schedule {
 public:
  CronSchedule(std::string spec, const CronFields& fields, TimeZone zone);

  std::chrono::sys_seconds next(std::chrono::system_clock::time_point after) const override;
  const std::string& spec() const override { return spec_; }
  const TimeZone& zone() const override { return zone_; }

 private:
  struct Window;

  bool day_matches(std::chrono::local_days day) const;
  std::optional<std::chrono::local_days> next_day(std::chrono::local_days from, int last_year) const;
  std::optional<int> time_of_day(int from, int to) const;
  Window window(std::chrono::local_days day) const;
  std::optional<std::chrono::sys_seconds> first_on_day(std::chrono::local_days day, std::chrono::sys_seconds t0,
                                                       const Window& window) const;

  std::string spec_;
  CronFields fields_;
  TimeZone zone_;
  // Indexed by the weekday (0 = Sunday) of the 1st of a month and its length
  // minus 28: the days of that month (bits 1-31) that the day fields select.
  std::array<std::array<std::uint32_t, 4>, 7> month_days_{};
};

}  // namespace jobhost::schedule
