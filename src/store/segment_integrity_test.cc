// What a segment does when its file is damaged, cut short or never finished: every flipped
// byte is reported as kCorruption naming the file (at Open for the header, footer and
// trailer; at ReadBlock for a block), and a failed write leaves neither "<id>.seg" nor
// "<id>.seg.tmp" behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/fault_injecting_file_ops.h"
#include "store/segment.h"
#include "store/segment_format.h"
#include "store/segment_test_util.h"
#include "store/wal_format.h"

namespace trailhound::store {
namespace {

namespace fs = std::filesystem;
using testing::kT0;
using testing::MakeEvent;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;
using testing::WriteOrDie;

std::vector<StoredEvent> SmallEvents() {
  std::vector<StoredEvent> events;
  for (int i = 0; i < 9; ++i) events.push_back(MakeEvent(i, kT0 + i * 1000));
  return events;
}

// The status of reading every block with everything in the mask; OK when all are readable.
Status ReadEveryBlock(const Segment& segment) {
  BlockRows rows;
  for (size_t b = 0; b < segment.block_count(); ++b) {
    TH_RETURN_IF_ERROR(segment.ReadBlock(b, {.raw = true, .columns = true}, &rows));
  }
  return Status::OK();
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST(SegmentIntegrity, EveryFlippedByteIsReportedAsCorruption) {
  TempDir dir;
  const SegmentInfo info = WriteOrDie(dir.path(), 1, SmallEvents(), {.rows_per_block = 4});
  const std::string good = ReadBytes(info.path);
  const uint64_t footer_offset = DecodeFixed64(good.data() + good.size() - kSegmentTrailerBytes);
  for (size_t i = 0; i < good.size(); ++i) {
    // A new file each time: rewriting one file in place waits for the disk much longer.
    const std::string damaged_path = dir.path() + "/damaged-" + std::to_string(i);
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    WriteBytes(damaged_path, bad);
    Result<std::shared_ptr<const Segment>> segment = Segment::Open(damaged_path);
    if (i >= kSegmentHeaderBytes && i < footer_offset) {
      // A block byte: the segment opens, and the block it belongs to fails its CRC.
      ASSERT_TRUE(segment.ok()) << "byte " << i << ": " << segment.status().ToString();
      Status s = ReadEveryBlock(**segment);
      ASSERT_EQ(s.code(), StatusCode::kCorruption) << "byte " << i;
      EXPECT_NE(s.message().find(damaged_path), std::string::npos) << s.message();
      EXPECT_NE(s.message().find("checksum mismatch"), std::string::npos) << s.message();
      EXPECT_NE(s.message().find("offset"), std::string::npos) << s.message();
    } else {
      ASSERT_FALSE(segment.ok()) << "byte " << i;
      ASSERT_EQ(segment.status().code(), StatusCode::kCorruption) << "byte " << i;
      EXPECT_NE(segment.status().message().find(damaged_path), std::string::npos);
    }
    fs::remove(damaged_path);
  }
}

TEST(SegmentIntegrity, ReadBlockNamesTheFileAndOffsetOfTheDamage) {
  TempDir dir;
  const SegmentInfo info = WriteOrDie(dir.path(), 1, SmallEvents(), {.rows_per_block = 4});
  std::string bytes = ReadBytes(info.path);
  bytes[kSegmentHeaderBytes + 2] ^= 1;  // inside block 0's meta section
  WriteBytes(info.path, bytes);
  auto segment = OpenOrDie(info.path);
  ASSERT_NE(segment, nullptr);
  BlockRows rows;
  Status s = segment->ReadBlock(0, {}, &rows);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("'" + info.path + "'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("block 0 meta section at offset 24"), std::string::npos)
      << s.message();
  // The other blocks are still readable.
  EXPECT_TRUE(segment->ReadBlock(1, {}, &rows).ok());
  EXPECT_TRUE(segment->ReadBlock(2, {}, &rows).ok());
}

TEST(SegmentIntegrity, FlippedFooterByteFailsOpen) {
  TempDir dir;
  const SegmentInfo info = WriteOrDie(dir.path(), 1, SmallEvents());
  std::string bytes = ReadBytes(info.path);
  const uint64_t footer_offset = DecodeFixed64(bytes.data() + bytes.size() - kSegmentTrailerBytes);
  bytes[footer_offset + 3] ^= 0x40;
  WriteBytes(info.path, bytes);
  Result<std::shared_ptr<const Segment>> segment = Segment::Open(info.path);
  ASSERT_FALSE(segment.ok());
  EXPECT_EQ(segment.status().code(), StatusCode::kCorruption);
  EXPECT_NE(segment.status().message().find("footer at offset " + std::to_string(footer_offset)),
            std::string::npos)
      << segment.status().ToString();
}

TEST(SegmentIntegrity, EveryTruncationFailsOpen) {
  TempDir dir;
  const SegmentInfo info = WriteOrDie(dir.path(), 1, SmallEvents(), {.rows_per_block = 4});
  const std::string good = ReadBytes(info.path);
  for (size_t n = 0; n < good.size(); ++n) {
    const std::string cut_path = dir.path() + "/cut-" + std::to_string(n);
    WriteBytes(cut_path, std::string_view(good).substr(0, n));
    Result<std::shared_ptr<const Segment>> segment = Segment::Open(cut_path);
    ASSERT_FALSE(segment.ok()) << "prefix of " << n << " bytes";
    EXPECT_EQ(segment.status().code(), StatusCode::kCorruption) << n;
    fs::remove(cut_path);
  }
  const std::string cut_path = dir.path() + "/cut";
  // Extra bytes at the end are damage too.
  WriteBytes(cut_path, good + "x");
  EXPECT_EQ(Segment::Open(cut_path).status().code(), StatusCode::kCorruption);
}

TEST(SegmentIntegrity, OpenRejectsMissingFilesAndRenamedSegments) {
  TempDir dir;
  EXPECT_EQ(Segment::Open(dir.path() + "/00000000000000000001.seg").status().code(),
            StatusCode::kIoError);
  const SegmentInfo info = WriteOrDie(dir.path(), 1, SmallEvents());
  const std::string renamed = dir.path() + "/" + SegmentFileName(2);
  fs::rename(info.path, renamed);
  Result<std::shared_ptr<const Segment>> segment = Segment::Open(renamed);
  EXPECT_EQ(segment.status().code(), StatusCode::kCorruption);
  // Any name that is not a segment name is accepted (tools, tests).
  fs::rename(renamed, dir.path() + "/copy");
  EXPECT_TRUE(Segment::Open(dir.path() + "/copy").ok());
}

TEST(SegmentIntegrity, WriteIsDurableAndLeavesNoTempFile) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  const SegmentInfo info = WriteOrDie(dir.path(), 12, SmallEvents(), {.file_ops = &ops});
  EXPECT_EQ(ops.syncs(), 1);  // the file; the directory sync is not a file sync
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{SegmentFileName(12)});
  EXPECT_EQ(ReadAll(*OpenOrDie(info.path)), SmallEvents());
}

// A failed write leaves nothing behind, and a retry with the same id then succeeds.
void ExpectCleanFailure(const std::string& dir, FaultInjectingFileOps& ops) {
  Result<SegmentInfo> info =
      WriteSegment(dir, 3, testing::Pointers(SmallEvents()), {}, {.file_ops = &ops});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(Entries(dir).empty()) << Entries(dir)[0];
  info = WriteSegment(dir, 3, testing::Pointers(SmallEvents()), {}, {.file_ops = &ops});
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(Entries(dir), std::vector<std::string>{SegmentFileName(3)});
}

TEST(SegmentIntegrity, FailedSyncLeavesNoSegmentAndNoTempFile) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  ops.FailNextSyncs(1);
  ExpectCleanFailure(dir.path(), ops);
}

TEST(SegmentIntegrity, FailedAppendLeavesNoSegmentAndNoTempFile) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  ops.FailNextAppends(1);  // the header
  ExpectCleanFailure(dir.path(), ops);
}

