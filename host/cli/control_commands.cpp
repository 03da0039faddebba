// `jobhost status|trigger|pause|resume`: requests to the daemon running with
// the same state directory, over its control socket.
#include <iostream>

#include <nlohmann/json.hpp>
#include <set>

#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "control/control_socket.hpp"
#include "jobs/host_settings.hpp"

namespace jobhost::cli {
namespace {

std::string text_or(const nlohmann::json& value, const std::string& fallback) {
  return value.is_string() ? value.get<std::string>() : fallback;
}

// The jobs JSON of `status` as a table.
void print_status(const std::string& body) {
  const auto jobs = nlohmann::json::parse(body);
  std::vector<std::vector<std::string>> rows = {
      {"JOB", "STATE", "ISOLATION", "RUNNING", "LAST RUN", "NEXT FIRE", "OK", "FAILED", "TIMEOUT", "KILLED", "SKIPPED",
       "MISSED", "DESCRIPTION"}};
  for (const auto& job : jobs) {
    const std::string state = !job["enabled"].get<bool>() ? "disabled" : job["paused"].get<bool>() ? "paused" : "enabled";
    std::string last = "-";
    if (const auto& run = job["last_run"]; run.is_object()) {
      char duration[32];
      std::snprintf(duration, sizeof duration, "%.3fs", run["duration_seconds"].get<double>());
      last = text_or(run["outcome"], "?") + " in " + duration + " (" + text_or(run["scheduled"], "?") + ")";
    }
    const auto& runs = job["runs"];
    // "none", or "process" with its worker's state: "process: running (pid 42)".
    const std::string isolation =
        text_or(job["isolation"], "?") + (job["worker"].is_string() ? ": " + job["worker"].get<std::string>() : "");
    rows.push_back({job["name"].get<std::string>(), state, isolation, std::to_string(job["running"].get<int>()), last,
                    text_or(job["next_fire"], "-"), std::to_string(runs["ok"].get<std::uint64_t>()),
                    std::to_string(runs["failed"].get<std::uint64_t>()),
                    std::to_string(runs["timeout"].get<std::uint64_t>()),
                    std::to_string(runs["killed"].get<std::uint64_t>()),
                    std::to_string(runs["skipped"].get<std::uint64_t>()),
                    std::to_string(runs["missed"].get<std::uint64_t>()), text_or(job["description"], "")});
  }
  print_table(std::cout, rows);
  // A plugin whose new file was refused goes on as it was loaded: said once.
  std::set<std::string> refused;
  for (const auto& job : jobs) {
    if (!job.contains("replacement_refused") || !job["replacement_refused"].is_string()) continue;
    const std::string name = job["name"].get<std::string>();
    const std::string plugin = name.substr(0, name.find('.'));
    if (!refused.insert(plugin).second) continue;
    std::cout << "\n" << plugin << ": its file was replaced by one that is not loaded ("
              << job["replacement_refused"].get<std::string>() << "); it goes on as loaded before\n";
  }
}

}  // namespace

int control_daemon(const Invocation& invocation) {
  const auto state_dir = jobs::HostSettings::state_dir_from(invocation.config);
  std::string request = invocation.command;
  if (!invocation.operands.empty()) request += " " + invocation.operands.front();
  control::Reply reply;
  try {
    reply = control::send_request(control::socket_path(state_dir), request);
  } catch (const control::ControlError& e) {
    std::cerr << "jobhost: " << e.what() << "\n";
    return 1;
  }
  if (!reply.ok) {
    std::cerr << "jobhost: " << reply.body << "\n";
    return 1;
  }
  if (invocation.command == "status") {
    print_status(reply.body);
  } else {
    std::cout << reply.body;
  }
  return 0;
}

}  // namespace jobhost::cli
