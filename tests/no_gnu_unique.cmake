# cmake -DNM=nm -DDIRS="dir;dir..." -P no_gnu_unique.cmake
#
# Fails when a plugin (*.so) in any of DIRS has a GNU-unique symbol (`u` in
# `nm -D`): such a symbol keeps its library loaded for the rest of the process,
# so unloading or replacing the plugin would silently keep the old code. Fails
# as well when a directory holds no plugin at all, so that a wrong path cannot
# pass for a clean build.
if(NOT NM OR NOT DIRS)
  message(FATAL_ERROR "usage: cmake -DNM=nm -DDIRS=\"dir;...\" -P no_gnu_unique.cmake")
endif()
set(problems "")
set(checked 0)
foreach(dir IN LISTS DIRS)
  file(GLOB plugins LIST_DIRECTORIES false "${dir}/*.so")
  if(NOT plugins)
    message(FATAL_ERROR "no plugins (*.so) in ${dir}: build them first")
  endif()
  foreach(plugin IN LISTS plugins)
    execute_process(COMMAND "${NM}" -D --defined-only "${plugin}"
      OUTPUT_VARIABLE symbols ERROR_VARIABLE error RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "${NM} -D failed for ${plugin}: ${error}")
    endif()
    string(REGEX MATCHALL "[^\n]* u [^\n]*" unique "${symbols}")
    foreach(line IN LISTS unique)
      string(REGEX REPLACE ".* u " "" symbol "${line}")
      string(APPEND problems "\n  ${plugin}: GNU-unique symbol ${symbol}")
    endforeach()
    math(EXPR checked "${checked} + 1")
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "GNU-unique symbols keep plugins loaded forever (build with jobhost_add_plugin, which "
                      "passes -fno-gnu-unique):${problems}")
endif()
message(STATUS "${checked} plugins, no GNU-unique symbols")
