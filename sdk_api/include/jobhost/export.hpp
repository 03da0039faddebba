// JOBHOST_PLUGIN(Type): makes a shared library a jobhost plugin.
//
// Write it once, at namespace scope, in one source file of the plugin:
//
//   JOBHOST_PLUGIN(my_namespace::MyPlugin)
//
// It exports three things:
//  - the entry point `jobhost_create_plugin`, which returns a new Type
//    (default-constructed) that the host owns and deletes;
//  - (SDK 1.1) `jobhost_plugin_declarations`, which fills a Declarations from
//    Type::declarations() when Type has one (declarations.hpp);
//  - the ABI marker: an ELF section whose name records the SDK version, the
//    compiler's major version and _GLIBCXX_USE_CXX11_ABI. The host reads the
//    section names from the file before loading it and refuses a plugin built
//    for a different ABI, so no code of a mismatched plugin ever runs.
#pragma once

#include "jobhost/declarations.hpp"
#include "jobhost/plugin.hpp"
#include "jobhost/version.hpp"

#define JOBHOST_STRINGIFY_(x) #x
#define JOBHOST_STRINGIFY(x) JOBHOST_STRINGIFY_(x)

// The marker's section name, e.g. "jobhost_abi.sdk_1_0.gcc_12.cxx11abi_1".
#define JOBHOST_ABI_SECTION                                                        \
  "jobhost_abi.sdk_" JOBHOST_STRINGIFY(JOBHOST_SDK_VERSION_MAJOR) "_" JOBHOST_STRINGIFY( \
      JOBHOST_SDK_VERSION_MINOR) ".gcc_" JOBHOST_STRINGIFY(__GNUC__) ".cxx11abi_"          \
      JOBHOST_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)

#define JOBHOST_PLUGIN(Type)                                                               \
  extern "C" __attribute__((visibility("default"), used, section(JOBHOST_ABI_SECTION)))    \
  const char jobhost_abi_marker[] = JOBHOST_ABI_SECTION;                                   \
  extern "C" __attribute__((visibility("default"))) ::jobhost::Plugin* jobhost_create_plugin() { \
    return new Type();                                                                     \
  }                                                                                        \
  extern "C" __attribute__((visibility("default"))) bool jobhost_plugin_declarations(      \
      ::jobhost::Declarations* out) {                                                      \
    return ::jobhost::detail::declarations_of<Type>(*out);                                 \
  }
