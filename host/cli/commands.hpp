// The subcommands. Each returns the process's exit status:
// 0 success, 1 the command's own failure (a job failed, check found
// problems), 2 bad usage or configuration.
#pragma once

#include "cli/command_line.hpp"

namespace jobhost::cli {

int run_daemon(const Invocation& invocation);
int list_plugins_and_jobs(const Invocation& invocation);
int check_everything(const Invocation& invocation);
int print_next_fires(const Invocation& invocation);
int run_job_now(const Invocation& invocation);
// status, trigger, pause, resume: requests to the running daemon.
int control_daemon(const Invocation& invocation);

// Dispatches to the command `invocation` names; a ConfigError from any of them
// is printed and turned into exit status 2.
int execute(const Invocation& invocation);

}  // namespace jobhost::cli
