# jobhost_add_plugin(NAME SOURCES... [OUTPUT_DIRECTORY DIR])
#
# Builds a jobhost plugin `NAME.so` against jobhost::sdk with the flags every
# plugin needs: hidden visibility (only the entry point and the ABI marker are
# exported), no GNU-unique symbols (they would keep the library loaded
# forever), every symbol resolved at link time and at load time.
function(jobhost_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY" "")
  add_library(${name} MODULE ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE jobhost::sdk)
  target_compile_options(${name} PRIVATE
    -fvisibility=hidden -fvisibility-inlines-hidden -fno-gnu-unique)
  target_link_options(${name} PRIVATE -Wl,--no-undefined -Wl,-z,now)
  if(NOT ARG_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY "${JOBHOST_PLUGIN_OUTPUT_DIR}")
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
endfunction()
