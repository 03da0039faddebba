#include "protocol/plugin_messages.hpp"

namespace jobhost::protocol {

LogLevel read_level(const Message& message, const char* field) {
  const std::uint64_t level = read_unsigned(message, field);
  if (level > static_cast<std::uint64_t>(LogLevel::critical)) {
    throw ProtocolError("message \"" + read_string(message, "t") + "\": field \"" + field + "\" is " +
                        std::to_string(level) + ", expected a log level from 0 to 5");
  }
  return static_cast<LogLevel>(level);
}

Message write_info(const PluginInfo& info) {
  return {{"t", "info"}, {"name", info.name}, {"version", info.version}, {"description", info.description}};
}

PluginInfo read_info(const Message& message) {
  return {read_string(message, "name"), read_string(message, "version"), read_string(message, "description")};
}

Message write_jobs(const std::vector<JobDefinition>& jobs) {
  Message list = Message::array();
  for (const auto& job : jobs) {
    list.push_back({{"name", job.name},
                    {"description", job.description},
                    {"schedule", job.schedule},
                    {"settings", job.settings}});
  }
  return {{"t", "jobs"}, {"jobs", std::move(list)}};
}

std::vector<JobDefinition> read_jobs(const Message& message) {
  std::vector<JobDefinition> jobs;
  for (const auto& item : read_array(message, "jobs")) {
    if (!item.is_object()) throw ProtocolError("message \"jobs\": a job is not a map");
    JobDefinition job;
    job.name = read_string(item, "name");
    job.description = read_string(item, "description");
    job.schedule = read_string(item, "schedule");
    job.settings = read_string_map(item, "settings");
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace jobhost::protocol
