#include "codecs/decompress.h"

#include <fmt/format.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <utility>

namespace trailhound::codecs {
namespace {

constexpr unsigned char kGzipMagic[2] = {0x1f, 0x8b};
// The ratio guard only looks at objects that have decoded at least this much, so that small
// and very repetitive files are never refused for their ratio alone.
constexpr uint64_t kRatioGuardFloorBytes = uint64_t{8} << 20;

std::string_view IgzipErrorName(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "back-reference before the start of the data";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM:
      return "CRC-32/length check failed";
    case ISAL_NEED_DICT:
      return "needs a preset dictionary";
    default:
      return "igzip error";
  }
}

}  // namespace

void StreamDecompressor::InflateStateDeleter::operator()(inflate_state* state) const {
  delete state;
}

StreamDecompressor::StreamDecompressor(std::string source_name, const DecompressOptions& options,
                                       Sink sink)
    : source_name_(std::move(source_name)), options_(options), sink_(std::move(sink)) {
  options_.output_chunk_bytes = std::max<size_t>(options_.output_chunk_bytes, 1024);
}

StreamDecompressor::~StreamDecompressor() = default;

Status StreamDecompressor::Fail(Status status) {
  error_ = status;
  return status;
}

Status StreamDecompressor::Feed(std::string_view bytes) {
  if (!error_.ok()) return error_;
  if (finished_) return Fail(Status::Internal("Feed after Finish on " + source_name_));
  if (bytes.empty()) return Status::OK();
  switch (encoding_) {
    case ContentEncoding::kUndetected:
      return Detect(bytes);
    case ContentEncoding::kIdentity:
      bytes_in_ += bytes.size();
      return Emit(bytes);
    case ContentEncoding::kGzip:
      return FeedGzip(bytes);
  }
  return Status::OK();
}

Status StreamDecompressor::Detect(std::string_view bytes) {
  if (pending_size_ + bytes.size() < 2) {  // one byte so far: wait for the second
    pending_[pending_size_++] = static_cast<unsigned char>(bytes[0]);
    return Status::OK();
  }
  unsigned char first[2];
  size_t n = 0;
  for (; n < pending_size_; ++n) first[n] = pending_[n];
  for (size_t i = 0; n < 2; ++n, ++i) first[n] = static_cast<unsigned char>(bytes[i]);
  const std::string_view held(reinterpret_cast<const char*>(pending_), pending_size_);
  pending_size_ = 0;

  if (first[0] != kGzipMagic[0] || first[1] != kGzipMagic[1]) {
    encoding_ = ContentEncoding::kIdentity;
    bytes_in_ += held.size() + bytes.size();
    if (!held.empty()) {
      Status s = Emit(held);
      if (!s.ok()) return s;
    }
    return Emit(bytes);
  }

  encoding_ = ContentEncoding::kGzip;
  inflate_.reset(new inflate_state());
  isal_inflate_init(inflate_.get());
  // The header is parsed by ReadGzipHeader(); igzip then inflates and verifies the trailer.
  inflate_->crc_flag = ISAL_GZIP_NO_HDR_VER;
  gzip_header_done_ = false;
  out_buf_ = std::make_unique<unsigned char[]>(options_.output_chunk_bytes);
  gzip_state_ = GzipState::kInMember;
  magic_checked_ = 2;  // the first member's magic was just checked
  if (!held.empty()) {
    Status s = FeedGzip(held);
    if (!s.ok()) return s;
  }
  return FeedGzip(bytes);
}

Status StreamDecompressor::FeedGzip(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t size = bytes.size();
  while (size > 0) {
    if (gzip_state_ == GzipState::kBetweenMembers) {
      // More bytes after a complete member: they must start another member.
      isal_inflate_reset(inflate_.get());
      inflate_->crc_flag = ISAL_GZIP_NO_HDR_VER;
      gzip_header_done_ = false;
      gzip_state_ = GzipState::kInMember;
      member_start_ = bytes_in_;
      magic_checked_ = 0;
    }
    // Check the magic of a later member ourselves so that garbage after the last member is
    // reported as such (igzip would only say "invalid gzip header").
    size_t check = std::min<size_t>(2 - magic_checked_, size);
    for (size_t i = 0; i < check; ++i) {
      if (data[i] != kGzipMagic[magic_checked_ + i]) {
        return Fail(Status::Corruption(
            fmt::format("Trailing garbage after gzip member {} of {} at compressed byte {}",
                        members_, source_name_, bytes_in_ + i)));
      }
    }
    magic_checked_ += check;
    size_t consumed = 0;
    Status s = Inflate(data, size, &consumed);
    if (!s.ok()) return s;
    data += consumed;
    size -= consumed;
  }
  return Status::OK();
}

