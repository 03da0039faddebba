// The version of the plugin SDK (the headers in this directory).
//
// A plugin records the SDK version it was compiled against in its ABI marker
// (see export.hpp). The host loads a plugin only when the major versions are
// equal and the plugin's minor version is not newer than the host's.
// The major version changes whenever a type in these headers changes layout
// or a virtual function is added or removed.
#pragma once

#define JOBHOST_SDK_VERSION_MAJOR 1
#define JOBHOST_SDK_VERSION_MINOR 1
