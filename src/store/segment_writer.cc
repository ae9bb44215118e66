// WriteSegment: sorts the rows by time, writes "<id>.seg.tmp" block by block (each section
// zstd-compressed and CRC'd, holding one block's output at a time), then the footer and the
// trailer; syncs, renames to "<id>.seg" and syncs the directory. On any failure the temp (or
// renamed) file is removed, best effort, so a failed write leaves nothing behind.
#include <zstd.h>

#include <algorithm>
#include <array>
#include <memory>

#include "store/crc32c.h"
#include "store/segment.h"
#include "store/segment_block.h"
#include "store/segment_footer.h"
#include "store/segment_format.h"

namespace trailhound::store {
namespace {

constexpr uint32_t kMaxRowsPerBlock = 1'000'000;

Status ValidateOptions(const SegmentWriteOptions& options) {
  if (options.rows_per_block < 1 || options.rows_per_block > kMaxRowsPerBlock) {
    return Status::InvalidArgument("rows_per_block must be in 1..1000000, not " +
                                   std::to_string(options.rows_per_block));
  }
  if (options.zstd_level < 1 || options.zstd_level > 19) {
    return Status::InvalidArgument("zstd_level must be in 1..19, not " +
                                   std::to_string(options.zstd_level));
  }
  return Status::OK();
}

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

// Removes a file in its destructor unless released: the cleanup of a failed write.
class RemoveOnFailure {
 public:
  RemoveOnFailure(FileOps* ops, std::string path) : ops_(ops), path_(std::move(path)) {}
  ~RemoveOnFailure() {
    if (!path_.empty()) static_cast<void>(ops_->RemoveFile(path_));
  }
  RemoveOnFailure(const RemoveOnFailure&) = delete;
  RemoveOnFailure& operator=(const RemoveOnFailure&) = delete;
  void Reset(std::string path) { path_ = std::move(path); }

 private:
  FileOps* ops_;
  std::string path_;
};

// Appends blocks to the open temp file, tracking the offset.
class SegmentFileWriter {
 public:
  SegmentFileWriter(WritableFile* file, int zstd_level)
      : file_(file), level_(zstd_level), cctx_(ZSTD_createCCtx()) {}

  Status Append(std::span<const std::string_view> pieces) {
    TH_RETURN_IF_ERROR(file_->Append(pieces));
    for (std::string_view p : pieces) offset_ += p.size();
    return Status::OK();
  }

  // Compresses and writes the sections of `block`; fills `refs` with where they went.
  Status WriteBlock(const EncodedBlock& block, std::array<SectionRef, kBlockSectionCount>* refs) {
    if (cctx_ == nullptr) return Status::Internal("ZSTD_createCCtx failed");
    std::array<std::string_view, kBlockSectionCount> pieces;
    uint64_t offset = offset_;
    for (int s = 0; s < kBlockSectionCount; ++s) {
      const std::string& input = block.sections[s];
      std::string& out = compressed_[s];
      out.resize(ZSTD_compressBound(input.size()));
      const size_t n = ZSTD_compressCCtx(cctx_.get(), out.data(), out.size(), input.data(),
                                         input.size(), level_);
      if (ZSTD_isError(n)) {
        return Status::Internal("Failed to compress a segment block for '" + file_->path() +
                                "': " + ZSTD_getErrorName(n));
      }
      out.resize(n);
      (*refs)[s] = SectionRef{offset, n, input.size(), MaskCrc(Crc32c(out))};
      offset += n;
      pieces[s] = out;
    }
    return Append(pieces);
  }

  uint64_t offset() const { return offset_; }

