// The `heartbeat` plugin: an example of a plugin built out of tree, against
// the installed jobhost SDK (see CMakeLists.txt beside this file).
//
// Job heartbeat.beat (default @every 1m) appends one line to beats.txt in the
// plugin's state directory (STATE/plugins/heartbeat/beats.txt) and logs it:
//   2026-03-09T09:00:00Z heartbeat.beat alive
// Settings:
//   [heartbeat]
//   message = alive          (the last word of each line; one line of text)
#include <chrono>
#include <ctime>
#include <fstream>
#include <mutex>
#include <string>

#include "jobhost/jobhost.hpp"

namespace {

std::string utc_text(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

class HeartbeatPlugin final : public jobhost::Plugin {
 public:
  // The settings it reads (SDK 1.1): the host refuses any other key and
  // `jobhost list --settings` shows them.
  static jobhost::Declarations declarations() {
    return {.settings = {{"message", jobhost::SettingType::text, "alive", "what each beat logs"}}};
  }

  jobhost::PluginInfo info() const override {
    return {"heartbeat", "1.0.0", "Appends a line to a file in its state directory on a schedule"};
  }

  void configure(const jobhost::Settings& settings, jobhost::Logger& logger) override {
    message_ = settings.get_or("message", "alive");
    if (message_.empty() || message_.find_first_of("\r\n") != std::string::npos) {
      throw jobhost::ConfigError("heartbeat.message: expected one non-empty line of text");
    }
    logger.debug("message is \"" + message_ + "\"");
  }

  std::vector<jobhost::JobDefinition> jobs() override {
    jobhost::JobDefinition beat;
    beat.name = "beat";
    beat.description = "Appends the scheduled time and the message to beats.txt";
    beat.schedule = "@every 1m";
    // Runs may overlap (overlap = allow), so appending to the file is serialised.
    beat.run = [this](jobhost::JobContext& context) {
      const std::string line = utc_text(context.scheduled_time()) + " " + std::string(context.job_name()) + " " + message_;
      const auto file = context.state_dir() / "beats.txt";
      {
        std::lock_guard lock(file_mutex_);
        std::ofstream out(file, std::ios::app);
        out << line << '\n';
        out.flush();
        if (!out) throw jobhost::Error("cannot append to " + file.string());
      }
      context.log().info("wrote \"" + line + "\" to " + file.string());
    };
    return {beat};
  }

 private:
  std::string message_;
  std::mutex file_mutex_;
};

}  // namespace

JOBHOST_PLUGIN(HeartbeatPlugin)
