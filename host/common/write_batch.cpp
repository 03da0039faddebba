#include "common/write_batch.hpp"

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
  auto& writers = open_batch->writers_;
  // A writer seen already is flushed once: an instant's runs come grouped by
  // worker, so a repeat is usually the last one.
  if (writers.empty() || writers.back() != writer) writers.push_back(std::move(writer));
  return true;
}

void WriteBatch::flush_open() {
  if (!open_batch) return;
  // Taken first: a flush may open no batch, but it must not see these again.
  std::vector<std::shared_ptr<Writer>> writers;
  writers.swap(open_batch->writers_);
  for (const auto& writer : writers) writer->flush();
}

}  // namespace jobhost
