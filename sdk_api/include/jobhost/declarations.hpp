// Declarations (SDK 1.1): what a plugin says about itself before it is
// configured — the settings it reads and the chains its jobs use — so that
// the host refuses a misspelt or malformed setting with the list of those the
// plugin accepts, and `jobhost check` reports a chain that is not configured,
// before any run.
//
// A plugin declares by giving its Plugin class a static member function
//
//   static jobhost::Declarations declarations();
//
// which JOBHOST_PLUGIN (export.hpp) finds and exports. The host calls it
// once, before configure(). A plugin without one, and every plugin built
// against SDK 1.0, is loaded as before: any key is accepted, with a warning.
//
// Plain values: copies are independent; safe to read from any thread. Every
// member has an initializer, so designated initializers may leave members
// out ({.setting = "chain"}) without a -Wmissing-field-initializers warning.
#pragma once

#include <concepts>
#include <string>
#include <vector>

namespace jobhost {

// How the host checks a setting's value: as the Settings getter of the same
// name reads it (settings.hpp).
enum class SettingType {
  text,              // any text: Settings::get
  duration,          // "500ms", "1h30m": Settings::duration
  unsigned_integer,  // Settings::unsigned_integer
  boolean,           // true/yes/on/1 or false/no/off/0: Settings::boolean
  list,              // "main, sepolia": Settings::list
};

struct SettingDeclaration {
  // The key within the plugin's section: `[PLUGIN] KEY = ...`, `--set
  // PLUGIN.KEY=...`, or in a job's own section `[job.PLUGIN.JOB]`.
  std::string key = {};
  SettingType type = SettingType::text;
  // The value the plugin uses when the key is not set, as text ("" for
  // none); shown by `jobhost list --settings`, and the chain a ChainUse's
  // setting names when it is not set.
  std::string default_value = {};
  std::string help = {};  // one line
};

// A chain the plugin's jobs ask for with clients().chain(NAME): either a
// fixed name, or the declared setting whose value names it (a list setting
// names several); set exactly one of the two.
struct ChainUse {
  std::string name = {};     // e.g. "main"
  std::string setting = {};  // e.g. "chain"
};

struct Declarations {
  std::vector<SettingDeclaration> settings = {};
  std::vector<ChainUse> chains = {};
};

namespace detail {

// Used by JOBHOST_PLUGIN: fills `out` from Type::declarations() and returns
// true, or returns false when Type declares nothing.
template <class Type>
bool declarations_of(Declarations& out) {
  if constexpr (requires {
                  { Type::declarations() } -> std::convertible_to<Declarations>;
                }) {
    out = Type::declarations();
    return true;
  } else {
    return false;
  }
}

}  // namespace detail
}  // namespace jobhost
