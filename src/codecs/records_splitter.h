// RecordsSplitter: finds the top-level "Records" array of a CloudTrail log file
// ({"Records":[{...},{...}]}, keys in any order, other keys ignored) in a decoded byte stream
// fed in chunks of any size, and hands on the verbatim text of each element once it is
// complete. It checks framing only (strings, escapes, bracket matching, the root's shape);
// grammar inside a record is the parser's job. Memory: one record (≤ max_record_bytes) plus
// padding. Errors: kCorruption naming the source and the decoded byte offset. Thread safety:
// one object per stream, used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace trailhound::codecs {

// Why hand-written: simdjson (like any DOM or on-demand parser) needs a whole document in
// memory, and a CloudTrail file is one document of up to hundreds of MB. Splitting needs only
// string/escape/bracket tracking: a small state machine for the root object, and for records
// a 64-byte-block scanner (SSE2 bit masks, the technique of simdjson's stage 1) that visits
// only the brackets outside strings, with a byte-by-byte twin for chunk tails.
class RecordsSplitter {
 public:
  // Nesting deeper than this inside a record is kCorruption (simdjson's default limit).
  static constexpr size_t kMaxNestingDepth = 1024;
  // Root keys longer than this are reported truncated to it.
  static constexpr size_t kMaxKeyBytes = 64;

  class Handler {
   public:
    virtual ~Handler() = default;
    // A complete element of Records: `text` runs from its '{' to the matching '}', and at least
    // `padding_bytes` readable bytes follow it. Valid only during the call. `offset` is the
    // decoded byte offset of the '{'; `index` counts elements from 0. A non-OK status stops.
    virtual Status OnRecord(std::string_view text, uint64_t index, uint64_t offset) = 0;
    // Element `index` grew past max_record_bytes. Return OK to skip it (the rest of it is
    // scanned, never kept) or a status to stop with.
    virtual Status OnOversizedRecord(uint64_t index, uint64_t offset) = 0;
    // A key of the root object, raw (escapes not decoded), cut at kMaxKeyBytes.
    virtual void OnTopLevelKey(std::string_view key) = 0;
  };

  // `handler` must outlive the splitter.
  RecordsSplitter(std::string source_name, uint64_t max_record_bytes, size_t padding_bytes,
                  Handler* handler);
  ~RecordsSplitter();
  RecordsSplitter(const RecordsSplitter&) = delete;
  RecordsSplitter& operator=(const RecordsSplitter&) = delete;

  // Scans the next chunk of decoded bytes. After an error, every later call returns it again.
  Status Feed(std::string_view chunk);
  // Declares the end of the stream: kCorruption unless the root object was closed.
  Status Finish();

  bool saw_records_array() const { return saw_records_; }
  uint64_t records_seen() const { return record_index_; }  // complete or skipped elements
  uint64_t bytes_scanned() const { return offset_; }

 private:
  enum class State : uint8_t {
    kBeforeRoot,
    kRootFirstKey,  // after '{': a key or '}'
    kRootKey,       // after ',': a key
    kKey,           // inside a root key
    kColon,
    kValue,
    kSkipString,
    kSkipNested,
    kSkipScalar,
    kAfterValue,
    kArrayFirst,         // after '[': a record or ']'
    kArrayNext,          // after ',': a record
    kArrayAfterElement,  // ',' or ']'
    kRecord,
    kAfterRoot,
  };

  enum class Bracket : uint8_t { kOpen, kClosed, kClosedOutermost, kError };

  // Scanners over p[i, n): each returns where it stopped.
  size_t ScanString(const char* p, size_t i, size_t n);
  Bracket OnBracket(char c, size_t i);  // pushes or pops stack_; i is the index in the chunk
  size_t ScanNested(const char* p, size_t i, size_t n);
  size_t StepStructural(const char* p, size_t i, size_t n);
  void StartRecord(size_t i);
  Status AppendRecordBytes(const char* data, size_t size);
  Status CompleteRecord();
  void Corrupt(uint64_t offset, std::string_view what);  // sets error_

  std::string source_name_;
  uint64_t max_record_bytes_;
  size_t padding_bytes_;
  Handler* handler_;

  State state_ = State::kBeforeRoot;
  uint64_t offset_ = 0;  // decoded bytes before the current chunk
  bool in_string_ = false;
  bool escape_ = false;
  std::string stack_;  // open brackets of the current record or skipped value
  std::string key_;
  bool key_is_records_ = false;
  bool saw_records_ = false;

  uint64_t record_index_ = 0;
  uint64_t record_offset_ = 0;
  uint64_t record_size_ = 0;
  bool discarding_ = false;  // the current record is oversized: scan, don't keep
  std::unique_ptr<char[]> buf_;
  size_t buf_capacity_ = 0;  // including padding

  Status error_;
};

}  // namespace trailhound::codecs
