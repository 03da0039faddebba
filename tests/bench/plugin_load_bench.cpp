// Loading 200 distinct plugins: the host's full load path (file checks, private
// copy, ELF check, ABI marker, dlopen, entry point, configure, jobs,
// validation) against the baseline of a bare dlopen + dlsym + dlclose of the
// same files.
// Target: under 5 ms per plugin.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <filesystem>
#include <vector>

#include "logging/log_hub.hpp"
#include "loader/plugin_loader.hpp"
#include "plugin_copies.hpp"
#include "support/temp_dir.hpp"

namespace {

constexpr int kCopies = 200;

// 200 distinct plugins (copies of the many_jobs fixture, each with a name and
// bytes of its own: the host loads identical bytes once), made once for both
// benchmarks.
const std::vector<std::filesystem::path>& plugin_copies() {
  static jobhost::testing::TempDir dir;
  static std::vector<std::filesystem::path> files = jobhost::bench::make_plugin_copies(dir.path(), kCopies);
  return files;
}

void per_plugin(benchmark::State& state) {
  state.counters["per_plugin"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kCopies,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_LoadPluginsWithJobhost(benchmark::State& state) {
  jobhost::logging::LogOptions options;
  options.level = spdlog::level::warn;  // the fixture logs at info when configured
  jobhost::logging::LogHub logs(options);
  // One job each, as in a typical plugin.
  const jobhost::loader::PluginEnvironment env{
      logs, [](const std::string&) { return jobhost::Settings(std::map<std::string, std::string>{{"jobs", "1"}}); },
      jobhost::loader::ShadowCopies::temporary({})};
  const auto& files = plugin_copies();
  for (auto _ : state) {
    std::vector<jobhost::loader::LoadedPlugin> loaded;
    loaded.reserve(files.size());
    for (const auto& file : files) loaded.push_back(jobhost::loader::load_plugin(file, env));
    benchmark::DoNotOptimize(loaded.data());
  }  // unloading is part of each iteration, as in the baseline
  per_plugin(state);
}

void BM_BaselineBareDlopen(benchmark::State& state) {
  const auto& files = plugin_copies();
  for (auto _ : state) {
    std::vector<void*> handles;
    handles.reserve(files.size());
    for (const auto& file : files) {
      void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      benchmark::DoNotOptimize(dlsym(handle, "jobhost_create_plugin"));
      handles.push_back(handle);
    }
    for (void* handle : handles) dlclose(handle);
  }
  per_plugin(state);
}

BENCHMARK(BM_BaselineBareDlopen)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadPluginsWithJobhost)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