// Passes every call to the default FileOps but fails the n-th Append (counting from 0) of
// every file with ENOSPC.
class FailNthAppend final : public FileOps {
 public:
  explicit FailNthAppend(int n) : n_(n) {}
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    TH_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, base_->NewWritableFile(path));
    return std::unique_ptr<WritableFile>(std::make_unique<File>(n_, std::move(f)));
  }
  Status SyncDir(const std::string& dir) override { return base_->SyncDir(dir); }
  Status CreateDirs(const std::string& dir) override { return base_->CreateDirs(dir); }
  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    return base_->ListDir(dir);
  }
  Result<std::string> ReadFile(const std::string& path) override { return base_->ReadFile(path); }
  Status Truncate(const std::string& path, uint64_t size) override {
    return base_->Truncate(path, size);
  }
  Status RemoveFile(const std::string& path) override { return base_->RemoveFile(path); }
  Status Rename(const std::string& from, const std::string& to) override {
    return base_->Rename(from, to);
  }

 private:
  class File final : public WritableFile {
   public:
    File(int n, std::unique_ptr<WritableFile> file) : left_(n), file_(std::move(file)) {}
    Status Append(std::span<const std::string_view> pieces) override {
      if (left_-- == 0) return Status::IoError("Failed to write '" + path() + "': No space");
      return file_->Append(pieces);
    }
    Status Sync() override { return file_->Sync(); }
    const std::string& path() const override { return file_->path(); }

   private:
    int left_;
    std::unique_ptr<WritableFile> file_;
  };

  FileOps* base_ = DefaultFileOps();
  int n_;
};

