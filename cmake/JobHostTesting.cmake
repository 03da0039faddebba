# jobhost_add_test(NAME SOURCES... [LIBRARIES libs...] [LABEL label])
#
# A GoogleTest executable whose tests ctest discovers one by one, labelled
# `unit` unless another LABEL is given.
function(jobhost_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "LABEL" "LIBRARIES")
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} DISCOVERY_TIMEOUT 60)
endfunction()
