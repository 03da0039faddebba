// The parts of the plugin messages that both sides read and write: log
// levels, plugin information and the jobs a plugin offers (docs/isolation.md
// lists every message).
//
// Stateless functions; any thread. The read_* functions throw ProtocolError.
#pragma once

#include <optional>
#include <vector>

#include "jobhost/declarations.hpp"
#include "jobhost/logger.hpp"
#include "jobhost/plugin.hpp"
#include "protocol/message_channel.hpp"

namespace jobhost::protocol {

// A level travels as its number in LogLevel (0 = trace ... 5 = critical).
LogLevel read_level(const Message& message, const char* field);

// {"t":"info", name, version, description, declarations}: declarations is
// null when the plugin declares nothing, else {settings: [{key, type,
// default, help}], chains: [{name, setting}]} (type: SettingType's number).
Message write_info(const PluginInfo& info, const std::optional<Declarations>& declarations);
PluginInfo read_info(const Message& message);
std::optional<Declarations> read_declarations(const Message& info);

// {"t":"jobs","jobs":[{name, description, schedule, settings}]}: the run
// functions stay behind, in the worker; the jobs read here have none.
Message write_jobs(const std::vector<JobDefinition>& jobs);
std::vector<JobDefinition> read_jobs(const Message& message);

}  // namespace jobhost::protocol
