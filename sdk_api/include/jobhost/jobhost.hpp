// The whole plugin SDK in one include.
#pragma once

#include "jobhost/chain_client.hpp"
#include "jobhost/client_provider.hpp"
#include "jobhost/declarations.hpp"
#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "jobhost/export.hpp"
#include "jobhost/job_context.hpp"
#include "jobhost/logger.hpp"
#include "jobhost/plugin.hpp"
#include "jobhost/settings.hpp"
#include "jobhost/text.hpp"
#include "jobhost/version.hpp"
