#include "loader/declared_settings.hpp"

#include <algorithm>

#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {
namespace {

const SettingDeclaration* find_setting(const Declarations& declarations, const std::string& key) {
  const auto it = std::find_if(declarations.settings.begin(), declarations.settings.end(),
                               [&](const SettingDeclaration& setting) { return setting.key == key; });
  return it == declarations.settings.end() ? nullptr : &*it;
}

std::string accepted_keys(const Declarations& declarations) {
  if (declarations.settings.empty()) return "it declares none";
  std::string keys = "its settings: ";
  for (std::size_t i = 0; i < declarations.settings.size(); ++i) {
    keys += (i ? ", " : "") + declarations.settings[i].key;
  }
  return keys;
}

// Reads `value` as the Settings getter of `type` does; throws ConfigError
// naming `shown_key`.
void read_as(SettingType type, const std::string& shown_key, const std::string& value) {
  const Settings one(std::map<std::string, std::string>{{shown_key, value}});
  switch (type) {
    case SettingType::text:
      return;
    case SettingType::duration:
      one.duration(shown_key, {});
      return;
    case SettingType::unsigned_integer:
      one.unsigned_integer(shown_key, 0);
      return;
    case SettingType::boolean:
      one.boolean(shown_key, false);
      return;
    case SettingType::list:
      one.list(shown_key);
      return;
  }
}

}  // namespace

std::optional<std::string> check_declared_setting(const std::string& plugin, const Declarations& declarations,
                                                  const std::string& key, const std::string& value,
                                                  const std::string& shown_key) {
  const SettingDeclaration* setting = find_setting(declarations, key);
  if (!setting) {
    return shown_key + ": " + plugin + " has no setting \"" + key + "\" (" + accepted_keys(declarations) + ")";
  }
  try {
    read_as(setting->type, shown_key, value);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return std::nullopt;
}

void check_plugin_settings(const std::string& plugin, const Declarations& declarations, const Settings& section) {
  std::string problems;
  for (const auto& [key, value] : section.all()) {
    if (auto problem = check_declared_setting(plugin, declarations, key, value, plugin + "." + key)) {
      problems += (problems.empty() ? "" : "; ") + *problem;
    }
  }
  if (!problems.empty()) throw PluginLoadError(problems);
}

std::vector<ChainNeed> chains_needed(const Declarations& declarations, const Settings& job_settings) {
  std::vector<ChainNeed> needs;
  for (const auto& use : declarations.chains) {
    if (use.setting.empty()) {
      needs.push_back({use.name, ""});
      continue;
    }
    const SettingDeclaration* setting = find_setting(declarations, use.setting);
    const std::string value = job_settings.get_or(use.setting, setting ? setting->default_value : "");
    if (value.empty()) continue;
    std::vector<std::string> chains = {value};
    if (setting && setting->type == SettingType::list) {
      try {
        chains = Settings(std::map<std::string, std::string>{{use.setting, value}}).list(use.setting);
      } catch (const ConfigError&) {
        continue;
      }
    }
    for (auto& chain : chains) needs.push_back({std::move(chain), "setting " + use.setting});
  }
  return needs;
}

std::string describe(SettingType type) {
  switch (type) {
    case SettingType::text:
      return "text";
    case SettingType::duration:
      return "duration";
    case SettingType::unsigned_integer:
      return "unsigned integer";
    case SettingType::boolean:
      return "boolean";
    case SettingType::list:
      return "list";
  }
  return "?";
}

}  // namespace jobhost::loader
