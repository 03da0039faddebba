#include "plugin_copies.hpp"

#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "support/temp_dir.hpp"

namespace jobhost::bench {
namespace {

// kPluginName's initial value in tests/fixtures/many_jobs.cpp.
constexpr std::string_view kPlaceholder = "many_jobs_name_placeholder_5e0c71d9a4";

}  // namespace

std::string plugin_copy_name(std::size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "many_jobs_%04zu", index);
  return name;
}

std::vector<std::filesystem::path> make_plugin_copies(const std::filesystem::path& directory, std::size_t count) {
  const auto fixture = std::filesystem::path(JOBHOST_TEST_FIXTURE_DIR) / "many_jobs.so";
  const std::string image = testing::read_file(fixture);
  const std::size_t at = image.find(kPlaceholder);
  if (at == std::string::npos || image.find(kPlaceholder, at + 1) != std::string::npos) {
    throw std::runtime_error(fixture.string() + ": the plugin name placeholder is not there exactly once");
  }
  std::vector<std::filesystem::path> files;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name = plugin_copy_name(i);
    std::string copy = image;
    name.resize(kPlaceholder.size(), '\0');
    copy.replace(at, kPlaceholder.size(), name);
    const auto file = directory / (plugin_copy_name(i) + ".so");
    testing::write_file(file, copy);
    std::filesystem::permissions(file, std::filesystem::perms(0755));
    files.push_back(file);
  }
  return files;
}

std::vector<std::string> plugin_copy_job_args(std::size_t count, std::size_t jobs_per_copy) {
  std::vector<std::string> args;
  for (std::size_t i = 0; i < count; ++i) {
    args.push_back("--set");
    args.push_back(plugin_copy_name(i) + ".jobs=" + std::to_string(jobs_per_copy));
  }
  return args;
}

std::vector<std::string> plugin_copy_schedule_args(std::size_t count, const std::string& schedule) {
  std::vector<std::string> args;
  for (std::size_t i = 0; i < count; ++i) {
    args.push_back("--schedule");
    args.push_back(plugin_copy_name(i) + ".job_0=" + schedule);
  }
  return args;
}

std::chrono::system_clock::time_point drop_in(const std::filesystem::path& file, const std::filesystem::path& directory,
                                              const std::string& as) {
  const auto incoming = directory / ("." + as + ".tmp");
  std::filesystem::copy_file(file, incoming, std::filesystem::copy_options::overwrite_existing);
  const auto renamed_at = std::chrono::system_clock::now();
  std::filesystem::rename(incoming, directory / as);
  return renamed_at;
}

}  // namespace jobhost::bench
