// StreamDecompressor: decodes the bytes of one object as they arrive (an S3 GetObject body,
// chunk by chunk) and hands the decoded bytes to a sink in chunks of at most
// output_chunk_bytes. gzip is detected by its magic bytes (1f 8b), not by Content-Encoding;
// anything else passes through unchanged. Every member of a multi-member gzip is decoded.
// Inflation uses ISA-L's igzip, ~2.5x faster than zlib here (see bench/codecs_bench.cc).
// Errors: a bomb guard (max_decompressed_bytes, max_compression_ratio) → kResourceExhausted
// naming the limit; truncated gzip, bad CRC/length, trailing garbage → kCorruption naming the
// object and the compressed byte offset. After an error, every later call returns it again.
// Thread safety: one object per stream, used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct inflate_state;  // ISA-L igzip's stream state; kept out of this header.

namespace trailhound::codecs {

struct DecompressOptions {
  // Decoding stops with kResourceExhausted once the decoded size would exceed this (bomb guard).
  uint64_t max_decompressed_bytes = uint64_t{1} << 30;
  // Decoding stops with kResourceExhausted when decoded/compressed exceeds this ratio, checked
  // once 8 MiB have been decoded (CloudTrail gzip is ~10-30x, a zero bomb ~1000x); 0 disables.
  uint32_t max_compression_ratio = 250;
  // The largest piece of decoded data handed to the sink at once (gzip only; passthrough hands
  // on the caller's chunks as they are).
  size_t output_chunk_bytes = 64 * 1024;
};

enum class ContentEncoding : uint8_t {
  kUndetected,  // fewer than 2 bytes seen so far
  kIdentity,    // passthrough
  kGzip,
};

class StreamDecompressor {
 public:
  // Receives decoded bytes; the view is valid only during the call. A non-OK status stops
  // decoding and is returned by Feed/Finish unchanged.
  using Sink = std::function<Status(std::string_view decoded)>;

  // `source_name` ("s3://bucket/key") names the object in error messages.
  StreamDecompressor(std::string source_name, const DecompressOptions& options, Sink sink);
  ~StreamDecompressor();
  StreamDecompressor(const StreamDecompressor&) = delete;
  StreamDecompressor& operator=(const StreamDecompressor&) = delete;

  // Decodes the next piece of the object. May call the sink any number of times.
  Status Feed(std::string_view bytes);
  // Declares the end of the object: fails with kCorruption when a gzip member is incomplete.
  // REQUIRES: called once, after the last Feed.
  Status Finish();

  ContentEncoding encoding() const { return encoding_; }
  uint64_t compressed_bytes() const { return bytes_in_; }  // object bytes consumed so far
  uint64_t decoded_bytes() const { return bytes_out_; }    // bytes handed to the sink so far
  uint32_t gzip_members() const { return members_; }       // complete gzip members

 private:
  enum class GzipState : uint8_t { kInMember, kBetweenMembers };
  struct InflateStateDeleter {
    void operator()(inflate_state* state) const;
  };

  Status Detect(std::string_view bytes);
  Status FeedGzip(std::string_view bytes);
  Status Inflate(const unsigned char* data, size_t size, size_t* consumed);
  Status Emit(std::string_view decoded);
  Status Fail(Status status);

  std::string source_name_;
  DecompressOptions options_;
  Sink sink_;
  ContentEncoding encoding_ = ContentEncoding::kUndetected;
  GzipState gzip_state_ = GzipState::kInMember;
  std::unique_ptr<inflate_state, InflateStateDeleter> inflate_;  // ~85 KiB, gzip only
  std::unique_ptr<unsigned char[]> out_buf_;
  unsigned char pending_[2] = {0, 0};  // the first byte, held back until the magic is known
  size_t pending_size_ = 0;
  bool gzip_header_done_ = false;  // the current member's header has been parsed
  size_t magic_checked_ = 0;       // magic bytes of the current gzip member checked so far
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
  uint64_t member_start_ = 0;  // compressed offset of the current member
  uint32_t members_ = 0;
  Status error_;
  bool finished_ = false;
};

}  // namespace trailhound::codecs
