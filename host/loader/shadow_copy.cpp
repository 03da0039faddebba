#include "loader/shadow_copy.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {
namespace {

std::string error_text(int error) { return std::strerror(error); }

// A file being written under a temporary name; removed unless kept.
struct TemporaryFile {
  std::filesystem::path path;
  int fd = -1;
  bool kept = false;

  ~TemporaryFile() {
    if (fd >= 0) ::close(fd);
    if (!kept && !path.empty()) ::unlink(path.c_str());
  }
};

void write_all(int fd, const unsigned char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) throw PluginLoadError("cannot write the private copy: " + error_text(errno));
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

// SHA-256 over the bytes passed to update(), with OpenSSL's EVP interface.
class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
      EVP_MD_CTX_free(context_);
      throw PluginLoadError("cannot compute SHA-256 (OpenSSL)");
    }
  }
  ~Sha256() { EVP_MD_CTX_free(context_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const unsigned char* data, std::size_t size) {
    if (EVP_DigestUpdate(context_, data, size) != 1) throw PluginLoadError("cannot compute SHA-256 (OpenSSL)");
  }

  // 64 lowercase hex digits.
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_, digest, &size) != 1) throw PluginLoadError("cannot compute SHA-256 (OpenSSL)");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < size; ++i) {
      text += kDigits[digest[i] >> 4];
      text += kDigits[digest[i] & 0xf];
    }
    return text;
  }

 private:
  EVP_MD_CTX* context_;
};

// Throws ConfigError when `directory`'s parents fail the strict check.
void check_parents(const std::filesystem::path& directory, const PluginFileRules& rules) {
  if (!rules.strict) return;
  try {
    check_directory_chain(directory.parent_path());
  } catch (const PluginLoadError& e) {
    throw ConfigError("plugin copies in " + directory.string() + ": " + e.what());
  }
}

}  // namespace

std::shared_ptr<ShadowCopies> ShadowCopies::in_directory(const std::filesystem::path& directory,
                                                         const PluginFileRules& rules) {
  const auto fail = [&](const std::string& cause) {
    throw ConfigError("plugin copies: cannot use " + directory.string() + ": " + cause);
  };
  std::error_code ec;
  std::filesystem::create_directories(directory.parent_path().empty() ? "." : directory.parent_path(), ec);
  if (ec) fail(ec.message());
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) fail(error_text(errno));
  struct stat status;
  if (::lstat(directory.c_str(), &status) != 0) fail(error_text(errno));
  if (!S_ISDIR(status.st_mode)) fail("not a directory");
  if (status.st_uid != geteuid()) fail("owned by uid " + std::to_string(status.st_uid) + ", not this user");
  if ((status.st_mode & 07777) != 0700 && ::chmod(directory.c_str(), 0700) != 0) fail(error_text(errno));
  const std::filesystem::path canonical = std::filesystem::canonical(directory, ec);
  if (ec) fail(ec.message());
  check_parents(canonical, rules);

  const int lock_fd = ::open(canonical.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (lock_fd < 0) fail(error_text(errno));
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(lock_fd);
    if (error == EWOULDBLOCK) return nullptr;
    fail(error_text(error));
  }
  std::shared_ptr<ShadowCopies> copies(new ShadowCopies(canonical, lock_fd, false));
  for (const auto& entry : std::filesystem::directory_iterator(canonical, ec)) {
    std::filesystem::remove_all(entry.path(), ec);
    if (ec) fail("cannot remove the earlier copy " + entry.path().filename().string() + ": " + ec.message());
  }
  if (ec) fail(ec.message());
  return copies;
}

std::shared_ptr<ShadowCopies> ShadowCopies::temporary(const PluginFileRules& rules) {
  const char* base = std::getenv("TMPDIR");
  const std::string pattern = std::string(base && *base ? base : "/tmp") + "/jobhost-plugins-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data())) {
    throw ConfigError("plugin copies: cannot create a directory like " + pattern + ": " + error_text(errno));
  }
  std::error_code ec;
  std::filesystem::path directory = std::filesystem::canonical(buffer.data(), ec);
  if (ec) directory = buffer.data();
  std::shared_ptr<ShadowCopies> copies(new ShadowCopies(directory, -1, true));
  check_parents(directory, rules);
  return copies;
}

ShadowCopies::ShadowCopies(std::filesystem::path directory, int lock_fd, bool temporary)
    : directory_(std::move(directory)), lock_fd_(lock_fd), temporary_(temporary) {}

ShadowCopies::~ShadowCopies() {
  if (temporary_) {
    std::error_code ec;
    std::filesystem::remove_all(directory_, ec);
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

ShadowCopy ShadowCopies::copy(int fd) {
  TemporaryFile temporary;
  std::string pattern = (directory_ / ".copy-XXXXXX").string();
  temporary.fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (temporary.fd < 0) throw PluginLoadError("cannot create the private copy in " + directory_.string() + ": " + error_text(errno));
  temporary.path = pattern;

  Sha256 hash;
  std::vector<unsigned char> buffer(1 << 16);
  for (off_t offset = 0;;) {
    const ssize_t got = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw PluginLoadError("cannot read the file: " + error_text(errno));
    if (got == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(got));
    write_all(temporary.fd, buffer.data(), static_cast<std::size_t>(got));
    offset += got;
  }
  if (::fchmod(temporary.fd, 0400) != 0 || ::close(temporary.fd) != 0) {
    temporary.fd = -1;
    throw PluginLoadError("cannot write the private copy: " + error_text(errno));
  }
  temporary.fd = -1;

  std::string sha256 = hash.hex();
  const std::string name = sha256 + ".so";
  std::lock_guard lock(mutex_);
  int& uses = uses_[name];
  if (uses == 0) {
    if (::rename(temporary.path.c_str(), (directory_ / name).c_str()) != 0) {
      uses_.erase(name);
      throw PluginLoadError("cannot write the private copy: " + error_text(errno));
    }
    temporary.kept = true;
  }
  ++uses;
  return ShadowCopy(shared_from_this(), std::move(sha256));
}

bool ShadowCopies::release(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = uses_.find(name);
  if (it == uses_.end() || --it->second > 0) return false;
  uses_.erase(it);
  const std::filesystem::path path = directory_ / name;
  if (void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY)) {
    ::dlclose(handle);
    return true;
  }
  ::unlink(path.c_str());
  return false;
}

ShadowCopy::ShadowCopy(std::shared_ptr<ShadowCopies> owner, std::string sha256)
    : owner_(std::move(owner)), sha256_(std::move(sha256)), path_(owner_->directory() / (sha256_ + ".so")) {}

ShadowCopy::~ShadowCopy() { release(); }

bool ShadowCopy::release() {
  if (!owner_) return false;
  const bool pinned = owner_->release(sha256_ + ".so");
  owner_.reset();
  return pinned;
}

}  // namespace jobhost::loader
