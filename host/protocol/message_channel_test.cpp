#include "protocol/message_channel.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

namespace jobhost::protocol {
namespace {

struct Pair {
  Pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair");
    channel = std::make_unique<MessageChannel>(fds[0]);
    raw = fds[1];
  }
  ~Pair() {
    if (raw >= 0) ::close(raw);
  }
  void write_raw(const std::string& bytes) const {
    ASSERT_EQ(::write(raw, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  std::unique_ptr<MessageChannel> channel;
  int raw = -1;
};

std::string framed(const std::vector<std::uint8_t>& body) {
  const auto size = static_cast<std::uint32_t>(body.size());
  std::string frame = {static_cast<char>(size >> 24), static_cast<char>(size >> 16), static_cast<char>(size >> 8),
                       static_cast<char>(size)};
  return frame + std::string(body.begin(), body.end());
}

// send_later() only queues: the next send() or flush() writes it, first.
TEST(MessageChannelTest, AMessageSentLaterLeavesWithTheNextWriteInOrder) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  MessageChannel host(fds[0]), worker(fds[1]);
  ASSERT_TRUE(host.send_later({{"t", "run"}, {"run", 1}}));
  ASSERT_TRUE(host.send_later({{"t", "run"}, {"run", 2}}));
  EXPECT_FALSE(worker.wait_for_input(std::chrono::milliseconds(20)));
  ASSERT_TRUE(host.send({{"t", "stop"}, {"run", 1}}));
  ASSERT_TRUE(worker.wait_for_input(std::chrono::milliseconds(1000)));
  for (const char* expected : {"run", "run", "stop"}) {
    const auto got = worker.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(read_string(*got, "t"), expected);
    // The three came in one write: after the first, the rest is buffered.
    if (std::string(expected) != "stop") {
      EXPECT_TRUE(worker.has_buffered_input());
    }
  }
  EXPECT_FALSE(worker.has_buffered_input());
  ASSERT_TRUE(host.send_later({{"t", "exit"}}));
  ASSERT_TRUE(host.flush());
  const auto last = worker.receive();
  ASSERT_TRUE(last);
  EXPECT_EQ(read_string(*last, "t"), "exit");
}

// Many threads sending at once: every message arrives whole, each thread's
// in its order.
TEST(MessageChannelTest, MessagesSentFromManyThreadsAtOnceArriveWholeAndInOrder) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  MessageChannel host(fds[0]), worker(fds[1]);
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> senders;
  for (int thread = 0; thread < kThreads; ++thread) {
    senders.emplace_back([&host, thread] {
      for (int i = 0; i < kEach; ++i) {
        const Message message = {{"t", "log"}, {"thread", thread}, {"i", i}, {"text", std::string(i % 50, 'x')}};
        ASSERT_TRUE(i % 3 == 0 ? host.send_later(message) : host.send(message));
      }
      host.flush();
    });
  }
  std::vector<int> next(kThreads, 0);
  for (int got = 0; got < kThreads * kEach; ++got) {
    const auto message = worker.receive();
    ASSERT_TRUE(message);
    const auto thread = read_unsigned(*message, "thread");
    EXPECT_EQ(read_unsigned(*message, "i"), static_cast<std::uint64_t>(next[thread]++));
  }
  for (auto& sender : senders) sender.join();
}

TEST(MessageChannelTest, CarriesMessagesBothWays) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  MessageChannel host(fds[0]), worker(fds[1]);
  ASSERT_TRUE(host.send({{"t", "run"}, {"run", 7}, {"settings", {{"a", "b"}}}}));
  const auto got = worker.receive();
  ASSERT_TRUE(got);
  EXPECT_EQ(read_string(*got, "t"), "run");
  EXPECT_EQ(read_unsigned(*got, "run"), 7u);
  EXPECT_EQ(read_string_map(*got, "settings").at("a"), "b");
}

// Messages are read through a buffer: several arriving at once, one split
// between reads, and one larger than the buffer all come out whole, in order.
TEST(MessageChannelTest, ReadsMessagesThatArriveTogetherSplitOrLarge) {
  Pair pair;
  const std::string large(100 * 1024, 'x');
  std::string bytes;
  for (int i = 0; i < 3; ++i) bytes += framed(Message::to_msgpack({{"t", "log"}, {"n", i}}));
  bytes += framed(Message::to_msgpack({{"t", "big"}, {"text", large}}));
  const std::string last = framed(Message::to_msgpack({{"t", "done"}}));
  pair.write_raw(bytes + last.substr(0, 3));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(read_unsigned(*pair.channel->receive(), "n"), static_cast<unsigned>(i));
  EXPECT_EQ(read_string(*pair.channel->receive(), "text"), large);
  pair.write_raw(last.substr(3));
  EXPECT_EQ(read_string(*pair.channel->receive(), "t"), "done");
}

TEST(MessageChannelTest, EndOfStreamIsNothing) {
  Pair pair;
  ::close(pair.raw);
  pair.raw = -1;
  EXPECT_FALSE(pair.channel->receive());
}

TEST(MessageChannelTest, RefusesAnOversizedLength) {
  Pair pair;
  pair.write_raw(std::string("\x7f\xff\xff\xff", 4));
  EXPECT_THROW(pair.channel->receive(), ProtocolError);
}

TEST(MessageChannelTest, RefusesBytesThatAreNotMessagePack) {
  Pair pair;
  pair.write_raw(framed({0xc1, 0xc1, 0xc1}));  // 0xc1 is never used in MessagePack
  EXPECT_THROW(pair.channel->receive(), ProtocolError);
}

TEST(MessageChannelTest, RefusesAMessageWithoutAType) {
  Pair pair;
  pair.write_raw(framed(Message::to_msgpack({{"run", 1}})));
  pair.write_raw(framed(Message::to_msgpack(Message::array({1, 2}))));
  EXPECT_THROW(pair.channel->receive(), ProtocolError);
  EXPECT_THROW(pair.channel->receive(), ProtocolError);
}

TEST(MessageChannelTest, RefusesAStreamEndingInsideAMessage) {
  Pair pair;
  pair.write_raw(std::string("\0\0\0\x10", 4) + "abc");
  ::close(pair.raw);
  pair.raw = -1;
  EXPECT_THROW(pair.channel->receive(), ProtocolError);
}

// A silent peer is a ReceiveTimeout, after which the channel still reads.
TEST(MessageChannelTest, ReceiveTimesOutWhenAskedAndReadsOnAfter) {
  Pair pair;
  pair.channel->set_receive_timeout(std::chrono::milliseconds(50));
  EXPECT_THROW(pair.channel->receive(), ReceiveTimeout);
  pair.write_raw(framed(Message::to_msgpack({{"t", "pong"}})));
  EXPECT_EQ(read_string(*pair.channel->receive(), "t"), "pong");
}

// spin_for_input() gives up after its budget when nothing came, and takes
// what comes meanwhile for receive(), two messages at once too.
TEST(MessageChannelTest, SpinForInputWaitsItsBudgetAndKeepsWhatCameForReceive) {
  Pair pair;
  const auto began = std::chrono::steady_clock::now();
  EXPECT_FALSE(pair.channel->spin_for_input(std::chrono::milliseconds(20)));
  EXPECT_GE(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(20));
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    pair.write_raw(framed(Message::to_msgpack({{"t", "one"}})) + framed(Message::to_msgpack({{"t", "two"}})));
  });
  EXPECT_TRUE(pair.channel->spin_for_input(std::chrono::seconds(10)));
  writer.join();
  EXPECT_EQ(read_string(*pair.channel->receive(), "t"), "one");
  EXPECT_TRUE(pair.channel->spin_for_input(std::chrono::nanoseconds(0))) << "the second message was not kept";
  EXPECT_EQ(read_string(*pair.channel->receive(), "t"), "two");
  ::close(pair.raw);
  pair.raw = -1;
  EXPECT_TRUE(pair.channel->spin_for_input(std::chrono::seconds(10))) << "the end of the stream is for receive()";
  EXPECT_FALSE(pair.channel->receive());
}