 private:
  WritableFile* file_;
  const int level_;
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx_;
  std::array<std::string, kBlockSectionCount> compressed_;  // one block's output
  uint64_t offset_ = 0;
};

// Writes the whole file; `info` receives everything but path.
Status WriteSegmentFile(WritableFile* file, uint64_t id, std::span<const StoredEvent* const> sorted,
                        const SegmentWriteOptions& options, SegmentInfo* info) {
  SegmentFileWriter writer(file, options.zstd_level);
  const std::string header = EncodeSegmentHeader(id);
  std::string_view header_piece = header;
  TH_RETURN_IF_ERROR(writer.Append({&header_piece, 1}));

  std::vector<Dictionary> dictionaries(IndexedFields().size());
  BlockBuilder builder(&dictionaries);
  FooterBuilder footer;
  EncodedBlock block;
  std::array<SectionRef, kBlockSectionCount> refs;
  for (size_t i = 0; i < sorted.size(); ++i) {
    builder.Add(*sorted[i]);
    if (builder.rows() == options.rows_per_block || i + 1 == sorted.size()) {
      builder.Finish(&block);
      TH_RETURN_IF_ERROR(writer.WriteBlock(block, &refs));
      footer.AddBlock(block.info, refs, block.field_filters, block.text_filter);
    }
  }

  info->id = id;
  info->rows = sorted.size();
  info->min_time = sorted.front()->time;
  info->max_time = sorted.back()->time;
  info->has_fallback_times = std::any_of(sorted.begin(), sorted.end(),
                                         [](const StoredEvent* e) { return e->time_is_fallback; });
  std::vector<DedupKey> keys;
  keys.reserve(sorted.size());
  for (const StoredEvent* e : sorted) keys.push_back(e->key);
  std::sort(keys.begin(), keys.end());

  const std::string footer_bytes = footer.Finish(*info, dictionaries, keys);
  SegmentTrailer trailer;
  trailer.footer_offset = writer.offset();
  trailer.footer_length = footer_bytes.size();
  trailer.footer_crc = MaskCrc(Crc32c(footer_bytes));
  const std::string trailer_bytes = EncodeSegmentTrailer(trailer);
  const std::array<std::string_view, 2> tail = {footer_bytes, trailer_bytes};
  TH_RETURN_IF_ERROR(writer.Append(tail));
  info->file_bytes = writer.offset();
  return file->Sync();
}

}  // namespace

Result<SegmentInfo> WriteSegment(const std::string& dir, uint64_t id,
                                 std::span<const StoredEvent* const> events,
                                 std::vector<uint64_t> replaces,
                                 const SegmentWriteOptions& options) {
  TH_RETURN_IF_ERROR(ValidateOptions(options));
  if (events.empty()) return Status::InvalidArgument("A segment needs at least one event");
  if (std::find(events.begin(), events.end(), nullptr) != events.end()) {
    return Status::InvalidArgument("Null event passed to WriteSegment");
  }
  std::vector<const StoredEvent*> sorted(events.begin(), events.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const StoredEvent* a, const StoredEvent* b) { return a->time < b->time; });

  FileOps* ops = options.file_ops != nullptr ? options.file_ops : DefaultFileOps();
  SegmentInfo info;
  info.path = dir + "/" + SegmentFileName(id);
  info.replaces = std::move(replaces);
  const std::string temp_path = info.path + ".tmp";

  TH_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, ops->NewWritableFile(temp_path));
  RemoveOnFailure cleanup(ops, temp_path);
  Status s = WriteSegmentFile(file.get(), id, sorted, options, &info);
  file.reset();  // closed before the rename
  if (!s.ok()) return s;
  TH_RETURN_IF_ERROR(ops->Rename(temp_path, info.path));
  cleanup.Reset(info.path);
  Status synced = ops->SyncDir(dir);
  if (!synced.ok()) {
    // The rename may not be durable; remove the segment so that a failure means "not written".
    static_cast<void>(ops->RemoveFile(info.path));
    cleanup.Reset("");
    static_cast<void>(ops->SyncDir(dir));
    return synced;
  }
  cleanup.Reset("");
  return info;
}

}  // namespace trailhound::store
