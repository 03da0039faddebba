// The entry point and ABI marker, apart from the plugin's code so that the
// unit tests build that code without them.
#include "heartbeat.hpp"

JOBHOST_PLUGIN(heartbeat::HeartbeatPlugin)
