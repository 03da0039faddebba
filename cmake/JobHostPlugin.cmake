# jobhost_add_plugin(NAME SOURCES... [OUTPUT_DIRECTORY DIR])
#
# Builds a jobhost plugin `NAME.so` against jobhost::sdk with the flags every
# plugin needs: hidden visibility (only the entry point and the ABI marker are
# exported), no GNU-unique symbols (they would keep the library loaded
# forever), every symbol resolved at link time and at load time. C++20 comes
# with jobhost::sdk.
#
# One file for both uses: the jobhost build includes it from cmake/, and the
# installed SDK package (find_package(JobHostSDK)) includes the installed copy,
# so a plugin built out of tree gets exactly the flags of the bundled ones.
# The .so goes to OUTPUT_DIRECTORY, else JOBHOST_PLUGIN_OUTPUT_DIR when that
# is set (the jobhost build sets it), else CMake's default for the directory.
include_guard(GLOBAL)

function(jobhost_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY" "")
  if(NOT ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "jobhost_add_plugin(${name}): no source files given")
  endif()
  add_library(${name} MODULE ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE jobhost::sdk)
  target_compile_options(${name} PRIVATE
    -fvisibility=hidden -fvisibility-inlines-hidden -fno-gnu-unique)
  target_link_options(${name} PRIVATE -Wl,--no-undefined -Wl,-z,now)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    CXX_EXTENSIONS OFF)
  if(NOT ARG_OUTPUT_DIRECTORY AND DEFINED JOBHOST_PLUGIN_OUTPUT_DIR)
    set(ARG_OUTPUT_DIRECTORY "${JOBHOST_PLUGIN_OUTPUT_DIR}")
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
endfunction()
