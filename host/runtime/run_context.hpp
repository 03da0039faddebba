// RunContext: the JobContext of one run (see sdk_api/include/jobhost/job_context.hpp).
// Lives on the stack of the thread that runs the job, for that run only; of
// a run in a worker process, as long as its Run (job_run_state.hpp).
#pragma once

#include <chrono>
#include <stop_token>

#include "jobhost/job_context.hpp"
#include "runtime/scheduled_job.hpp"

namespace jobhost::runtime {

class RunContext final : public JobContext {
 public:
  // `stop` must outlive the context.
  RunContext(ScheduledJob& job, ClientProvider& clients, const std::stop_source& stop,
             std::chrono::system_clock::time_point scheduled)
      : job_(job), clients_(clients), stop_(stop), scheduled_(scheduled) {}

  Logger& log() override { return *job_.spec.run_logger; }
  ClientProvider& clients() override { return clients_; }
  const Settings& settings() const override { return job_.spec.settings; }
  const std::filesystem::path& state_dir() const override { return job_.spec.state_dir; }
  std::stop_token stop_token() const override { return stop_.get_token(); }
  std::chrono::system_clock::time_point scheduled_time() const override { return scheduled_; }
  std::string_view job_name() const override { return job_.spec.name; }

  // Makes it the context of the run of another fire of the same job.
  void reschedule(std::chrono::system_clock::time_point scheduled) { scheduled_ = scheduled; }

 private:
  ScheduledJob& job_;
  ClientProvider& clients_;
  const std::stop_source& stop_;  // a token is made only for a job that asks
  std::chrono::system_clock::time_point scheduled_;
};

}  // namespace jobhost::runtime
