// TimerHeap: the earliest-first queue of deadlines behind the scheduler's
// fires and the watchdog's timeouts.
//
// A min-heap on `Entry::at` kept in a vector, so that entries can also be
// taken out before they are due (erase_if) rather than left to be skipped
// when they come up. Each owner sleeps until front().at on its own clock:
// the scheduler on the wall clock (fire instants are wall-clock instants),
// the watchdog on the steady clock (a timeout is a length of time).
//
// Thread-safety: none; its owner guards it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <vector>

namespace jobhost::runtime {

template <class Entry>
class TimerHeap {
 public:
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  // The earliest entry. Not empty().
  const Entry& front() const { return entries_.front(); }

  void push(Entry entry) {
    entries_.push_back(std::move(entry));
    std::push_heap(entries_.begin(), entries_.end(), later_);
  }

  // Takes the earliest entry off. Not empty().
  Entry pop() {
    std::pop_heap(entries_.begin(), entries_.end(), later_);
    Entry entry = std::move(entries_.back());
    entries_.pop_back();
    return entry;
  }

  // Takes off every entry for which `remove(entry)` is true; returns how many.
  template <class Predicate>
  std::size_t erase_if(Predicate remove) {
    const std::size_t erased = std::erase_if(entries_, remove);
    if (erased > 0) std::make_heap(entries_.begin(), entries_.end(), later_);
    return erased;
  }

  // Empties the heap and returns its entries, earliest first.
  std::vector<Entry> take_all() {
    std::vector<Entry> all;
    all.swap(entries_);
    std::sort_heap(all.begin(), all.end(), later_);
    std::reverse(all.begin(), all.end());
    return all;
  }

 private:
  static constexpr auto later_ = [](const Entry& a, const Entry& b) { return a.at > b.at; };

  std::vector<Entry> entries_;
};

}  // namespace jobhost::runtime
