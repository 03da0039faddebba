#include "isolation/place_plugin.hpp"

#include "loader/plugin_load_error.hpp"

namespace jobhost::isolation {
namespace {

// Thrown out of the handshake to stop the worker of a plugin that runs here.
struct RunsInProcess {};

}  // namespace

loader::LoadedPlugin place_plugin(const std::filesystem::path& file, const loader::PluginEnvironment& env,
                                  const WorkerEnvironment& workers, const IsolationChoice& choice) {
  loader::CheckedPlugin checked = loader::check_plugin(file, env);
  if (!choice.any_process()) return loader::load_in_process(std::move(checked), env);
  auto copy = std::make_shared<loader::ShadowCopy>(std::move(checked.copy));
  try {
    return WorkerPlugin::load(file, copy, env, workers, [&choice](const PluginInfo& info) {
      if (choice.of(info.name) == Isolation::none) throw RunsInProcess{};
    });
  } catch (const RunsInProcess&) {
  }
  // The worker is gone, and with it every other share of the copy.
  return loader::load_in_process({file, std::move(*copy)}, env);
}

}  // namespace jobhost::isolation
