// Building ScheduledJobs from plain lambdas for the runtime tests.
#pragma once

#include <memory>
#include <string>

#include "logging/log_hub.hpp"
#include "runtime/scheduled_job.hpp"

namespace jobhost::runtime {

inline std::unique_ptr<ScheduledJob> make_test_job(const logging::LogHub& logs, const std::string& spec,
                                                   std::function<void(JobContext&)> run,
                                                   const std::string& name = "test.job",
                                                   const schedule::TimeZone& zone = schedule::TimeZone::local()) {
  auto job = std::make_unique<ScheduledJob>();
  job->spec.name = name;
  auto definition = std::make_shared<JobDefinition>();
  definition->name = name.substr(name.find('.') + 1);
  definition->schedule = spec;
  definition->run = std::move(run);
  job->spec.definition = std::move(definition);
  job->spec.schedule = schedule::parse_schedule(spec, zone);
  job->spec.logger = logs.make_job_logger(name);
  job->spec.run_logger = logs.make_plugin_logger(name);
  return job;
}

}  // namespace jobhost::runtime
