// Differential test: Schedule::next against croner (npm, pinned in
// tests/e2e/package-lock.json) with cronie-like DST rules
// (fixedTimeRule "no-wildcard"), on thousands of random specs in the syntax
// both accept, in zones with and without DST, many starting just before an
// offset change. Needs Node.js and `npm ci --prefix tests/e2e`.
//
// The seed is printed; JOBHOST_CRONER_SEED=N repeats a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "schedule/iso8601.hpp"
#include "schedule/schedule.hpp"
#include "schedule/test_random.hpp"

namespace jobhost::schedule {
namespace {

using std::chrono::sys_seconds;

using testing::Rng;

// One field in the common syntax: *, N, A-B, */S, A-B/S and lists of them.
std::string random_field(Rng& rng, int min, int max, int star_percent) {
  if (static_cast<int>(rng(100)) < star_percent) return "*";
  const int items = 1 + static_cast<int>(rng(3));
  std::string out;
  for (int i = 0; i < items; ++i) {
    if (!out.empty()) out += ",";
    const int a = min + static_cast<int>(rng(static_cast<std::uint64_t>(max - min + 1)));
    const int b = a + static_cast<int>(rng(static_cast<std::uint64_t>(max - a + 1)));
    switch (rng(5)) {
      case 0:
      case 1:
        out += std::to_string(a);
        break;
      case 2:
        out += std::to_string(a) + "-" + std::to_string(b);
        break;
      case 3:
        out += "*/" + std::to_string(2 + rng(static_cast<std::uint64_t>(std::min(max - min - 1, 8))));
        break;
      default:
        out += std::to_string(a) + "-" + std::to_string(b) + "/" + std::to_string(2 + rng(5));
        break;
    }
  }
  return out;
}

std::string random_spec(Rng& rng) {
  std::string spec;
  if (rng(4) == 0) spec = random_field(rng, 0, 59, 30) + " ";
  spec += random_field(rng, 0, 59, 20) + " ";
  spec += random_field(rng, 0, 23, 30) + " ";
  spec += random_field(rng, 1, 31, 60) + " ";
  spec += random_field(rng, 1, 12, 70) + " ";
  spec += random_field(rng, 0, 7, 60);
  return spec;
}

struct Case {
  std::string zone;
  sys_seconds start;
  std::string spec;
};

std::string run_croner(const std::vector<Case>& cases) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto input = dir / ("jobhost-croner-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(input);
    for (const Case& c : cases) out << c.zone << "\t" << c.start.time_since_epoch().count() << "\t" << c.spec << "\n";
  }
  const std::string command = "node '" JOBHOST_SCHEDULE_SOURCE_DIR "/croner_next.mjs' '" JOBHOST_E2E_NODE_MODULES
                              "' < '" + input.string() + "'";
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
  }
  std::filesystem::remove(input);
  return output;
}

TEST(CronerDifferential, RandomSpecsAgreeWithCroner) {
  // scripts/install-deps.sh installs both; a missing one is a failure, not a skip.
  ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0) << "Node.js is not installed";
  ASSERT_TRUE(std::filesystem::exists(JOBHOST_E2E_NODE_MODULES "/croner"))
      << "croner is not installed (npm ci --prefix tests/e2e)";
  std::uint64_t seed = static_cast<std::uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count());
  if (const char* text = std::getenv("JOBHOST_CRONER_SEED")) seed = std::strtoull(text, nullptr, 10);
  if (seed == 0) seed = 1;
  std::printf("croner differential seed: %llu (JOBHOST_CRONER_SEED=%llu repeats it)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  Rng rng{seed};

  const char* zones[] = {"UTC",           "America/New_York", "Europe/London",       "Europe/Berlin",
                         "Australia/Sydney", "Asia/Kolkata",  "Australia/Lord_Howe", "America/Sao_Paulo"};
  constexpr int kCases = 6000;
  std::vector<Case> cases;
  for (int i = 0; i < kCases; ++i) {
    Case c;
    c.zone = zones[rng(std::size(zones))];
    const TimeZone zone = TimeZone::named(c.zone);
    // 2021..2029; half of the starts shortly before an offset change.
    sys_seconds start{std::chrono::seconds{1609459200 + static_cast<std::int64_t>(rng(9 * 365 * 86400ULL))}};
    if (rng(2) == 0) {
      for (int d = 0; d < 370; ++d) {
        const sys_seconds next = start + std::chrono::days{1};
        if (zone.utc_offset(next) != zone.utc_offset(start)) {
          start = zone.offset_change(start, next) - std::chrono::seconds{rng(36 * 3600)};
          break;
        }
        start = next;
      }
    }
    c.start = start;
    c.spec = random_spec(rng);
    cases.push_back(std::move(c));
  }

  const std::string output = run_croner(cases);
  std::istringstream lines(output);
  int compared = 0;
  int rejected = 0;
  int mismatches = 0;
  std::string line;
  for (const Case& c : cases) {
    ASSERT_TRUE(std::getline(lines, line)) << "croner printed too few lines; output begins: " << output.substr(0, 500);
    const TimeZone zone = TimeZone::named(c.zone);
    std::unique_ptr<Schedule> schedule;
    try {
      schedule = parse_schedule(c.spec, zone);
    } catch (const ScheduleError& e) {
      ++rejected;
      // We reject only specs that can never fire: croner finds no run.
      EXPECT_TRUE(line.empty() || line.rfind("ERR", 0) == 0) << c.spec << ": we say " << e.what() << ", croner: " << line;
      continue;
    }
    ASSERT_NE(line.rfind("ERR", 0), 0u) << c.spec << " in " << c.zone << ": croner rejects it: " << line;
    std::string ours;
    sys_seconds t = c.start;
    for (int k = 0; k < 5; ++k) {
      t = schedule->next(t);
      ours += (ours.empty() ? "" : " ") + std::to_string(t.time_since_epoch().count());
    }
    ++compared;
    if (ours != line && ++mismatches <= 10) {
      std::string readable_theirs;
      std::istringstream theirs(line);
      for (long long v; theirs >> v;) readable_theirs += format_iso8601(sys_seconds{std::chrono::seconds{v}}, zone) + " ";
      std::string readable_ours;
      std::istringstream mine(ours);
      for (long long v; mine >> v;) readable_ours += format_iso8601(sys_seconds{std::chrono::seconds{v}}, zone) + " ";
      ADD_FAILURE() << "\"" << c.spec << "\" in " << c.zone << " after " << format_iso8601(c.start, zone)
                    << "\n  jobhost: " << readable_ours << "\n  croner:  " << readable_theirs;
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_GE(compared, 5000);
  std::printf("compared %d specs with croner, %d rejected by both as never firing\n", compared, rejected);
}

}  // namespace
}  // namespace jobhost::schedule
