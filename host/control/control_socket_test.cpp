#include "control/control_socket.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace jobhost::control {
namespace {

using testing::TempDir;

TEST(ControlSocket, AnswersRequestsWithTheHandlersReply) {
  TempDir dir;
  ControlServer server(socket_path(dir.path()), [](const std::string& request) {
    return request == "status" ? Reply{true, "all fine\n"} : Reply{false, "what is " + request + "?"};
  });
  const Reply status = send_request(socket_path(dir.path()), "status");
  EXPECT_TRUE(status.ok);
  EXPECT_EQ(status.body, "all fine\n");
  const Reply odd = send_request(socket_path(dir.path()), "dance");
  EXPECT_FALSE(odd.ok);
  EXPECT_EQ(odd.body, "what is dance?");
}

TEST(ControlSocket, OnlyItsOwnerMayUseIt) {
  TempDir dir;
  ControlServer server(socket_path(dir.path()), [](const std::string&) { return Reply{}; });
  struct stat info {};
  ASSERT_EQ(stat(socket_path(dir.path()).c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(ControlSocket, NoDaemonIsAClearError) {
  TempDir dir;
  try {
    send_request(socket_path(dir.path()), "status");
    FAIL() << "no error";
  } catch (const ControlError& e) {
    EXPECT_EQ(std::string(e.what()), "no jobhost daemon is running with this state directory (nothing listens at " +
                                         socket_path(dir.path()).string() + ")");
  }
}

TEST(ControlSocket, ASecondDaemonOnTheSameStateDirectoryIsRefused) {
  TempDir dir;
  ControlServer first(socket_path(dir.path()), [](const std::string&) { return Reply{}; });
  EXPECT_THROW(ControlServer(socket_path(dir.path()), [](const std::string&) { return Reply{}; }), ControlError);
  EXPECT_TRUE(send_request(socket_path(dir.path()), "status").ok) << "the first still answers";
}

TEST(ControlSocket, ReplacesASocketLeftByADaemonThatDied) {
  TempDir dir;
  { ControlServer gone(socket_path(dir.path()), [](const std::string&) { return Reply{}; }); }
  testing::write_file(socket_path(dir.path()), "");  // a stale file where the socket was
  ControlServer server(socket_path(dir.path()), [](const std::string&) { return Reply{true, "new\n"}; });
  EXPECT_EQ(send_request(socket_path(dir.path()), "status").body, "new\n");
}

TEST(ControlSocket, RemovesItsSocketWhenItGoes) {
  TempDir dir;
  { ControlServer server(socket_path(dir.path()), [](const std::string&) { return Reply{}; }); }
  EXPECT_FALSE(std::filesystem::exists(socket_path(dir.path())));
}

}  // namespace
}  // namespace jobhost::control
