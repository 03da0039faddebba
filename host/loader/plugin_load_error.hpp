// PluginLoadError: why one plugin file could not be loaded. The message is the
// cause only; whoever reports it prefixes the file name.
#pragma once

#include "jobhost/error.hpp"

namespace jobhost::loader {

class PluginLoadError : public Error {
 public:
  using Error::Error;
};

}  // namespace jobhost::loader
