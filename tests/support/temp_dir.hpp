// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with everything
// in it when the object goes.
#pragma once

#include <filesystem>
#include <string>

namespace jobhost::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `file`, replacing it.
void write_file(const std::filesystem::path& file, const std::string& content);
// The whole content of `file` ("" when it does not exist).
std::string read_file(const std::filesystem::path& file);
// Copies fixture plugin NAME.so from the fixture directory into `directory`
// as `as` (default NAME.so).
void copy_fixture(const std::string& name, const std::filesystem::path& directory, std::string as = "");

}  // namespace jobhost::testing
