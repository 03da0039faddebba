#include "common/line_budget.hpp"

#include <gtest/gtest.h>

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

TEST(LineBudgetTest, LinesDroppedElsewhereCountAndAreNotReportedAgain) {
  const auto start = LineBudget::Clock::now() + 1s;
  LineBudget budget(1);
  EXPECT_EQ(budget.add_dropped(500), 500u);
  EXPECT_EQ(budget.dropped(), 500u);
  EXPECT_FALSE(budget.take(start).report_dropped);  // written
  EXPECT_EQ(write(budget, 9, start), 9);
  const auto dropped = budget.take(start);
  EXPECT_FALSE(dropped.write);
  EXPECT_EQ(dropped.report_dropped, 501u) << "its own first drop, counted with those from elsewhere";
}

}  // namespace
}  // namespace jobhost
