#include "logging/line_budget.hpp"

#include <gtest/gtest.h>

namespace jobhost::logging {
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
  EXPECT_EQ(write(budget, 5, start + 10s), 5);
  const auto later = budget.take(start + 10s);
  EXPECT_FALSE(later.write);
  EXPECT_EQ(later.report_dropped, 1u + 1u + 95u + 1u);
}

}  // namespace
}  // namespace jobhost::logging
