// Segments: the immutable, time-sorted files the store keeps its events in
// (docs/formats/store.md). A segment is written once, atomically (temp file, fsync, rename,
// fsync of the directory), and never modified; merge writes a new segment that names the ones
// it replaces, and retention deletes whole files.
//
// Inside, rows are sorted by time and cut into blocks of up to rows_per_block rows. Each block
// holds, zstd-compressed: the times (delta-encoded), the envelope (_source, _category,
// time_is_fallback), the dedup keys, one column per indexed field, and the verbatim JSON of
// every row. Per block the footer keeps min/max time, a Bloom filter per indexed field over
// the ASCII-folded values, and a trigram filter over the folded raw JSON for free text. The
// footer also keeps the segment's sorted dedup keys, so "is this event stored?" is a binary
// search without decompressing anything.
//
// Thread safety: WriteSegment is a pure function of its arguments (it may run on any thread);
// a Segment is immutable after Open and all its methods may be called concurrently.
// Errors: kIoError for the file system, kCorruption naming the file and offset for a damaged
// segment (checked by CRC-32C per section), kInvalidArgument for bad options.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/status.h"
#include "query/ast.h"
#include "store/file_ops.h"
#include "store/stored_event.h"

namespace trailhound::store {

inline constexpr uint32_t kSegmentFormatVersion = 1;

// The fields indexed per block and stored as columns, in column order. Values are what
// query::VisitPath reaches in the raw JSON. `dictionary` fields are low-cardinality and
// dictionary-encoded per segment; the others are stored as plain strings per block.
struct IndexedField {
  std::string_view dotted;  // "eventName", "userIdentity.arn"
  bool dictionary = false;
};
// eventSource, eventName, awsRegion, errorCode, eventType, eventCategory, recipientAccountId,
// userIdentity.type, userIdentity.accountId (dictionary); sourceIPAddress, userAgent,
// userIdentity.arn, userIdentity.accessKeyId, userIdentity.userName, userIdentity.principalId,
// userIdentity.sessionContext.sessionIssuer.userName, eventID, requestID,
// requestParameters.bucketName (plain).
std::span<const IndexedField> IndexedFields();
// The index of the indexed field with this path, or -1.
int IndexedFieldIndex(const query::FieldPath& path);

// One row's value of an indexed field, as read from the raw JSON:
//   kMissing: the path reaches nothing, or only null (missing and null are the same);
//   kString:  the path reaches exactly one value and it is a JSON string (`text`: the string
//             with its JSON escapes decoded; a null next to it makes two values, so kOther);
//   kOther:   anything else (a number, a boolean, an object, several values, or a raw record
//             that is not valid JSON): the executor must look at the raw JSON.
struct ColumnValue {
  enum Kind : uint8_t { kMissing, kString, kOther };
  Kind kind = kMissing;
  std::string_view text;  // kString only; valid while the BlockRows that holds it lives
};

struct BlockInfo {
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint32_t rows = 0;
};

struct SegmentInfo {
  uint64_t id = 0;  // unique in the data directory; file name <id>.seg (20 digits)
  std::string path;
  int64_t min_time = 0;  // over all rows
  int64_t max_time = 0;
  uint64_t rows = 0;
  uint64_t file_bytes = 0;
  bool has_fallback_times = false;  // any row with time_is_fallback
  std::vector<uint64_t> replaces;   // ids of the segments this one was merged from
};

// The decoded rows of one block. Views point into `buffers` (owned here, never into the
// mapped file), so they stay valid when the BlockRows is moved or its Segment closed, until
// the next ReadBlock into the same BlockRows.
struct BlockRows {
  std::vector<int64_t> time;
  std::vector<uint8_t> time_is_fallback;
  std::vector<std::string_view> source;
  std::vector<EventCategory> category;
  std::vector<DedupKey> key;
  std::vector<std::string_view> raw;              // empty unless asked for
  std::vector<std::vector<ColumnValue>> columns;  // [field][row]; empty unless asked for
  std::vector<std::string> buffers;               // owns decompressed bytes
  size_t size() const { return time.size(); }
};

struct BlockReadMask {
  bool raw = true;
  bool columns = false;
};

struct SegmentWriteOptions {
  uint32_t rows_per_block = 4096;  // 1 .. 1,000,000
  int zstd_level = 1;              // 1 .. 19
  FileOps* file_ops = nullptr;     // nullptr: DefaultFileOps(); not owned
};

// Writes `events` as the segment `<dir>/<id>.seg` (atomic; see the top): "<id>.seg.tmp" is
// written and synced, renamed, and the directory synced. Rows are stored in time order
// (stable for equal times). On failure no file is left behind (best effort), except a temp
// file that already existed (kIoError naming it). kInvalidArgument for no events, a null
// pointer or bad options. Returns the new segment's info.
Result<SegmentInfo> WriteSegment(const std::string& dir, uint64_t id,
                                 std::span<const StoredEvent* const> events,
                                 std::vector<uint64_t> replaces,
                                 const SegmentWriteOptions& options = {});

// The file name of segment `id`: 20-digit zero-padded id + ".seg".
std::string SegmentFileName(uint64_t id);
// The id of a segment file name; nullopt for any other name (temp files included).
std::optional<uint64_t> ParseSegmentFileName(std::string_view name);

class Segment {
 public:
  // Maps the file (read-only, shared) and checks its header, trailer and footer (CRC and
  // consistency). Blocks are checked when read. kIoError when the file cannot be opened or
  // mapped; kCorruption naming the file otherwise, including for a file whose segment name
  // ("<id>.seg") differs from the id inside it.
  static Result<std::shared_ptr<const Segment>> Open(const std::string& path);
  ~Segment();
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  const SegmentInfo& info() const;
  size_t block_count() const;
  const BlockInfo& block(size_t index) const;

  // Whether the segment holds an event with this key (exact for the 128-bit key).
  bool ContainsKey(const DedupKey& key) const;

  // Pruning. false means certainly not; true means maybe.
  // Whether some row of the block has `folded_value` (ASCII-folded: strings as is, numbers in
  // canonical text, booleans "true"/"false") among the values of indexed field `field`.
  // Every scalar the path reaches counts, in any row kind (kOther rows included). A `field`
  // out of range is always maybe. REQUIRES: block < block_count().
  bool BlockMayContainValue(size_t block, size_t field, std::string_view folded_value) const;
  // Whether the folded raw JSON of some row of the block may contain `folded_text` as a
  // substring; always true for texts too short for the trigram filter (< 3 bytes).
  // REQUIRES: block < block_count().
  bool BlockMayContainText(size_t block, std::string_view folded_text) const;
  // Dictionary fields: the distinct kString values of the field in the whole segment, in
  // order of first appearance in the file. Empty for plain fields.
  std::span<const std::string> Dictionary(size_t field) const;

  // Decodes block `index` into `out` (cleared first): time, flags, source, category and key
  // always; raw and columns only when `mask` asks. kCorruption naming the file, block, section
  // and offset on a CRC mismatch or a malformed section. REQUIRES: index < block_count().
  Status ReadBlock(size_t index, const BlockReadMask& mask, BlockRows* out) const;

 private:
  struct Impl;
  explicit Segment(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailhound::store
