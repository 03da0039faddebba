#include "loader/plugin_loader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>  // before library_info.hpp, which uses it without including it

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <spdlog/logger.h>

#include "loader/abi_marker.hpp"
#include "loader/declared_settings.hpp"
#include "loader/elf_precheck.hpp"
#include "loader/open_library.hpp"
#include "loader/plugin_load_error.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::loader {
namespace {

// A loaded library and the copy it was loaded from. When it goes, the
// library is unloaded, then the copy released: removed, or kept with a
// warning when something still pins the library.
class PluginLibrary {
 public:
  PluginLibrary(std::filesystem::path file, ShadowCopy copy, std::shared_ptr<spdlog::logger> log)
      : file_(std::move(file)), copy_(std::move(copy)), log_(std::move(log)) {}

  ~PluginLibrary() {
    library_.unload();
    if (copy_.release()) {
      log_->warn("{}: still loaded after unloading (something pins it, such as a GNU-unique symbol or a thread "
                 "that has not ended); its copy {} is kept",
                 file_.string(), copy_.path().string());
    }
  }

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  boost::dll::shared_library& library() { return library_; }
  const ShadowCopy& copy() const { return copy_; }

 private:
  std::filesystem::path file_;
  ShadowCopy copy_;
  std::shared_ptr<spdlog::logger> log_;
  boost::dll::shared_library library_;
};

// Everything that must live exactly as long as a plugin's code may run, in
// the order it must go: job definitions, then the plugin object, then its
// logger, then the library.
struct PluginHolder {
  std::shared_ptr<PluginLibrary> library;
  std::unique_ptr<Logger> logger;
  Plugin* plugin = nullptr;
  std::vector<JobDefinition> jobs;

  ~PluginHolder() {
    jobs.clear();
    delete plugin;
  }
};

AbiVersion read_abi_marker(const std::filesystem::path& file) {
  std::vector<std::string> sections;
  try {
    boost::dll::library_info info(file);
    sections = info.sections();
  } catch (const std::exception& e) {
    throw PluginLoadError(std::string("cannot read ELF sections: ") + e.what());
  }
  for (const auto& section : sections) {
    if (auto abi = parse_abi_section(section)) return *abi;
  }
  throw PluginLoadError("no jobhost ABI marker (was it built with JOBHOST_PLUGIN from the jobhost SDK?)");
}

}  // namespace

