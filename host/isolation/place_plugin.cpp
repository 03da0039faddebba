#include "isolation/place_plugin.hpp"

#include "loader/plugin_load_error.hpp"

namespace jobhost::isolation {
namespace {

// Thrown out of the handshake to stop the worker of a plugin that runs here.
struct RunsInProcess {};

}  // namespace

std::variant<loader::LoadedPlugin, loader::CheckedPlugin> place_in_worker(loader::CheckedPlugin checked,
                                                                          const loader::PluginEnvironment& env,
                                                                          const WorkerEnvironment& workers,
                                                                          const IsolationChoice& choice) {
  if (!choice.any_process()) return checked;
  auto copy = std::make_shared<loader::ShadowCopy>(std::move(checked.copy));
  try {
    return WorkerPlugin::load(checked.file, copy, env, workers, [&choice](const PluginInfo& info) {
      if (choice.of(info.name) == Isolation::none) throw RunsInProcess{};
    });
  } catch (const RunsInProcess&) {
  }
  // The worker is gone, and with it every other share of the copy.
  return loader::CheckedPlugin{checked.file, std::move(*copy)};
}

loader::LoadedPlugin place_plugin(const std::filesystem::path& file, const loader::PluginEnvironment& env,
                                  const WorkerEnvironment& workers, const IsolationChoice& choice) {
  auto placed = place_in_worker(loader::check_plugin(file, env), env, workers, choice);
  if (auto* in_worker = std::get_if<loader::LoadedPlugin>(&placed)) return std::move(*in_worker);
  return loader::load_in_process(std::move(std::get<loader::CheckedPlugin>(placed)), env);
}

}  // namespace jobhost::isolation
