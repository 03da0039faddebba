// The `hello` plugin: the smallest useful plugin, and the template to copy.
//
// Job hello.greet (default @every 10s) logs a greeting with the time it was
// scheduled for. Settings:
//   [hello]
//   greeting = Hello from jobhost     (the text to log)
#include <chrono>
#include <ctime>
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

class HelloPlugin final : public jobhost::Plugin {
 public:
  // The settings it reads (SDK 1.1): the host refuses any other key.
  static jobhost::Declarations declarations() {
    return {.settings = {{"greeting", jobhost::SettingType::text, "Hello from jobhost", "the text greet logs"}}};
  }

  jobhost::PluginInfo info() const override {
    return {"hello", "1.0.0", "Logs a greeting on a schedule; the template for new plugins"};
  }

  void configure(const jobhost::Settings& settings, jobhost::Logger& logger) override {
    greeting_ = settings.get_or("greeting", "Hello from jobhost");
    logger.debug("greeting is \"" + greeting_ + "\"");
  }

  std::vector<jobhost::JobDefinition> jobs() override {
    jobhost::JobDefinition greet;
    greet.name = "greet";
    greet.description = "Logs the greeting with the scheduled time";
    greet.schedule = "@every 10s";
    // The run function may be called from several threads: it only reads
    // greeting_, which configure() set before any job runs.
    greet.run = [this](jobhost::JobContext& context) {
      context.log().info(greeting_ + " (scheduled for " + utc_text(context.scheduled_time()) + ")");
    };
    return {greet};
  }

 private:
  std::string greeting_;
};

}  // namespace

JOBHOST_PLUGIN(HelloPlugin)
