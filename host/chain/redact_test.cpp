#include "chain/redact.hpp"

#include <gtest/gtest.h>

namespace jobhost::chain {
namespace {

TEST(RedactUrl, ExampleFromTheHeader) {
  EXPECT_EQ(redact_url("https://user:secret@node.example/rpc?key=abc"), "https://***@node.example/rpc?key=***");
}

TEST(RedactUrl, UserAndPassword) {
  EXPECT_EQ(redact_url("http://alice:pa55word@127.0.0.1:8545/"), "http://***@127.0.0.1:8545/");
  EXPECT_EQ(redact_url("http://alice:pa55word@127.0.0.1:8545"), "http://***@127.0.0.1:8545");
}

TEST(RedactUrl, UserOnly) {
  EXPECT_EQ(redact_url("https://apikey123@node.example/v1"), "https://***@node.example/v1");
}

TEST(RedactUrl, UnencodedAtSignInPassword) {
  EXPECT_EQ(redact_url("https://bob:p@ss@node.example/"), "https://***@node.example/");
}

TEST(RedactUrl, EveryQueryValue) {
  EXPECT_EQ(redact_url("https://node.example/rpc?apikey=abc&network=main&x="),
            "https://node.example/rpc?apikey=***&network=***&x=***");
  EXPECT_EQ(redact_url("https://node.example?token=t0k"), "https://node.example?token=***");
}

TEST(RedactUrl, BareQueryTokenIsRedactedToo) {
  EXPECT_EQ(redact_url("https://node.example/rpc?s3cr3t"), "https://node.example/rpc?***");
  EXPECT_EQ(redact_url("https://node.example/rpc?a=1&&flag"), "https://node.example/rpc?a=***&&***");
  EXPECT_EQ(redact_url("https://node.example/rpc?"), "https://node.example/rpc?");
}

TEST(RedactUrl, FragmentDropped) {
  EXPECT_EQ(redact_url("https://node.example/rpc#section"), "https://node.example/rpc");
  EXPECT_EQ(redact_url("https://u:p@node.example/rpc?k=v#frag?x=y"), "https://***@node.example/rpc?k=***");
}

TEST(RedactUrl, EverythingAtOnce) {
  EXPECT_EQ(redact_url("https://u:p@h:443/a/b?x=1&y=2#f"), "https://***@h:443/a/b?x=***&y=***");
}

TEST(RedactUrl, NothingToHideIsUnchanged) {
  for (const char* url : {"http://127.0.0.1:8545", "http://127.0.0.1:8545/", "https://node.example/rpc/v2",
                          "http://[::1]:8545/", "https://node.example/path@with-at", ""}) {
    EXPECT_EQ(redact_url(url), url);
  }
}

TEST(RedactUrl, WithoutScheme) {
  EXPECT_EQ(redact_url("user:pw@node.example/rpc?k=v"), "***@node.example/rpc?k=***");
  EXPECT_EQ(redact_url("node.example:8545"), "node.example:8545");
}

}  // namespace
}  // namespace jobhost::chain
