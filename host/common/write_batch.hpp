// WriteBatch: lets one thread that sends many messages in a row (an executor
// thread starting an instant's runs in worker processes) have each
// destination written once, with everything sent to it in a row, instead of
// once a message: the scope holds back the writes of the one writer taking
// part now (a worker process's socket: isolation::WorkerSocket), and does
// them when another writer takes part or the scope closes. An instant's runs
// come grouped by worker, so that each worker is written about once.
//
// Hold one only around work that ends soon: a message held back waits for
// the next writer, the scope's end or flush_open(), and a task that may
// block calls flush_open() first.
//
// Thread-safety: a batch belongs to the thread that opened it; nested
// batches join the outermost one.
#pragma once

#include <memory>

namespace jobhost {

class WriteBatch {
 public:
  // What holds back writes: flush() writes what it holds.
  class Writer {
   public:
    virtual ~Writer() = default;
    virtual void flush() = 0;
  };

  WriteBatch();
  // Flushes every writer that held back a write.
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // With a batch open on this thread: keeps `writer` (alive) to be flushed
  // when another is held or the batch closes, flushing the one held before,
  // and returns true; false when none is open (write now).
  static bool hold(std::shared_ptr<Writer> writer);
  // Flushes the writers of the batch open on this thread, if any, now.
  static void flush_open();

 private:
  std::shared_ptr<Writer> held_;
  bool outermost_;
};

}  // namespace jobhost
