// Helpers for the WAL tests: a fresh temporary directory removed by its destructor, and
// replay into a vector. Test-only. Thread safety: none needed.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/wal_reader.h"

namespace trailhound::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "trailhound-wal-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
    EXPECT_FALSE(path_.empty());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Replayed {
  Status status;
  WalReplayStats stats;
  std::vector<std::string> records;
  std::vector<WalPosition> positions;
};

inline Replayed ReplayAll(const std::string& dir, WalReplayOptions options = {}) {
  Replayed out;
  auto r = WalReader::Replay(
      dir,
      [&](WalPosition pos, std::string_view rec) {
        out.records.emplace_back(rec);
        out.positions.push_back(pos);
        return Status::OK();
      },
      options);
  out.status = r.status();
  if (r.ok()) out.stats = *r;
  return out;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteBytes(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace trailhound::store::testing
