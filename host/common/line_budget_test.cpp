#include "common/line_budget.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace jobhost {
namespace {

using namespace std::chrono_literals;

// Writes `lines` at `at`; returns how many were written.
int write(LineBudget& budget, int lines, LineBudget::Clock::time_point at) {
  int written = 0;
  for (int i = 0; i < lines; ++i) written += budget.take(at).write ? 1 : 0;
  return written;
}

TEST(LineBudgetTest, TenSecondsWorthPassAtOnceThenTheRate) {
  const auto start = LineBudget::Clock::now() + 1s;
  LineBudget budget(100);
  EXPECT_EQ(write(budget, 5000, start), 1000);
  EXPECT_EQ(budget.dropped(), 4000u);
  EXPECT_EQ(write(budget, 5000, start + 1s), 100);
  EXPECT_EQ(write(budget, 5000, start + 1500ms), 50);
  // Quiet for a minute: ten seconds' worth again, no more.
  EXPECT_EQ(write(budget, 5000, start + 61500ms), 1000);
}

TEST(LineBudgetTest, TheFirstDroppedLineIsReportedThenAtMostEveryTenSeconds) {
  const auto start = LineBudget::Clock::now() + 1s;
  LineBudget budget(1);
  EXPECT_EQ(write(budget, 10, start), 10);
  const auto first = budget.take(start);
  EXPECT_FALSE(first.write);
  EXPECT_EQ(first.report_dropped, 1u);
  EXPECT_FALSE(budget.take(start + 100ms).report_dropped);
  EXPECT_EQ(write(budget, 100, start + 5s), 5);  // 95 dropped, none reported
  const auto due = budget.take(start + 10s);
  EXPECT_TRUE(due.write);
  EXPECT_EQ(due.report_dropped, 1u + 1u + 95u);
  EXPECT_EQ(write(budget, 4, start + 10s), 4);
  const auto later = budget.take(start + 10s);
  EXPECT_FALSE(later.write);
  EXPECT_FALSE(later.report_dropped);
}

TEST(LineBudgetTest, TheLastCountOfAFloodIsReportedByTheFirstLineTenSecondsOnAndOnlyOnce) {
  const auto start = LineBudget::Clock::now() + 1s;
  LineBudget budget(1);
  EXPECT_EQ(write(budget, 13, start), 10);  // the first dropped line reported 1
  EXPECT_FALSE(budget.take(start + 9s).report_dropped) << "within ten seconds of the report";
  const auto after = budget.take(start + 20s);
  EXPECT_TRUE(after.write);
  EXPECT_EQ(after.report_dropped, 3u);
  EXPECT_FALSE(budget.take(start + 40s).report_dropped) << "nothing dropped since";
}

// A worker's count may come often (a hostile worker: without end); it is
// reported as the budget's own drops are.
TEST(LineBudgetTest, LinesDroppedElsewhereAreCountedAndReportedAtMostEveryTenSeconds) {
  const auto start = LineBudget::Clock::now() + 1s;
  LineBudget budget(1);
  EXPECT_EQ(budget.add_dropped(500, start), 500u);
  EXPECT_FALSE(budget.add_dropped(100, start + 1s)) << "too soon after the report";
  EXPECT_EQ(budget.dropped(), 600u);
  EXPECT_FALSE(budget.add_dropped(0, start + 5s));
  EXPECT_EQ(budget.add_dropped(0, start + 10s), 600u) << "the count that came too soon, once due";
  EXPECT_FALSE(budget.add_dropped(0, start + 30s)) << "nothing new";
  EXPECT_EQ(budget.add_dropped(UINT64_MAX, start + 30s), UINT64_MAX) << "saturated, never wrapped";
  EXPECT_EQ(budget.add_dropped(5, start + 50s), std::nullopt);
  EXPECT_EQ(budget.dropped(), UINT64_MAX);
}

}  // namespace
}  // namespace jobhost
