# jobhost_add_test(NAME SOURCES... [LIBRARIES libs...] [LABEL label] [RUN_SERIAL])
#
# A GoogleTest executable whose tests ctest discovers one by one, labelled
# `unit` unless another LABEL is given. RUN_SERIAL: its tests run while no
# other test does (they change something machine-wide).
function(jobhost_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "RUN_SERIAL" "LABEL" "LIBRARIES")
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES} GTest::gtest GTest::gtest_main)
  set(serial FALSE)
  if(ARG_RUN_SERIAL)
    set(serial TRUE)
  endif()
  # Test executables are not beside jobhost-worker: they name it.
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${ARG_LABEL} RUN_SERIAL ${serial}
    ENVIRONMENT "JOBHOST_WORKER=$<TARGET_FILE:jobhost-worker>")
endfunction()
