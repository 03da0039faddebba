#include "height_watch.hpp"

#include <exception>

#include "config.hpp"

namespace chain_height {

void HeightWatch::run(jobhost::JobContext& context) {
  const Config config = parse_config(context.settings());
  std::scoped_lock lock(mutex_);
  for (const auto& name : config.chains) {
    if (context.stop_token().stop_requested()) return;
    ChainHealth& health = chains_.try_emplace(name, name).first->second;
    std::uint64_t height = 0;
    // Whatever one chain throws, the others are still checked.
    try {
      height = context.clients().chain(name).block_number();
    } catch (const std::exception& e) {
      health.saw_failure(e.what(), context.scheduled_time(), config.stall_after, context.log());
      continue;
    }
    health.saw_height(height, context.scheduled_time(), config.stall_after, context.log());
  }
}

}  // namespace chain_height
