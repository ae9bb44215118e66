#include "store/wal_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/wal_format.h"
#include "store/wal_test_util.h"
#include "store/wal_writer.h"

namespace trailhound::store {
namespace {

using testing::ReadBytes;
using testing::ReplayAll;
using testing::TempDir;
using testing::WriteBytes;

// Writes `records` (one Append each) to a fresh WAL in `dir`; returns the record offsets
// of file 1 plus its size as a final entry.
std::vector<uint64_t> WriteWal(const std::string& dir, const std::vector<std::string>& records,
                               WalWriterOptions options = {}) {
  auto w = WalWriter::Open(dir, options);
  EXPECT_TRUE(w.ok());
  std::vector<uint64_t> offsets;
  uint64_t off = kWalFileHeaderBytes;
  for (const std::string& r : records) {
    offsets.push_back(off);
    std::string_view v = r;
    EXPECT_TRUE((*w)->Append({&v, 1}).ok());
    off += kWalRecordHeaderBytes + r.size();
  }
  offsets.push_back(off);
  return offsets;
}

std::vector<std::string> SampleRecords(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back("{\"eventID\":\"" + std::to_string(i) + "\"," + std::string(i % 7, 'p') + "}");
  }
  return out;
}

TEST(WalReader, EmptyDirectoryReplaysNothing) {
  TempDir dir;
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.stats.files, 0u);
  EXPECT_TRUE(got.records.empty());
}

TEST(WalReader, TruncationAtEveryOffsetOfTheTailYieldsTheWrittenPrefix) {
  TempDir src;
  const auto records = SampleRecords(12);
  const auto offsets = WriteWal(src.path(), records);
  const std::string file = WalFileName(1);
  const std::string full = ReadBytes(src.path() + "/" + file);
  ASSERT_EQ(full.size(), offsets.back());

  // Every cut inside the last four records, and inside the file header.
  std::vector<size_t> cuts;
  for (size_t cut = offsets[records.size() - 4]; cut <= full.size(); ++cut) cuts.push_back(cut);
  for (size_t cut = 0; cut < kWalFileHeaderBytes; ++cut) cuts.push_back(cut);
  for (size_t cut : cuts) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    TempDir dir;
    WriteBytes(dir.path() + "/" + file, std::string_view(full).substr(0, cut));
    size_t complete = 0;  // records that end at or before the cut
    while (complete < records.size() && offsets[complete + 1] <= cut) ++complete;
    const bool on_boundary =
        cut >= kWalFileHeaderBytes && (complete == records.size() || offsets[complete] == cut);

    auto got = ReplayAll(dir.path(), {.truncate_torn_tail = true});
    ASSERT_TRUE(got.status.ok()) << got.status.ToString();
    EXPECT_EQ(got.records, std::vector<std::string>(records.begin(), records.begin() + complete));
    EXPECT_EQ(got.stats.torn_tail, !on_boundary);
    if (!on_boundary) {
      EXPECT_EQ(got.stats.torn_bytes, cut - got.stats.torn_offset);
    }

    // After recovery new appends continue cleanly and the old tail is gone.
    auto w = WalWriter::Open(dir.path(), {});
    ASSERT_TRUE(w.ok());
    std::string_view next = "next";
    ASSERT_TRUE((*w)->Append({&next, 1}).ok());
    auto again = ReplayAll(dir.path());
    ASSERT_TRUE(again.status.ok()) << again.status.ToString();
    EXPECT_FALSE(again.stats.torn_tail);
    ASSERT_EQ(again.records.size(), complete + 1);
    EXPECT_EQ(again.records.back(), "next");
  }
}

TEST(WalReader, ZeroFilledTailIsTorn) {
  TempDir dir;
  const auto records = SampleRecords(3);
  WriteWal(dir.path(), records);
  const std::string path = dir.path() + "/" + WalFileName(1);
  WriteBytes(path, ReadBytes(path) + std::string(4096, '\0'));  // size grew, data never came
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_EQ(got.records, records);
  EXPECT_TRUE(got.stats.torn_tail);
  EXPECT_EQ(got.stats.torn_bytes, 4096u);
}

TEST(WalReader, BitFlipInTheMiddleIsCorruptionWithOffset) {
  const auto records = SampleRecords(20);
  // Flip one bit in the CRC, the length, the type and the payload of record 7.
  for (size_t field_offset : {1u, 5u, 8u, 12u}) {
    SCOPED_TRACE("byte " + std::to_string(field_offset) + " of record 7");
    TempDir dir;
    const auto offsets = WriteWal(dir.path(), records);
    const std::string path = dir.path() + "/" + WalFileName(1);
    std::string data = ReadBytes(path);
    data[offsets[7] + field_offset] ^= 0x10;
    WriteBytes(path, data);

    auto got = ReplayAll(dir.path());
    EXPECT_EQ(got.status.code(), StatusCode::kCorruption);
    EXPECT_NE(got.status.message().find("at offset " + std::to_string(offsets[7])),
              std::string::npos)
        << got.status.ToString();
    EXPECT_NE(got.status.message().find(WalFileName(1)), std::string::npos);
    EXPECT_EQ(got.records.size(), 7u);  // the records before the damage were delivered

    // Recovery refuses to "repair" it: nothing is truncated.
    auto recover = ReplayAll(dir.path(), {.truncate_torn_tail = true});
    EXPECT_EQ(recover.status.code(), StatusCode::kCorruption);
    EXPECT_EQ(ReadBytes(path).size(), data.size());
  }
}

TEST(WalReader, DamagedTailOfAnEarlierFileIsCorruption) {
  TempDir dir;
  WriteWal(dir.path(), SampleRecords(30), {.max_file_bytes = 300});
  const std::string first = dir.path() + "/" + WalFileName(1);
  std::string data = ReadBytes(first);
  WriteBytes(first, data.substr(0, data.size() - 3));  // torn, but not the last file
  auto got = ReplayAll(dir.path());
  EXPECT_EQ(got.status.code(), StatusCode::kCorruption);
  EXPECT_NE(got.status.message().find(WalFileName(1)), std::string::npos) << got.status.ToString();
}

TEST(WalReader, MissingMiddleFileIsCorruption) {
  TempDir dir;
  WriteWal(dir.path(), SampleRecords(30), {.max_file_bytes = 300});
  std::filesystem::remove(dir.path() + "/" + WalFileName(2));
  auto got = ReplayAll(dir.path());
  EXPECT_EQ(got.status.code(), StatusCode::kCorruption);
  EXPECT_NE(got.status.message().find("missing file " + WalFileName(2)), std::string::npos)
      << got.status.ToString();
}

TEST(WalReader, HeaderNamingAnotherSequenceIsCorruption) {
  TempDir dir;
  WriteWal(dir.path(), SampleRecords(2));
  std::filesystem::rename(dir.path() + "/" + WalFileName(1), dir.path() + "/" + WalFileName(5));
  EXPECT_EQ(ReplayAll(dir.path()).status.code(), StatusCode::kCorruption);
}

TEST(WalReader, CallbackErrorStopsTheReplay) {
  TempDir dir;
  WriteWal(dir.path(), SampleRecords(5));
  int calls = 0;
  auto r = WalReader::Replay(dir.path(), [&](WalPosition, std::string_view) {
    return ++calls == 2 ? Status::Cancelled("stop") : Status::OK();
  });
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace trailhound::store
