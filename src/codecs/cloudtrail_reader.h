// CloudTrailReader: turns the bytes of one CloudTrail object, fed chunk by chunk as they
// arrive (gzip or plain), into validated records: StreamDecompressor → RecordsSplitter →
// simdjson on-demand validation of each record (one parser per reader). Memory is bounded by
// the options: one decoded chunk, one record (≤ max_record_bytes) and the parser's buffers.
// Lifetime: the views in a CloudTrailRecord are valid only during the callback; copy what you
// keep. Errors name the source and a byte offset (see "Bad input" below). Records delivered
// before an error stay delivered; stats() says how many. Thread safety: one reader per object,
// used by one thread at a time.
//
// Bad input (the product contract: counted, reported, never a crash or a silent drop):
// - Framing errors (truncated or corrupt gzip, broken brackets, truncated JSON, trailing data,
//   no "Records" array) end the read with kCorruption at once: nothing after them is trusted.
// - A record that is invalid JSON or invalid UTF-8 (simdjson validates both) is never delivered
//   and never "repaired": the verbatim text is evidence, and rewriting bytes would make two
//   copies of one event differ. With skip_invalid_records (the default) the records after it
//   are still delivered, and the read ends with kCorruption naming the first invalid record,
//   its offset and the count; a record over max_record_bytes is handled the same way but with
//   kResourceExhausted. Either way the object is not clean, so its message must not be
//   acknowledged: SQS re-delivers it (the store deduplicates on eventID) and the redrive policy
//   finally parks it in the DLQ, with this status as the source's last error.
// - Digest files (no "Records", digest fields) are kind kDigest with no records and OK.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "codecs/cloudtrail_key.h"
#include "codecs/decompress.h"
#include "core/status.h"

namespace trailhound::codecs {

struct CloudTrailReaderOptions {
  // Decompression limits (bomb guard) and chunking.
  DecompressOptions decompress;
  // A single record larger than this is refused (kResourceExhausted) without being buffered;
  // peak memory per reader is about 7 × this (the record plus simdjson's buffers).
  uint64_t max_record_bytes = uint64_t{4} << 20;
  // Skip an invalid or oversized record and keep delivering the ones after it; the read still
  // ends with the first such record's error. When false, reading stops at that record.
  bool skip_invalid_records = true;
};

struct CloudTrailRecord {
  std::string_view json;    // the verbatim record, '{' to '}'; valid only during the callback
  uint64_t index = 0;       // position in "Records" (skipped records keep their positions)
  uint64_t offset = 0;      // decoded byte offset of the record's '{'
  bool is_insight = false;  // its eventType is "AwsCloudTrailInsight"
};

// Called once per valid record, in file order. A non-OK status stops the read and is
// returned unchanged by Feed/Finish.
using CloudTrailRecordCallback = std::function<Status(const CloudTrailRecord& record)>;

struct CloudTrailReadStats {
  // kLog or kInsight once a "Records" array was seen, kDigest for a digest file; kNotCloudTrail
  // while unknown.
  CloudTrailObjectKind kind = CloudTrailObjectKind::kNotCloudTrail;
  uint64_t records_delivered = 0;  // callbacks that returned OK
  uint64_t records_invalid = 0;    // records skipped as invalid JSON/UTF-8 or oversized
  uint64_t compressed_bytes = 0;   // object bytes consumed
  uint64_t decoded_bytes = 0;      // bytes after decompression
  bool gzip = false;               // the object was gzip (by its magic bytes)
};

class CloudTrailReader {
 public:
  // `source_name` ("s3://bucket/key" or a path) names the object in errors; when it follows
  // CloudTrail's key layout it also tells Insight and digest files apart.
  CloudTrailReader(std::string source_name, const CloudTrailReaderOptions& options,
                   CloudTrailRecordCallback callback);
  ~CloudTrailReader();
  CloudTrailReader(const CloudTrailReader&) = delete;
  CloudTrailReader& operator=(const CloudTrailReader&) = delete;

  // Consumes the next piece of the object (any size, including empty).
  Status Feed(std::string_view object_bytes);
  // Declares the end of the object and reports anything still wrong (truncation, no Records,
  // skipped records). REQUIRES: called once, after the last Feed.
  Status Finish();

  // Valid at any time, including after an error.
  const CloudTrailReadStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a whole object held in memory (e.g. a local file): Feed + Finish of one reader.
// `stats`, when given, is filled in on success and on error.
Status ReadCloudTrailObject(std::string_view object_bytes, std::string_view source_name,
                            const CloudTrailReaderOptions& options,
                            const CloudTrailRecordCallback& callback,
                            CloudTrailReadStats* stats = nullptr);

}  // namespace trailhound::codecs