namespace {

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

void check_plugin_name(const std::string& name) {
  static const std::set<std::string> kSections = {"chain", "isolation", "job", "log"};
  // A plugin's lines would pass for the host's own: its logger is its name,
  // its jobs' are "PLUGIN.JOB" (and the chains' SDK loggers "sdk.CHAIN").
  static const std::set<std::string> kLoggers = {"jobhost", "clients", "plugins", "scheduler", "systemd", "sdk"};
  if (!valid_name(name)) {
    throw PluginLoadError("invalid plugin name \"" + name + "\" (expected lowercase letters, digits and _)");
  }
  if (kSections.count(name)) {
    throw PluginLoadError("plugin name \"" + name + "\" is reserved for the host's configuration sections");
  }
  if (kLoggers.count(name)) {
    throw PluginLoadError("plugin name \"" + name + "\" is reserved for the host's own loggers");
  }
}

void check_jobs(const std::vector<JobDefinition>& jobs) {
  std::set<std::string> seen;
  for (const auto& job : jobs) {
    if (!valid_name(job.name)) {
      throw PluginLoadError("invalid job name \"" + job.name + "\" (expected lowercase letters, digits and _)");
    }
    if (!seen.insert(job.name).second) throw PluginLoadError("two jobs are named \"" + job.name + "\"");
    if (!job.run) throw PluginLoadError("job \"" + job.name + "\" has no run function");
    try {
      schedule::parse_schedule(job.schedule);
    } catch (const schedule::ScheduleError& e) {
      throw PluginLoadError("job \"" + job.name + "\": invalid default schedule: " + e.what());
    }
  }
}

CheckedPlugin check_plugin(const std::filesystem::path& file, const PluginEnvironment& env) {
  ShadowCopy copy = env.copies->copy(open_plugin_file(file, env.file_rules).fd());
  if (env.allow_list) env.allow_list->check(file.filename().string(), copy.sha256());
  precheck_elf(copy.path());
  const AbiVersion abi = read_abi_marker(copy.path());
  if (const auto why = incompatibility(abi, host_abi())) throw PluginLoadError("ABI mismatch: " + *why);
  return {file, std::move(copy)};
}

LoadedPlugin load_in_process(CheckedPlugin checked, const PluginEnvironment& env) {
  const std::filesystem::path file = checked.file;
  ShadowCopy copy = std::move(checked.copy);
  auto holder = std::make_shared<PluginHolder>();
  holder->library = std::make_shared<PluginLibrary>(file, std::move(copy), env.logs.make("plugins"));
  boost::dll::shared_library& library = holder->library->library();
  open_library(library, holder->library->copy().path());
  holder->plugin = create_plugin(library);

  LoadedPlugin loaded;
  loaded.file = file;
  loaded.copy = holder->library->copy().path();
  loaded.sha256 = holder->library->copy().sha256();
  loaded.info = guarded("info()", [&] { return holder->plugin->info(); });
  check_plugin_name(loaded.info.name);
  holder->logger = env.logs.make_plugin_logger(loaded.info.name);
  const Settings settings = env.settings_for(loaded.info.name);
  loaded.declarations = read_declarations(library);
  if (loaded.declarations) check_plugin_settings(loaded.info.name, *loaded.declarations, settings);
  guarded("configure()", [&] { holder->plugin->configure(settings, *holder->logger); });
  holder->jobs = guarded("jobs()", [&] { return holder->plugin->jobs(); });
  check_jobs(holder->jobs);

  loaded.plugin = std::shared_ptr<Plugin>(holder, holder->plugin);
  loaded.library = holder->library;
  for (const auto& job : holder->jobs) loaded.jobs.push_back(std::shared_ptr<const JobDefinition>(holder, &job));
  return loaded;
}

bool is_plugin_file_name(const std::string& name) {
  return !name.starts_with(".") && !name.ends_with(".tmp") && name.ends_with(".so");
}

std::vector<std::filesystem::path> find_plugin_files(const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) throw PluginLoadError("cannot read plugin directory: " + ec.message());
  std::vector<std::filesystem::path> files;
  for (const auto& entry : it) {
    if (is_plugin_file_name(entry.path().filename().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

LoadedPlugin load_plugin(const std::filesystem::path& file, const PluginEnvironment& env) {
  return load_in_process(check_plugin(file, env), env);
}

PluginSet load_plugins(const std::vector<std::filesystem::path>& directories,
                       const std::function<LoadedPlugin(const std::filesystem::path&)>& load,
                       const std::function<bool()>& stop) {
  PluginSet set;
  std::map<std::string, std::filesystem::path> owners;  // plugin name -> file that has it
  for (const auto& directory : directories) {
    std::vector<std::filesystem::path> files;
    try {
      files = find_plugin_files(directory);
    } catch (const PluginLoadError& e) {
      set.errors.push_back(directory.string() + ": " + e.what());
      continue;
    }
    for (const auto& file : files) {
      if (stop && stop()) return set;
      try {
        LoadedPlugin plugin = load(file);
        auto [owner, inserted] = owners.emplace(plugin.info.name, file);
        if (!inserted) {
          throw PluginLoadError("plugin name \"" + plugin.info.name + "\" is already used by " +
                                owner->second.string());
        }
        set.plugins.push_back(std::move(plugin));
      } catch (const PluginLoadError& e) {
        set.errors.push_back(file.string() + ": " + e.what());
      }
    }
  }
  return set;
}

}  // namespace jobhost::loader
