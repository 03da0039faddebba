# cmake -P script run by ctest (see CMakeLists.txt beside it). In a temporary
# directory it:
#  1. installs the build BUILD_DIR with `cmake --install --prefix TMP/prefix`
#     (not the prefix it was configured with) and checks the layout (binary,
#     bundled plugins, SDK headers and package, example config, systemd unit),
#     that the unit runs this prefix's jobhost with its config file and that
#     jobhost's default plugin directory is this prefix's, then installs again
#     over an edited config file, which must be kept;
#  2. configures and builds SOURCE_DIR/examples/out_of_tree_plugin with only
#     -DCMAKE_PREFIX_PATH=TMP/prefix pointing at jobhost, and runs its unit
#     tests, which use the installed test kit;
#  3. runs the installed TMP/prefix/bin/jobhost: `list` shows the bundled
#     plugins' jobs and the out-of-tree one, `run-job heartbeat.beat` runs it
#     and the line it writes in its state directory is there.
# Everything stays inside the temporary directory, which is removed at the end.
cmake_minimum_required(VERSION 3.25)

foreach(var BUILD_DIR SOURCE_DIR GENERATOR CXX_COMPILER BINDIR LIBDIR INCLUDEDIR SYSCONFDIR SYSTEMDUNITDIR PLUGINDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_test.cmake: -D${var}=... is required")
  endif()
endforeach()
# An absolute install directory would be written outside the temporary prefix.
foreach(var BINDIR LIBDIR INCLUDEDIR SYSCONFDIR SYSTEMDUNITDIR)
  if(IS_ABSOLUTE "${${var}}")
    message("install test skipped: the install directory ${var}=${${var}} is absolute, "
            "so `cmake --install --prefix` would write outside a temporary prefix")
    return()
  endif()
endforeach()

execute_process(COMMAND mktemp -d -t jobhost-install-test.XXXXXXXX
  OUTPUT_VARIABLE tmp OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT IS_DIRECTORY "${tmp}")
  message(FATAL_ERROR "mktemp -d failed: ${status}")
endif()
# As jobhost sees itself (/proc/self/exe), without symbolic links.
file(REAL_PATH "${tmp}" tmp)
set(prefix "${tmp}/prefix")

macro(fail)
  file(REMOVE_RECURSE "${tmp}")
  message(FATAL_ERROR "${ARGN}")
endmacro()

# Runs a command (a list); fails the test unless it exits 0. The output goes
# to OUT_VAR, stdout and stderr together.
function(run step out_var)
  execute_process(COMMAND ${ARGN}
    OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status TIMEOUT 180)
  if(NOT status EQUAL 0)
    list(JOIN ARGN " " command)
    fail("${step} failed (${status}):\n  ${command}\n${output}")
  endif()
  message(STATUS "${step}: ok")
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    fail("not installed: ${path}")
  endif()
endfunction()

function(expect_in text what)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    fail("expected \"${what}\" in:\n${text}")
  endif()
endfunction()

# 1. Install, with DESTDIR unset so nothing goes outside the prefix.
set(install_command "${CMAKE_COMMAND}" -E env --unset=DESTDIR "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
run("cmake --install" output ${install_command})

set(jobhost "${prefix}/${BINDIR}/jobhost")
set(plugin_dir "${prefix}/${PLUGINDIR}")
set(cmake_dir "${prefix}/${LIBDIR}/cmake/JobHostSDK")
set(config "${prefix}/${SYSCONFDIR}/jobhost/jobhost.ini")
set(unit "${prefix}/${SYSTEMDUNITDIR}/jobhost.service")
expect_file("${jobhost}")
expect_file("${prefix}/${BINDIR}/jobhost-worker")  # plugins run in it, found beside jobhost
foreach(plugin hello tx_watch chain_height)
  expect_file("${plugin_dir}/${plugin}.so")
endforeach()
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/sdk_api/include" "${SOURCE_DIR}/sdk_api/include/jobhost/*.hpp")
foreach(header IN LISTS headers)
  expect_file("${prefix}/${INCLUDEDIR}/${header}")
endforeach()
foreach(file JobHostSDKConfig.cmake JobHostSDKConfigVersion.cmake JobHostSDKTargets.cmake JobHostPlugin.cmake)
  expect_file("${cmake_dir}/${file}")
endforeach()
expect_file("${config}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${SOURCE_DIR}/examples/jobhost.ini" "${config}"
  RESULT_VARIABLE differs)
if(differs)
  fail("${config} is not examples/jobhost.ini")
endif()
expect_file("${unit}")
file(READ "${unit}" unit_text)
expect_in("${unit_text}" "\nType=notify\n")
expect_in("${unit_text}" "\nExecStart=${jobhost} run --config ${config}\n")
expect_in("${unit_text}" "\nStateDirectory=jobhost\n")
expect_in("${unit_text}" "\nKillMode=mixed\n")
expect_in("${unit_text}" "\nOOMPolicy=continue\n")

# An installed config file is the administrator's: installing again keeps it
# and puts the example beside it.
file(APPEND "${config}" "# edited\n")
run("cmake --install again" output ${install_command})
file(READ "${config}" config_text)
expect_in("${config_text}" "# edited\n")
expect_file("${config}.new")

# Without a plugin-dir, jobhost loads the plugin directory of the prefix it
# was installed to, found from where it is, and `help` names it.
run("jobhost help run" output "${jobhost}" help run)
expect_in("${output}" "\nDefault plugin-dir (the installation's): ${plugin_dir}\n")
run("jobhost list (default plugin-dir)" output "${jobhost}" list)
foreach(what "${plugin_dir}/hello.so" hello.greet tx_watch.confirm chain_height.watch)
  expect_in("${output}" "${what}")
endforeach()

# 2. The out-of-tree plugin, found through CMAKE_PREFIX_PATH alone.
set(build "${tmp}/build")
run("configure examples/out_of_tree_plugin" output
  "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/examples/out_of_tree_plugin" -B "${build}" -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${prefix}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
file(STRINGS "${build}/CMakeCache.txt" found REGEX "^JobHostSDK_DIR:")
if(NOT found STREQUAL "JobHostSDK_DIR:PATH=${cmake_dir}")
  fail("found another JobHostSDK: ${found}, expected ${cmake_dir}")
endif()
run("build examples/out_of_tree_plugin" output "${CMAKE_COMMAND}" --build "${build}")
expect_file("${build}/heartbeat.so")
# Its unit tests, against the installed SDK's test kit (jobhost/testing.hpp).
run("heartbeat_test (the example's unit tests)" output "${build}/heartbeat_test")
expect_in("${output}" "[  PASSED  ] 4 tests.")
if(READELF)
  # jobhost_add_plugin's link flags reached it: -Wl,-z,now.
  run("readelf -d heartbeat.so" output "${READELF}" -d "${build}/heartbeat.so")
  expect_in("${output}" "BIND_NOW")
endif()
# "Drop the .so into the plugin directory."
file(COPY "${build}/heartbeat.so" DESTINATION "${tmp}/plugins")

# 3. The installed binary with the installed plugins and the out-of-tree one.
run("jobhost list" output "${jobhost}" list --plugin-dir "${plugin_dir}" --plugin-dir "${tmp}/plugins")
foreach(what "${plugin_dir}/hello.so" hello.greet tx_watch.confirm chain_height.watch
             "${tmp}/plugins/heartbeat.so" heartbeat.beat "@every 1m" " process ")
  expect_in("${output}" "${what}")
endforeach()

run("jobhost run-job heartbeat.beat" output
  "${jobhost}" run-job heartbeat.beat --plugin-dir "${tmp}/plugins" --state-dir "${tmp}/state"
  --set heartbeat.message=from-the-installed-sdk)
expect_in("${output}" "[heartbeat.beat] wrote")
set(beats "${tmp}/state/plugins/heartbeat/beats.txt")
if(NOT EXISTS "${beats}")
  fail("heartbeat.beat did not write ${beats}:\n${output}")
endif()
file(READ "${beats}" beats_text)
expect_in("${beats_text}" " heartbeat.beat from-the-installed-sdk\n")

file(REMOVE_RECURSE "${tmp}")
message(STATUS "installed to a temporary prefix, built and ran an out-of-tree plugin: ok")
