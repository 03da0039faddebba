// libFuzzer target for the schedule parser (host/schedule/schedule.hpp).
//
// The input bytes are the spec, as written in a config file. parse_schedule
// must either return a Schedule or throw a jobhost::Error (ScheduleError);
// any other exception, a crash, a sanitizer report or a hang is a bug. A
// schedule that parses is asked for a few fires from fixed instants (1970,
// both 2026 DST changes of the default zone, 2199), each of which must be
// strictly after the instant it was asked from.
//
// Build and run: see "Fuzzing" in docs/testing.md (preset `fuzz`, clang only).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "jobhost/error.hpp"
#include "schedule/schedule.hpp"

namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

namespace chr = std::chrono;

[[noreturn]] void fail(std::string_view spec, const char* what, const std::string& detail) {
  std::fprintf(stderr, "cron_parser_fuzz: %s for spec \"", what);
  for (unsigned char c : spec) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      std::fputc(c, stderr);
    } else {
      std::fprintf(stderr, "\\x%02x", c);
    }
  }
  std::fprintf(stderr, "\": %s\n", detail.c_str());
  std::abort();
}

std::string iso(sys_seconds t) {
  const sys_days day = chr::floor<chr::days>(t);
  const chr::year_month_day date{day};
  const chr::hh_mm_ss time{t - day};
  char out[64];
  std::snprintf(out, sizeof out, "%d-%02u-%02uT%02lld:%02lld:%02lldZ", int(date.year()), unsigned(date.month()),
                unsigned(date.day()), static_cast<long long>(time.hours().count()),
                static_cast<long long>(time.minutes().count()), static_cast<long long>(time.seconds().count()));
  return out;
}

// Fires are asked for from these instants: the epoch, just before
// America/New_York's 2026 spring-forward (07:00Z) and fall-back (06:00Z)
// changes, and late in the 22nd century (past the last transition in the
// zone files, where the POSIX footer rule applies).
constexpr sys_seconds kStarts[] = {
    sys_days{chr::year{1970} / 1 / 1} + 0s,
    sys_days{chr::year{2026} / 3 / 8} + 6h + 30min,
    sys_days{chr::year{2026} / 11 / 1} + 5h + 30min,
    sys_days{chr::year{2199} / 12 / 31} + 23h + 59min + 59s,
};
constexpr int kFiresPerStart = 3;

// next() takes a system_clock::time_point, nanoseconds in libstdc++: an
// instant after this one (2262-04-11) cannot be passed back to it.
const sys_seconds kLatestArgument = chr::floor<chr::seconds>(chr::system_clock::time_point::max()) - 1s;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using jobhost::schedule::TimeZone;
  // Created once: zones live for the whole process anyway.
  static const TimeZone default_zone = TimeZone::named("America/New_York");

  const std::string_view spec(reinterpret_cast<const char*>(data), size);

  std::unique_ptr<jobhost::schedule::Schedule> schedule;
  try {
    schedule = jobhost::schedule::parse_schedule(spec, default_zone);
  } catch (const jobhost::Error&) {
    return 0;  // rejected, as it should be for most inputs
  } catch (const std::exception& e) {
    fail(spec, "parse_schedule threw a non-jobhost exception", e.what());
  } catch (...) {
    fail(spec, "parse_schedule threw a non-exception", "");
  }
  if (!schedule) fail(spec, "parse_schedule returned null", "");
  if (schedule->spec() != spec) fail(spec, "spec() differs from the input", schedule->spec());

  for (const sys_seconds start : kStarts) {
    sys_seconds after = start;
    for (int i = 0; i < kFiresPerStart && after <= kLatestArgument; ++i) {
      sys_seconds fire{};
      try {
        fire = schedule->next(after);
      } catch (const jobhost::Error&) {
        // A spec that parses may still find no fire for 401 years in its zone
        // (e.g. only readings that a DST change skips): next() says so.
        break;
      } catch (const std::exception& e) {
        fail(spec, "next() threw a non-jobhost exception", "after " + iso(after) + ": " + e.what());
      } catch (...) {
        fail(spec, "next() threw a non-exception", "after " + iso(after));
      }
      if (fire <= after) fail(spec, "next() is not strictly after its argument", iso(after) + " -> " + iso(fire));
      after = fire;
    }
  }
  return 0;
}