Status StreamDecompressor::Inflate(const unsigned char* data, size_t size, size_t* consumed) {
  inflate_state* st = inflate_.get();
  // igzip counts in uint32_t; feed at most 1 GiB per call.
  const size_t feed = std::min<size_t>(size, size_t{1} << 30);
  st->next_in = const_cast<uint8_t*>(data);  // igzip's API is not const-correct
  st->avail_in = static_cast<uint32_t>(feed);
  if (!gzip_header_done_) {
    // igzip's own header parsing (crc_flag ISAL_GZIP) reads a header struct it leaves
    // uninitialised, which fails on headers with a file name unless memory happens to be
    // zero; parse it here with a header struct that says "keep no name, comment or extra".
    // The parse progress lives in `st`, so a header split across Feed() calls is fine.
    isal_gzip_header header;
    isal_gzip_header_init(&header);
    const uint32_t avail_in_before = st->avail_in;
    const int ret = isal_read_gzip_header(st, &header);
    bytes_in_ += avail_in_before - st->avail_in;
    if (ret == ISAL_END_INPUT) {
      *consumed = feed - st->avail_in;
      return Status::OK();
    }
    if (ret != ISAL_DECOMP_OK) {
      return Fail(Status::Corruption(
          fmt::format("Corrupt gzip header in {} at compressed byte {} (gzip member {} starting at "
                      "byte {}): {}",
                      source_name_, bytes_in_, members_, member_start_, IgzipErrorName(ret))));
    }
    gzip_header_done_ = true;
  }
  while (true) {
    st->next_out = out_buf_.get();
    st->avail_out = static_cast<uint32_t>(options_.output_chunk_bytes);
    const uint32_t avail_in_before = st->avail_in;
    const int ret = isal_inflate(st);
    if (st->avail_in < avail_in_before) bytes_in_ += avail_in_before - st->avail_in;
    const size_t produced = options_.output_chunk_bytes - st->avail_out;
    if (produced > 0) {
      Status s = Emit(std::string_view(reinterpret_cast<const char*>(out_buf_.get()), produced));
      if (!s.ok()) return s;
    }
    if (ret != ISAL_DECOMP_OK) {
      return Fail(Status::Corruption(fmt::format(
          "Corrupt gzip data in {} at compressed byte {} (gzip member {} starting at byte {}): {}",
          source_name_, bytes_in_, members_, member_start_, IgzipErrorName(ret))));
    }
    if (st->block_state == ISAL_BLOCK_FINISH) {  // trailer read and verified
      ++members_;
      gzip_state_ = GzipState::kBetweenMembers;
      break;
    }
    if (st->avail_in == 0 && st->avail_out != 0) break;  // all input used, no output pending
  }
  *consumed = feed - st->avail_in;
  return Status::OK();
}

Status StreamDecompressor::Emit(std::string_view decoded) {
  const uint64_t total = bytes_out_ + decoded.size();
  if (total > options_.max_decompressed_bytes) {
    return Fail(Status::ResourceExhausted(fmt::format(
        "{} decodes to more than max_decompressed_bytes ({} bytes); stopped at compressed byte {}",
        source_name_, options_.max_decompressed_bytes, bytes_in_)));
  }
  if (options_.max_compression_ratio != 0 && encoding_ == ContentEncoding::kGzip &&
      total > kRatioGuardFloorBytes &&
      total / std::max<uint64_t>(bytes_in_, 1) > options_.max_compression_ratio) {
    return Fail(Status::ResourceExhausted(fmt::format(
        "{} expands more than max_compression_ratio ({}:1): {} bytes decoded from {} compressed "
        "bytes",
        source_name_, options_.max_compression_ratio, total, bytes_in_)));
  }
  bytes_out_ = total;
  Status s = sink_(decoded);
  if (!s.ok()) return Fail(std::move(s));
  return Status::OK();
}

Status StreamDecompressor::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return Status::OK();
  finished_ = true;
  if (encoding_ == ContentEncoding::kUndetected) {
    encoding_ = ContentEncoding::kIdentity;
    if (pending_size_ > 0) {
      bytes_in_ += pending_size_;
      Status s = Emit(std::string_view(reinterpret_cast<const char*>(pending_), pending_size_));
      pending_size_ = 0;
      if (!s.ok()) return s;
    }
    return Status::OK();
  }
  if (encoding_ == ContentEncoding::kGzip && gzip_state_ == GzipState::kInMember) {
    return Fail(Status::Corruption(fmt::format(
        "Truncated gzip: {} ends at compressed byte {} inside gzip member {} (started at byte {}) "
        "after {} decoded bytes",
        source_name_, bytes_in_, members_, member_start_, bytes_out_)));
  }
  return Status::OK();
}

}  // namespace trailhound::codecs
