#include "runtime/timer_heap.hpp"

#include <gtest/gtest.h>

namespace jobhost::runtime {
namespace {

struct Entry {
  int at;
  char name;
};

TEST(TimerHeap, PopsTheEarliestFirst) {
  TimerHeap<Entry> heap;
  for (int at : {5, 1, 4, 2, 3}) heap.push({at, static_cast<char>('a' + at)});
  ASSERT_EQ(heap.size(), 5u);
  for (int expected = 1; expected <= 5; ++expected) {
    EXPECT_EQ(heap.front().at, expected);
    EXPECT_EQ(heap.pop().at, expected);
  }
  EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, EraseIfKeepsTheRestInOrder) {
  TimerHeap<Entry> heap;
  for (int at = 10; at >= 1; --at) heap.push({at, 'x'});
  EXPECT_EQ(heap.erase_if([](const Entry& entry) { return entry.at % 2 == 1; }), 5u);
  EXPECT_EQ(heap.erase_if([](const Entry&) { return false; }), 0u);
  for (int expected = 2; expected <= 10; expected += 2) EXPECT_EQ(heap.pop().at, expected);
  EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, TakeAllReturnsEveryEntryEarliestFirstAndEmptiesIt) {
  TimerHeap<Entry> heap;
  for (int at : {3, 9, 1, 7, 5}) heap.push({at, 'x'});
  const std::vector<Entry> all = heap.take_all();
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].at, static_cast<int>(2 * i + 1));
  EXPECT_TRUE(heap.empty());
}

}  // namespace
}  // namespace jobhost::runtime
