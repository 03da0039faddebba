// Many distinct plugins from one build: copies of the many_jobs fixture, each
// with a plugin name and file content of its own, and dropping a file into the
// plugin directory of a running daemon.
//
// The host refuses a second plugin with a name already taken, and (once it
// loads plugins through shadow copies named by their SHA-256) would take
// identical files for one. Building a target per plugin would cost CI minutes,
// so each copy's placeholder name bytes (kPluginName in
// tests/fixtures/many_jobs.cpp) are overwritten in place with a distinct name
// of at most the same length, padded with NUL: same size, same layout, other
// name, other hash.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace jobhost::bench {

// The plugin name of copy `index`: "many_jobs_NNNN".
std::string plugin_copy_name(std::size_t index);

// Writes `count` copies of many_jobs.so into `directory` as NAME.so (mode
// 0755) and returns their paths in name order. Throws std::runtime_error when
// the fixture does not hold the placeholder exactly once.
std::vector<std::filesystem::path> make_plugin_copies(const std::filesystem::path& directory, std::size_t count);

// The `jobhost run` arguments that give each of the first `count` copies
// `jobs_per_copy` jobs (`--set NAME.jobs=N`).
std::vector<std::string> plugin_copy_job_args(std::size_t count, std::size_t jobs_per_copy);

// The `jobhost run` arguments that make job_0 of each of the first `count`
// copies fire on `schedule` (`--schedule NAME.job_0=SPEC`).
std::vector<std::string> plugin_copy_schedule_args(std::size_t count, const std::string& schedule);

// Drops `file` into `directory` as `as` the way operators should: copied
// beside it under a name the host ignores (`.as.tmp`), then renamed into
// place. Returns the wall-clock time just before the rename.
std::chrono::system_clock::time_point drop_in(const std::filesystem::path& file, const std::filesystem::path& directory,
                                              const std::string& as);

}  // namespace jobhost::bench
