#include "loader/abi_marker.hpp"

#include <gtest/gtest.h>

#include "jobhost/export.hpp"

namespace jobhost::loader {
namespace {

TEST(AbiMarker, TheSdkMacroProducesTheHostsOwnAbi) {
  auto abi = parse_abi_section(JOBHOST_ABI_SECTION);
  ASSERT_TRUE(abi.has_value());
  EXPECT_EQ(*abi, host_abi());
  EXPECT_FALSE(incompatibility(*abi, host_abi()));
}

TEST(AbiMarker, ParsesEveryField) {
  auto abi = parse_abi_section("jobhost_abi.sdk_3_7.gcc_13.cxx11abi_0");
  ASSERT_TRUE(abi.has_value());
  EXPECT_EQ(abi->sdk_major, 3);
  EXPECT_EQ(abi->sdk_minor, 7);
  EXPECT_EQ(abi->compiler_major, 13);
  EXPECT_EQ(abi->cxx11_abi, 0);
}

TEST(AbiMarker, RejectsOtherSectionNames) {
  for (const char* name : {".text", "", "jobhost_abi.", "jobhost_abi.sdk_1_0.gcc_12.cxx11abi_",
                           "jobhost_abi.sdk_1_0.gcc_12.cxx11abi_1x", "jobhost_abi.sdk_-1_0.gcc_12.cxx11abi_1",
                           "jobhost_abi.sdk_99999999999_0.gcc_12.cxx11abi_1"}) {
    EXPECT_FALSE(parse_abi_section(name).has_value()) << name;
  }
}

TEST(AbiMarker, CompatibilityRulesAndWhatToDo) {
  const AbiVersion host{1, 2, 12, 1};
  EXPECT_FALSE(incompatibility({1, 2, 12, 1}, host));
  EXPECT_FALSE(incompatibility({1, 0, 12, 1}, host)) << "an older minor version is fine";
  EXPECT_EQ(incompatibility({1, 3, 12, 1}, host),
            "built against SDK 1.3, this host provides SDK 1.2: upgrade jobhost or build against SDK 1.2")
      << "a newer minor version may use what the host lacks";
  EXPECT_EQ(incompatibility({2, 0, 12, 1}, host),
            "built against SDK 2.0, this host provides SDK 1.2: build it against SDK 1.x");
  EXPECT_EQ(incompatibility({1, 2, 13, 1}, host), "built with g++ 13, this host with g++ 12: build it with g++ 12");
  EXPECT_EQ(incompatibility({1, 2, 12, 0}, host),
            "built with _GLIBCXX_USE_CXX11_ABI=0, this host with 1: build it with _GLIBCXX_USE_CXX11_ABI=1");
}

}  // namespace
}  // namespace jobhost::loader