// A message that stops coming halfway is broken, not silence.
TEST(MessageChannelTest, AMessageThatStopsHalfwayIsNotATimeout) {
  Pair pair;
  pair.channel->set_receive_timeout(std::chrono::milliseconds(50));
  pair.write_raw(std::string("\0\0\0\x10", 4) + "abc");
  EXPECT_THROW(pair.channel->receive(), MessageStalled);
}

// With write-behind, a sender never waits for a peer that reads nothing:
// what the socket cannot take leaves later, in order, once the peer reads.
TEST(MessageChannelTest, WriteBehindNeverWaitsAndDeliversInOrderOnceThePeerReads) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  MessageChannel host(fds[0]), worker(fds[1]);
  host.write_behind(std::chrono::milliseconds(0));
  const std::string filler(64 * 1024, 'x');
  constexpr int kMessages = 64;  // 4 MiB: far more than the socket holds
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kMessages; ++i) ASSERT_TRUE(host.send({{"t", "run"}, {"i", i}, {"text", filler}}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  for (int i = 0; i < kMessages; ++i) {
    const auto message = worker.receive();
    ASSERT_TRUE(message);
    ASSERT_EQ(read_unsigned(*message, "i"), static_cast<std::uint64_t>(i));
  }
  EXPECT_FALSE(host.stalled());
}

// A peer that takes no byte for the stall limit is given up on: sends fail.
TEST(MessageChannelTest, WriteBehindGivesUpOnAPeerThatReadsNothing) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  MessageChannel host(fds[0]), worker(fds[1]);
  host.write_behind(std::chrono::milliseconds(100));
  const std::string filler(1024 * 1024, 'x');
  ASSERT_TRUE(host.send({{"t", "run"}, {"text", filler}}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!host.stalled() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(host.stalled());
  EXPECT_FALSE(host.send({{"t", "ping"}}));
  host.wait_for_room();  // returns: nothing will leave any more
}

// A sender that may wait is held back once a full outbox waits for the peer.
TEST(MessageChannelTest, WaitForRoomWaitsWhileTheOutboxIsFull) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  MessageChannel host(fds[0]), worker(fds[1]);
  host.write_behind(std::chrono::milliseconds(0));
  const std::string filler(2 * kOutboxBytes, 'x');
  ASSERT_TRUE(host.send({{"t", "run"}, {"text", filler}}));
  ASSERT_TRUE(host.send({{"t", "run"}, {"text", filler}}));  // waits in the outbox
  auto waited = std::async(std::launch::async, [&] { host.wait_for_room(); });
  EXPECT_EQ(waited.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  ASSERT_TRUE(worker.receive());
  ASSERT_TRUE(worker.receive());
  EXPECT_EQ(waited.wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(MessageChannelTest, FieldReadersNameTheFieldAndTheExpectedType) {
  const Message message = {{"t", "run"}, {"run", "seven"}};
  try {
    read_unsigned(message, "run");
    FAIL() << "no error";
  } catch (const ProtocolError& e) {
    EXPECT_STREQ(e.what(), "message \"run\": field \"run\" is string, expected an unsigned integer");
  }
  EXPECT_THROW(read_string(message, "job"), ProtocolError);
  EXPECT_THROW(read_integer(Message{{"t", "x"}, {"n", std::uint64_t{1} << 63}}, "n"), ProtocolError);
  EXPECT_THROW(read_string_map(Message{{"t", "x"}, {"m", {{"a", 1}}}}, "m"), ProtocolError);
}

TEST(MessageChannelTest, SendFailsQuietlyWhenTheOtherEndIsGone) {
  Pair pair;
  ::close(pair.raw);
  pair.raw = -1;
  EXPECT_FALSE(pair.channel->send({{"t", "stop"}}));  // no SIGPIPE
}

}  // namespace
}  // namespace jobhost::protocol
