// The `chain_height` plugin: warns when a chain stops producing blocks or its
// node stops answering.
//
// Job chain_height.watch (default @every 15s) asks each chain for its latest
// block number. A chain that cannot be asked is "unreachable"; one whose
// height has not grown for stall-after is "stalled". Each problem is logged
// as an error when it starts, then again at most once per stall-after while it
// lasts; the recovery is logged at info. Every height is logged at debug.
// Settings (the job's own section [job.chain_height.watch] may override them):
//   [chain_height]
//   chains = main           (the host's chain clients to watch, comma-separated)
//   stall-after = 2m        (how long without a new block is a stall; e.g. 90s, 1h30m)
//
// Files: none; the health of each chain lives in memory and starts afresh
// (healthy, no height yet) when the daemon restarts.
#include <memory>

#include "jobhost/duration.hpp"
#include "config.hpp"
#include "height_watch.hpp"
#include "jobhost/jobhost.hpp"

namespace {

class ChainHeightPlugin final : public jobhost::Plugin {
 public:
  // The settings it reads and the chains it watches (SDK 1.1).
  static jobhost::Declarations declarations() {
    return {.settings = {{"chains", jobhost::SettingType::list, "main",
                          "the host's chain clients to watch, separated by commas"},
                         {"stall-after", jobhost::SettingType::duration, "2m",
                          "no new block this long: the chain is reported stalled"}},
            .chains = {{.setting = "chains"}}};
  }

  jobhost::PluginInfo info() const override {
    return {"chain_height", "1.0.0", "Warns when a chain stops producing blocks or stops answering"};
  }

  void configure(const jobhost::Settings& settings, jobhost::Logger& logger) override {
    // Checked now so a bad value refuses the plugin at start-up; each run
    // reads them again with the job's overrides.
    const chain_height::Config config = chain_height::parse_config(settings);
    std::string chains;
    for (const auto& name : config.chains) chains += (chains.empty() ? "" : ", ") + name;
    logger.debug("watching " + chains + "; stalled after " + jobhost::format_duration(config.stall_after));
  }

  std::vector<jobhost::JobDefinition> jobs() override {
    jobhost::JobDefinition watch;
    watch.name = "watch";
    watch.description = "Checks that every watched chain answers and keeps producing blocks";
    watch.schedule = "@every 15s";
    watch.run = [job = job_](jobhost::JobContext& context) { job->run(context); };
    return {watch};
  }

 private:
  std::shared_ptr<chain_height::HeightWatch> job_ = std::make_shared<chain_height::HeightWatch>();
};

}  // namespace

JOBHOST_PLUGIN(ChainHeightPlugin)
