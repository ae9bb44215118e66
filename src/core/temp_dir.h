// TempDir: a fresh directory under the system temp dir (mkdtemp), removed with everything
// in it by the destructor. For tests and benchmarks, which all need one:
//
//   TempDir dir("trailhound-store");   // /tmp/trailhound-store-Ab12Cd
//   ASSERT_TRUE(dir.ok());
//   std::string config = dir.Write("conf/trailhound.yaml", "data_dir: ...");
//
// Thread safety: none needed (owned by one test). Not copyable.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace trailhound {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "trailhound") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // False when the directory could not be made; path() is then empty.
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  // path()/name as a string.
  std::string Path(std::string_view name) const {
    return (std::filesystem::path(path_) / name).string();
  }
  // Writes `content` to path()/name (creating folders) and returns the full path.
  std::string Write(std::string_view name, std::string_view content) const {
    std::filesystem::path file = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
    return file.string();
  }

 private:
  std::string path_;
};

}  // namespace trailhound
