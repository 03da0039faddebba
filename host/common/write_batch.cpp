#include "common/write_batch.hpp"

#include <utility>

namespace jobhost {
namespace {

thread_local WriteBatch* open_batch = nullptr;

}  // namespace

WriteBatch::WriteBatch() : outermost_(open_batch == nullptr) {
  if (outermost_) open_batch = this;
}

WriteBatch::~WriteBatch() {
  if (!outermost_) return;
  flush_open();
  open_batch = nullptr;
}

bool WriteBatch::hold(std::shared_ptr<Writer> writer) {
  if (!open_batch) return false;
  std::shared_ptr<Writer>& held = open_batch->held_;
  if (held != writer) {
    // Another destination: the one before has what it gets for now (an
    // instant's runs come grouped by worker).
    if (held) std::exchange(held, nullptr)->flush();
    held = std::move(writer);
  }
  return true;
}

void WriteBatch::flush_open() {
  // Taken first: its flush must not find it held still.
  if (open_batch && open_batch->held_) std::exchange(open_batch->held_, nullptr)->flush();
}

}  // namespace jobhost
