// What the daemon does with a control request (see control_socket.hpp):
//   status        the jobs as JSON (observe/jobs_json.hpp), paused ones marked
//   trigger JOB   fire JOB now, through its overlap policy
//   pause JOB     stop firing JOB (fires while paused are not run, nor caught up)
//   resume JOB    fire JOB again from its next fire
// Unknown requests and jobs get an error reply naming them.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "control/control_socket.hpp"
#include "observe/host_snapshot.hpp"
#include "runtime/dispatcher.hpp"

namespace jobhost::control {

struct ControlTarget {
  std::function<observe::HostSnapshot()> snapshot;
  runtime::Dispatcher& dispatcher;
  std::function<std::chrono::system_clock::time_point()> now;
};

Reply answer_request(const std::string& request, const ControlTarget& target);

}  // namespace jobhost::control
