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

Message write_info(const PluginInfo& info, const std::optional<Declarations>& declarations) {
  Message declared = nullptr;
  if (declarations) {
    declared = {{"settings", Message::array()}, {"chains", Message::array()}};
    for (const auto& setting : declarations->settings) {
      declared["settings"].push_back({{"key", setting.key},
                                      {"type", static_cast<int>(setting.type)},
                                      {"default", setting.default_value},
                                      {"help", setting.help}});
    }
    for (const auto& chain : declarations->chains) {
      declared["chains"].push_back({{"name", chain.name}, {"setting", chain.setting}});
    }
  }
  return {{"t", "info"},
          {"name", info.name},
          {"version", info.version},
          {"description", info.description},
          {"declarations", std::move(declared)}};
}

PluginInfo read_info(const Message& message) {
  return {read_string(message, "name"), read_string(message, "version"), read_string(message, "description")};
}

std::optional<Declarations> read_declarations(const Message& info) {
  const auto it = info.find("declarations");
  if (it == info.end()) throw ProtocolError("message \"info\": no field \"declarations\"");
  if (it->is_null()) return std::nullopt;
  if (!it->is_object()) throw ProtocolError("message \"info\": field \"declarations\" is neither null nor a map");
  Declarations declarations;
  for (const auto& item : read_array(*it, "settings")) {
    if (!item.is_object()) throw ProtocolError("message \"info\": a declared setting is not a map");
    const std::uint64_t type = read_unsigned(item, "type");
    if (type > static_cast<std::uint64_t>(SettingType::list)) {
      throw ProtocolError("message \"info\": setting type " + std::to_string(type) + ", expected 0 to " +
                          std::to_string(static_cast<int>(SettingType::list)));
    }
    declarations.settings.push_back({read_string(item, "key"), static_cast<SettingType>(type),
                                     read_string(item, "default"), read_string(item, "help")});
  }
  for (const auto& item : read_array(*it, "chains")) {
    if (!item.is_object()) throw ProtocolError("message \"info\": a declared chain is not a map");
    declarations.chains.push_back({read_string(item, "name"), read_string(item, "setting")});
  }
  return declarations;
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
