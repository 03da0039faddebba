// Loading 200 copies of a fixture plugin: the host's full load path (ELF
// check, ABI marker, dlopen, entry point, configure, jobs, validation) against
// the baseline of a bare dlopen + dlsym + dlclose of the same files.
// Target: under 5 ms per plugin.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <filesystem>
#include <vector>

#include "logging/log_hub.hpp"
#include "plugins/plugin_loader.hpp"
#include "support/temp_dir.hpp"

namespace {

constexpr int kCopies = 200;

// 200 copies of the good fixture, each its own file (so each is its own
// dlopen), made once for both benchmarks.
const std::vector<std::filesystem::path>& plugin_copies() {
  static jobhost::testing::TempDir dir;
  static std::vector<std::filesystem::path> files = [] {
    std::vector<std::filesystem::path> made;
    for (int i = 0; i < kCopies; ++i) {
      const std::string name = "good_" + std::to_string(i) + ".so";
      jobhost::testing::copy_fixture("good", dir.path(), name);
      made.push_back(dir / name);
    }
    return made;
  }();
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
  const jobhost::plugins::PluginEnvironment env{logs, [](const std::string&) { return jobhost::Settings(); }};
  const auto& files = plugin_copies();
  for (auto _ : state) {
    std::vector<jobhost::plugins::LoadedPlugin> loaded;
    loaded.reserve(files.size());
    for (const auto& file : files) loaded.push_back(jobhost::plugins::load_plugin(file, env));
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
