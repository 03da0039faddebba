#include "common/write_batch.hpp"

#include <thread>

#include <gtest/gtest.h>

namespace jobhost {
namespace {

struct CountingWriter final : WriteBatch::Writer {
  void flush() override { ++flushes; }
  int flushes = 0;
};

TEST(WriteBatchTest, WithoutABatchNothingIsHeldBack) {
  auto writer = std::make_shared<CountingWriter>();
  EXPECT_FALSE(WriteBatch::hold(writer));
  WriteBatch::flush_open();
  EXPECT_EQ(writer->flushes, 0);
}

// One writer is held at a time: holding another flushes it.
TEST(WriteBatchTest, AWriterIsFlushedWhenAnotherIsHeldOrTheBatchCloses) {
  auto first = std::make_shared<CountingWriter>();
  auto second = std::make_shared<CountingWriter>();
  {
    WriteBatch batch;
    EXPECT_TRUE(WriteBatch::hold(first));
    EXPECT_TRUE(WriteBatch::hold(first));
    EXPECT_EQ(first->flushes, 0);
    EXPECT_TRUE(WriteBatch::hold(second));
    EXPECT_EQ(first->flushes, 1);
    EXPECT_EQ(second->flushes, 0);
  }
  EXPECT_EQ(first->flushes, 1);
  EXPECT_EQ(second->flushes, 1);
  EXPECT_FALSE(WriteBatch::hold(first));  // closed
}

TEST(WriteBatchTest, TheBatchKeepsItsWritersAlive) {
  std::weak_ptr<CountingWriter> watched;
  {
    WriteBatch batch;
    auto writer = std::make_shared<CountingWriter>();
    watched = writer;
    WriteBatch::hold(std::move(writer));
    EXPECT_FALSE(watched.expired());
  }
  EXPECT_TRUE(watched.expired());
}

TEST(WriteBatchTest, FlushOpenWritesNowAndTheBatchGoesOn) {
  auto writer = std::make_shared<CountingWriter>();
  WriteBatch batch;
  WriteBatch::hold(writer);
  WriteBatch::flush_open();
  EXPECT_EQ(writer->flushes, 1);
  WriteBatch::hold(writer);
  WriteBatch::flush_open();
  EXPECT_EQ(writer->flushes, 2);
}

TEST(WriteBatchTest, ANestedBatchJoinsTheOutermost) {
  auto writer = std::make_shared<CountingWriter>();
  {
    WriteBatch outer;
    {
      WriteBatch inner;
      WriteBatch::hold(writer);
    }
    EXPECT_EQ(writer->flushes, 0);
  }
  EXPECT_EQ(writer->flushes, 1);
}

TEST(WriteBatchTest, ABatchBelongsToItsThread) {
  auto writer = std::make_shared<CountingWriter>();
  WriteBatch batch;
  bool held_elsewhere = true;
  std::thread([&] { held_elsewhere = WriteBatch::hold(writer); }).join();
  EXPECT_FALSE(held_elsewhere);
}

}  // namespace
}  // namespace jobhost
