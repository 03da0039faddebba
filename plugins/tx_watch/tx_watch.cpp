// The `tx_watch` plugin: confirms blockchain transactions that other systems
// hand it, and reports each one once it is final.
//
// Job tx_watch.confirm (default @every 15s). Settings (the job's own section
// [job.tx_watch.confirm] may override them):
//   [tx_watch]
//   chain = main            (the host's chain client to ask, [chain.NAME])
//   confirmations = 1       (blocks a mined transaction needs, its own included; >= 1)
//   drop-after = 1h         (unknown to the node for longer than this since first
//                            seen: reported as dropped; e.g. 500ms, 30s, 1h30m)
//
// Files, in the plugin's state directory (STATE/plugins/tx_watch):
//   inbox/           other systems drop text files here: one hash (0x and 64 hex
//                    digits) per line, # comments; write NAME.tmp or .NAME, then
//                    rename. A file is deleted once its hashes are pending. One
//                    written in place is read once its last line ends with a
//                    newline (or after 10 s quiet), and again if it changed
//                    while read; invalid lines: one warning per file.
//   pending          the transactions being watched: "HASH FIRST_SEEN_UNIX_SECONDS"
//                    per line; replaced atomically (temp file, fsync, rename).
//   confirmed.jsonl  one JSON object per finished transaction, appended once:
//                    {"chain":"main","tx":"0x…","status":"success"|"failed"|"dropped",
//                     "block":N|null,"confirmations":K}
// A crash at any instant loses no hash and reports none twice.
#include <memory>

#include "jobhost/duration.hpp"
#include "confirm_job.hpp"
#include "config.hpp"
#include "jobhost/jobhost.hpp"

namespace {

class TxWatchPlugin final : public jobhost::Plugin {
 public:
  // The settings it reads and the chain it asks (SDK 1.1).
  static jobhost::Declarations declarations() {
    return {.settings = {{"chain", jobhost::SettingType::text, "main", "the host's chain client to ask ([chain.NAME])"},
                         {"confirmations", jobhost::SettingType::unsigned_integer, "1",
                          "blocks a mined transaction needs, its own included (at least 1)"},
                         {"drop-after", jobhost::SettingType::duration, "1h",
                          "unknown to the node this long since first seen: reported as dropped"}},
            .chains = {{.setting = "chain"}}};
  }

  jobhost::PluginInfo info() const override {
    return {"tx_watch", "1.0.0", "Confirms the transactions dropped into its inbox and reports each one once"};
  }

  void configure(const jobhost::Settings& settings, jobhost::Logger& logger) override {
    // Checked now so a bad value refuses the plugin at start-up; each run
    // reads them again with the job's overrides.
    const tx_watch::Config config = tx_watch::parse_config(settings);
    logger.debug("chain " + config.chain + ", " + std::to_string(config.confirmations) +
                 " confirmations, drop after " + jobhost::format_duration(config.drop_after));
  }

  std::vector<jobhost::JobDefinition> jobs() override {
    jobhost::JobDefinition confirm;
    confirm.name = "confirm";
    confirm.description = "Confirms the pending transactions and reports the finished ones";
    confirm.schedule = "@every 15s";
    confirm.run = [job = job_](jobhost::JobContext& context) { job->run(context); };
    return {confirm};
  }

 private:
  std::shared_ptr<tx_watch::ConfirmJob> job_ = std::make_shared<tx_watch::ConfirmJob>();
};

}  // namespace

JOBHOST_PLUGIN(TxWatchPlugin)
