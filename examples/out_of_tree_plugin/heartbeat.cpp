#include "heartbeat.hpp"

#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>

namespace heartbeat {
namespace {

std::string utc_text(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

jobhost::Declarations HeartbeatPlugin::declarations() {
  return {.settings = {{"message", jobhost::SettingType::text, "alive", "the last word of each beat's line"},
                       {"chain", jobhost::SettingType::text, "main", "the chain client head asks ([chain.NAME])"}},
          .chains = {{.setting = "chain"}}};
}

jobhost::PluginInfo HeartbeatPlugin::info() const {
  return {"heartbeat", "1.0.0", "Appends a line to a file in its state directory and logs a chain's head"};
}

void HeartbeatPlugin::configure(const jobhost::Settings& settings, jobhost::Logger& logger) {
  message_ = settings.get_or("message", "alive");
  if (message_.empty() || message_.find_first_of("\r\n") != std::string::npos) {
    throw jobhost::ConfigError("heartbeat.message: expected one non-empty line of text");
  }
  logger.debug("message is \"" + message_ + "\"");
}

std::vector<jobhost::JobDefinition> HeartbeatPlugin::jobs() {
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

  jobhost::JobDefinition head;
  head.name = "head";
  head.description = "Logs the latest block of its chain";
  head.schedule = "@every 30s";
  // The client is the host's: shared, thread-safe, never created here. An
  // error it throws (node down, chain not configured) fails the run.
  head.run = [](jobhost::JobContext& context) {
    const std::string chain = context.settings().get_or("chain", "main");
    const std::uint64_t block = context.clients().chain(chain).block_number();
    context.log().info("chain " + chain + " is at block " + std::to_string(block));
  };
  return {beat, head};
}

}  // namespace heartbeat
