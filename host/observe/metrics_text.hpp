// The Prometheus text exposition format (version 0.0.4) of a host snapshot:
//   jobhost_job_runs_total{job,outcome}    counter: ok, failed, stopped, timeout,
//                                          skipped (overlap), missed (misfire)
//   jobhost_job_duration_seconds{job}      histogram of run durations
//   jobhost_job_lag_seconds{job}           histogram of run start minus fire instant
//   jobhost_job_running{job}               gauge: runs that have not returned
//   jobhost_plugins_loaded                 gauge
//   jobhost_plugin_load_errors_total       counter
//   jobhost_client_init_total{chain,outcome}  counter: ok, failed
//   jobhost_build_info{version,sdk}        gauge, always 1
#pragma once

#include <string>

#include "observe/host_snapshot.hpp"

namespace jobhost::observe {

std::string render_metrics(const HostSnapshot& host);

// `value` as a Prometheus label value: backslash, double quote and newline
// escaped.
std::string escape_label(const std::string& value);

}  // namespace jobhost::observe
