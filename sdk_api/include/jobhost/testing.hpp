// The plugin test kit (SDK 1.1): fakes of what the host hands a plugin, so
// that a plugin's unit tests (GoogleTest or any other) call its configure()
// and its jobs' run functions without a host, a node or a log file:
//
//   jobhost::testing::FakeJobContext context("my_plugin.check", state_dir);
//   context.provider.add_fake("main").set_head(42);       // clients().chain("main")
//   context.job_settings = jobhost::testing::settings({{"threshold", "3"}});
//   job.run(context);
//   EXPECT_EQ(context.logger.take(), "head is 42\n");
//
// Header-only, installed with the SDK; it depends on the SDK headers alone.
// Not for plugin code itself: a plugin never makes its own clients.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "jobhost/settings.hpp"
#include "jobhost/testing/fake_chain_client.hpp"
#include "jobhost/testing/fake_client_provider.hpp"
#include "jobhost/testing/fake_job_context.hpp"
#include "jobhost/testing/fake_logger.hpp"

namespace jobhost::testing {

// Settings from `key = value` pairs (a braced list holding one pair is
// ambiguous for Settings' own constructors).
inline Settings settings(std::map<std::string, std::string> values) { return Settings(std::move(values)); }

}  // namespace jobhost::testing
