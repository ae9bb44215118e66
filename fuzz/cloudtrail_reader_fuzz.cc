// libFuzzer target for the codecs stage: the bytes of an S3 object (plain or gzip) through
// CloudTrailReader, plus the helpers that see untrusted bytes. Besides crashes and sanitizer
// reports, it checks properties that must hold for every input:
// - Chunk independence: feeding the object whole or in pieces (each piece in its own heap
//   buffer, so that ASan catches any pointer kept into a previous piece) gives the same records
//   and, for plain objects, the same status (gzip error offsets may differ by read-ahead).
// - igzip agrees with zlib: StreamDecompressor and a zlib reference decoder accept the same
//   gzip objects and decode them to the same bytes.
// - Every delivered record is valid UTF-8 and starts and ends with a brace.
// - FindInvalidUtf8 agrees with simdjson's UTF-8 validator.
// See fuzz/README.md for building and running.
#include <simdjson.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "codecs/cloudtrail_key.h"
#include "codecs/cloudtrail_reader.h"
#include "codecs/compress.h"
#include "codecs/decompress.h"
#include "codecs/utf8.h"

namespace trailhound::codecs {
namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

struct Outcome {
  Status status;
  std::vector<std::string> records;
};

CloudTrailReaderOptions FuzzOptions() {
  CloudTrailReaderOptions options;
  options.max_record_bytes = 4096;  // small, so that the oversize path is reached
  options.decompress.max_decompressed_bytes = 1 << 20;
  options.decompress.output_chunk_bytes = 1024;
  return options;
}

// chunk == 0: whole. Each piece is copied into a buffer freed right after its Feed.
Outcome Read(std::string_view input, size_t chunk, bool skip_invalid) {
  Outcome out;
  CloudTrailReaderOptions options = FuzzOptions();
  options.skip_invalid_records = skip_invalid;
  CloudTrailReader reader("fuzz://object", options, [&](const CloudTrailRecord& r) {
    Check(!r.json.empty() && r.json.front() == '{' && r.json.back() == '}', "record braces");
    Check(FindInvalidUtf8(r.json) == std::string_view::npos, "record is valid UTF-8");
    out.records.emplace_back(r.json);
    return Status::OK();
  });
  if (chunk == 0) chunk = input.size() + 1;
  for (size_t i = 0; i < input.size() && out.status.ok(); i += chunk) {
    const size_t n = std::min(chunk, input.size() - i);
    auto piece = std::make_unique<char[]>(n);
    std::memcpy(piece.get(), input.data() + i, n);
    out.status = reader.Feed(std::string_view(piece.get(), n));
  }
  if (out.status.ok()) out.status = reader.Finish();
  return out;
}

// Reference gzip decoder with the same rules as StreamDecompressor: every member decoded,
// anything after a member that is not another member is an error.
bool ZlibReference(std::string_view input, size_t limit, std::string* out) {
  size_t pos = 0;
  while (pos < input.size()) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) return false;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + pos));
    z.avail_in = static_cast<uInt>(input.size() - pos);
    int ret = Z_OK;
    char buf[4096];
    while (ret == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof(buf);
      ret = inflate(&z, Z_NO_FLUSH);
      out->append(buf, sizeof(buf) - z.avail_out);
      if (out->size() > limit) ret = Z_MEM_ERROR;
    }
    pos = input.size() - z.avail_in;
    inflateEnd(&z);
    if (ret != Z_STREAM_END) return false;
  }
  return true;
}

void CheckDecompressorAgreesWithZlib(std::string_view input) {
  if (input.size() < 2 || static_cast<unsigned char>(input[0]) != 0x1f ||
      static_cast<unsigned char>(input[1]) != 0x8b) {
    return;
  }
  constexpr size_t kLimit = 1 << 20;
  std::string ours;
  DecompressOptions options;
  options.max_decompressed_bytes = kLimit;
  StreamDecompressor d("fuzz", options, [&](std::string_view piece) {
    ours.append(piece);
    return Status::OK();
  });
  Status s = d.Feed(input);
  if (s.ok()) s = d.Finish();
  if (s.code() == StatusCode::kResourceExhausted) return;  // limits are ours, not zlib's
  std::string reference;
  const bool reference_ok = ZlibReference(input, kLimit, &reference);
  if (reference.size() > kLimit) return;
  Check(s.ok() == reference_ok, "igzip and zlib accept the same gzip objects");
  if (reference_ok) Check(ours == reference, "igzip and zlib decode to the same bytes");
}

}  // namespace
}  // namespace trailhound::codecs

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trailhound::codecs;
  if (size < 1) return 0;
  // Byte 0 steers: piece size, whether to gzip the rest first, whether to skip bad records.
  const uint8_t steer = data[0];
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (steer & 0x80) {
    auto gz = GzipCompress(input, 1);
    if (!gz.ok()) return 0;
    input = std::move(gz).value();
  }
  const bool gzip = input.size() >= 2 && static_cast<unsigned char>(input[0]) == 0x1f &&
                    static_cast<unsigned char>(input[1]) == 0x8b;
  const size_t chunk = 1 + (steer & 0x3f);
  const bool skip_invalid = (steer & 0x40) != 0;

  const Outcome whole = Read(input, 0, skip_invalid);
  const Outcome pieces = Read(input, chunk, skip_invalid);
  Check(whole.status.code() == pieces.status.code(), "same status code whole and in pieces");
  if (!gzip) {
    Check(whole.status.ToString() == pieces.status.ToString(), "same status whole and in pieces");
    Check(whole.records == pieces.records, "same records whole and in pieces");
  } else {
    // A corrupt gzip may be detected after a different amount of output: one record list is
    // a prefix of the other, and equal when the object is fine.
    const auto& shorter = whole.records.size() < pieces.records.size() ? whole : pieces;
    const auto& longer = whole.records.size() < pieces.records.size() ? pieces : whole;
    for (size_t i = 0; i < shorter.records.size(); ++i) {
      Check(shorter.records[i] == longer.records[i], "gzip records agree");
    }
    if (whole.status.ok()) Check(whole.records == pieces.records, "same records for good gzip");
  }

  CheckDecompressorAgreesWithZlib(input);

  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  Check((FindInvalidUtf8(raw) == std::string_view::npos) ==
            simdjson::validate_utf8(raw.data(), raw.size()),
        "FindInvalidUtf8 agrees with simdjson");
  const CloudTrailKey key = ClassifyCloudTrailKey(raw);
  if (key.kind != CloudTrailObjectKind::kNotCloudTrail) {
    Check(key.account_id.size() == 12, "classified keys have a 12-digit account");
  }
  return 0;
}