TEST(SegmentIntegrity, FailureAtAnyAppendLeavesNothingBehind) {
  // 9 rows in blocks of 2: header, 5 blocks, footer and trailer = 7 appends.
  for (int n = 0; n < 7; ++n) {
    TempDir dir;
    FailNthAppend ops(n);
    Result<SegmentInfo> info = WriteSegment(dir.path(), 1, testing::Pointers(SmallEvents()), {},
                                            {.rows_per_block = 2, .file_ops = &ops});
    ASSERT_FALSE(info.ok()) << n;
    EXPECT_EQ(info.status().code(), StatusCode::kIoError);
    EXPECT_TRUE(Entries(dir.path()).empty()) << n;
  }
  TempDir dir;
  FailNthAppend ops(7);
  EXPECT_TRUE(WriteSegment(dir.path(), 1, testing::Pointers(SmallEvents()), {},
                           {.rows_per_block = 2, .file_ops = &ops})
                  .ok());
}

TEST(SegmentIntegrity, FailedRenameLeavesNoSegmentAndNoTempFile) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  ops.FailNextRenames(1);
  ExpectCleanFailure(dir.path(), ops);
}

TEST(SegmentIntegrity, LeftoverTempFileIsNotASegmentAndIsNotTouched) {
  TempDir dir;
  const std::string temp = dir.path() + "/" + SegmentFileName(4) + ".tmp";
  WriteBytes(temp, "partial");
  EXPECT_EQ(ParseSegmentFileName(SegmentFileName(4) + ".tmp"), std::nullopt);
  // Creating the temp file fails (it exists): the error names it and the file stays.
  Result<SegmentInfo> info = WriteSegment(dir.path(), 4, testing::Pointers(SmallEvents()), {});
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find(temp), std::string::npos);
  EXPECT_EQ(ReadBytes(temp), "partial");
  EXPECT_FALSE(fs::exists(dir.path() + "/" + SegmentFileName(4)));
}

}  // namespace
}  // namespace trailhound::store
