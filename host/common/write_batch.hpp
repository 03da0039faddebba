// WriteBatch: lets one thread that sends many messages in a row (an executor
// thread starting an instant's runs in worker processes) have each
// destination written once, with everything sent to it, instead of once a
// message: the scope holds back the writes of the writers that take part
// (a run started in a worker process: isolation::WorkerConnection) and does
// them when it closes.
//
// Hold one only around work that ends soon: a message held back waits for
// the scope's end (or flush_open()), and a task that may block calls
// flush_open() first.
//
// Thread-safety: a batch belongs to the thread that opened it; nested
// batches join the outermost one.
#pragma once

#include <memory>
#include <vector>

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
  // when it closes and returns true; false when none is open (write now).
  static bool hold(std::shared_ptr<Writer> writer);
  // Flushes the writers of the batch open on this thread, if any, now.
  static void flush_open();

 private:
  std::vector<std::shared_ptr<Writer>> writers_;
  bool outermost_;
};

}  // namespace jobhost
