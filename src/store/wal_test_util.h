// Helpers for the WAL tests: a fresh temporary directory removed by its destructor, and
// replay into a vector. Test-only. Thread safety: none needed.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/temp_dir.h"
#include "store/wal_reader.h"

namespace trailhound::store::testing {

using TempDir = ::trailhound::TempDir;

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
