// Test helper: switches the host's local time zone (TZ) for a scope.
//
// Not thread-safe (setenv/tzset); use it only where no other thread converts
// times, i.e. in tests.
#pragma once

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace jobhost::schedule {

class ScopedTimeZone {
 public:
  // `tz` names a zone of the IANA database ("UTC", "America/New_York"), which
  // both libc and TimeZone::local() understand. (A POSIX rule such as
  // "EST5EDT,M3.2.0,M11.1.0" reaches libc only: TimeZone::local() ignores it.)
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) saved_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTimeZone() {
    if (saved_) {
      ::setenv("TZ", saved_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

 private:
  std::optional<std::string> saved_;
};

}  // namespace jobhost::schedule
