#include "codecs/decompress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "codecs/compress.h"

namespace trailhound::codecs {
namespace {

using ::testing::HasSubstr;

const std::string kCorpus = std::string(TRAILHOUND_SHARED_DIR) +
                            "/corpora/cloudtrail-logfiles-aws-processing-library/files/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Gzip(std::string_view data) {
  auto gz = GzipCompress(data);
  EXPECT_TRUE(gz.ok()) << gz.status().ToString();
  return gz.ok() ? *gz : std::string();
}

struct Decoded {
  Status status;
  std::string bytes;
  size_t largest_chunk = 0;
  ContentEncoding encoding = ContentEncoding::kUndetected;
  uint32_t members = 0;
};

// Feeds `input` in pieces of `chunk` bytes (0: all at once), then finishes.
Decoded Decode(std::string_view input, size_t chunk, const DecompressOptions& options = {}) {
  Decoded out;
  StreamDecompressor d("s3://bucket/key.json.gz", options, [&](std::string_view piece) {
    out.bytes.append(piece);
    out.largest_chunk = std::max(out.largest_chunk, piece.size());
    return Status::OK();
  });
  if (chunk == 0) chunk = std::max<size_t>(input.size(), 1);
  for (size_t i = 0; i < input.size() && out.status.ok(); i += chunk) {
    out.status = d.Feed(input.substr(i, chunk));
  }
  if (out.status.ok()) out.status = d.Finish();
  out.encoding = d.encoding();
  out.members = d.gzip_members();
  return out;
}

// A gzip member holding `zeros` zero bytes, built without allocating them all.
std::string GzipOfZeros(size_t zeros) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
  const std::string block(1 << 20, '\0');
  std::string out;
  char buf[1 << 16];
  size_t left = zeros;
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    const size_t n = std::min(left, block.size());
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
    z.avail_in = static_cast<uInt>(n);
    left -= n;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof(buf);
      ret = deflate(&z, left == 0 ? Z_FINISH : Z_NO_FLUSH);
      out.append(buf, sizeof(buf) - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

TEST(StreamDecompressor, PassesPlainBytesThroughUnchanged) {
  const std::string plain = R"({"Records":[]})";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{2}, size_t{5}}) {
    Decoded d = Decode(plain, chunk);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.bytes, plain);
    EXPECT_EQ(d.encoding, ContentEncoding::kIdentity);
  }
}

TEST(StreamDecompressor, EmptyAndOneByteObjectsArePassthrough) {
  Decoded empty = Decode("", 0);
  EXPECT_TRUE(empty.status.ok());
  EXPECT_EQ(empty.bytes, "");
  Decoded one = Decode("\x1f", 0);  // half a magic is not gzip
  EXPECT_TRUE(one.status.ok());
  EXPECT_EQ(one.bytes, "\x1f");
}

TEST(StreamDecompressor, DecodesTheCorpusGzipToTheCompactFile) {
  const std::string gz = ReadFile(kCorpus + "SerializerTestFileCompact.json.gz");
  const std::string json = ReadFile(kCorpus + "SerializerTestFileCompact.json");
  ASSERT_FALSE(gz.empty());
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}, size_t{100}}) {
    Decoded d = Decode(gz, chunk);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.bytes, json) << "chunk " << chunk;
    EXPECT_EQ(d.encoding, ContentEncoding::kGzip);
    EXPECT_EQ(d.members, 1u);
  }
}

TEST(StreamDecompressor, OutputComesInBoundedChunks) {
  std::string big(1 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  DecompressOptions options;
  options.output_chunk_bytes = 4096;
  Decoded d = Decode(Gzip(big), 0, options);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.bytes, big);
  EXPECT_LE(d.largest_chunk, 4096u);
}

TEST(StreamDecompressor, DecodesEveryMemberOfAMultiMemberGzip) {
  const std::string a = "first member;", b = std::string(100000, 'b'), c = "third";
  const std::string gz = Gzip(a) + Gzip(b) + Gzip("") + Gzip(c);
  std::mt19937 rng(42);
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{4096}}) {
    Decoded d = Decode(gz, chunk);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.bytes, a + b + c) << "chunk " << chunk;
    EXPECT_EQ(d.members, 4u);
  }
}

TEST(StreamDecompressor, TruncatedGzipIsCorruptionNamingTheOffset) {
  const std::string gz = Gzip(std::string(50000, 'z') + "end");
  for (size_t cut : {size_t{2}, size_t{10}, gz.size() / 2, gz.size() - 1}) {
    Decoded d = Decode(gz.substr(0, cut), 7);
    EXPECT_EQ(d.status.code(), StatusCode::kCorruption) << "cut " << cut;
    EXPECT_THAT(d.status.message(), HasSubstr("Truncated gzip"));
    EXPECT_THAT(d.status.message(), HasSubstr("s3://bucket/key.json.gz"));
    EXPECT_THAT(d.status.message(), HasSubstr("compressed byte " + std::to_string(cut)));
  }
}

TEST(StreamDecompressor, TruncatedSecondMemberIsCorruption) {
  const std::string gz = Gzip("one") + Gzip("two");
  Decoded d = Decode(gz.substr(0, gz.size() - 3), 0);
  EXPECT_EQ(d.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(d.status.message(), HasSubstr("inside gzip member 1"));
}

TEST(StreamDecompressor, BadCrcIsCorruption) {
  std::string gz = Gzip("some CloudTrail bytes");
  gz[gz.size() - 8] ^= 0x01;  // the CRC-32 of the trailer
  Decoded d = Decode(gz, 0);
  EXPECT_EQ(d.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(d.status.message(), HasSubstr("CRC-32/length check failed"));
}

TEST(StreamDecompressor, CorruptDeflateDataIsCorruptionNamingTheOffset) {
  std::string gz = Gzip(std::string(20000, 'q'));
  gz[10] = static_cast<char>(0xff);  // first byte of the deflate stream: invalid block type
  Decoded d = Decode(gz, 3);
  EXPECT_EQ(d.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(d.status.message(), HasSubstr("invalid deflate block"));
  // The offset is where the decoder stopped: at most a few bytes after the damage.
  const std::string& m = d.status.message();
  const size_t at = m.find("compressed byte ");
  ASSERT_NE(at, std::string::npos);
  const int offset = std::stoi(m.substr(at + 16));
  EXPECT_GE(offset, 10);
  EXPECT_LE(offset, 20);
}

TEST(StreamDecompressor, TrailingGarbageIsCorruptionNamingTheOffset) {
  const std::string gz = Gzip("payload");
  for (size_t chunk : {size_t{0}, size_t{1}}) {
    Decoded d = Decode(gz + "garbage", chunk);
    EXPECT_EQ(d.status.code(), StatusCode::kCorruption);
    EXPECT_THAT(d.status.message(), HasSubstr("Trailing garbage"));
    EXPECT_THAT(d.status.message(), HasSubstr("compressed byte " + std::to_string(gz.size())));
    // A lone 0x1f followed by anything else is garbage too, found at its second byte.
    Decoded half = Decode(gz + "\x1fX", chunk);
    EXPECT_THAT(half.status.message(),
                HasSubstr("compressed byte " + std::to_string(gz.size() + 1)));
  }
}

TEST(StreamDecompressor, ZeroBombStopsQuicklyByRatio) {
  const std::string bomb = GzipOfZeros(size_t{100} << 20);  // 100 MB of zeros
  ASSERT_LT(bomb.size(), 200000u);
  const auto start = std::chrono::steady_clock::now();
  uint64_t seen = 0;
  StreamDecompressor d("s3://b/bomb.json.gz", {}, [&](std::string_view piece) {
    seen += piece.size();
    return Status::OK();
  });
  Status s = d.Feed(bomb);
  if (s.ok()) s = d.Finish();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("max_compression_ratio"));
  EXPECT_LE(seen, (uint64_t{8} << 20) + 64 * 1024);  // stopped soon after the 8 MiB floor
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(StreamDecompressor, SizeGuardNamesTheLimit) {
  const std::string bomb = GzipOfZeros(size_t{100} << 20);
  DecompressOptions options;
  options.max_compression_ratio = 0;  // only the absolute limit
  options.max_decompressed_bytes = 10 << 20;
  Decoded d = Decode(bomb, 0, options);
  EXPECT_EQ(d.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(d.status.message(), HasSubstr("max_decompressed_bytes (10485760 bytes)"));
  EXPECT_LE(d.bytes.size(), 10u << 20);
}

TEST(StreamDecompressor, SizeGuardAlsoLimitsPlainObjects) {
  DecompressOptions options;
  options.max_decompressed_bytes = 10;
  Decoded d = Decode("{\"Records\":[]}", 4, options);
  EXPECT_EQ(d.status.code(), StatusCode::kResourceExhausted);
}

TEST(StreamDecompressor, SinkErrorStopsDecodingAndIsReturnedAgain) {
  StreamDecompressor d("x", {}, [](std::string_view) { return Status::Cancelled("stop"); });
  Status s = d.Feed(Gzip("abc"));
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(d.Feed("more").code(), StatusCode::kCancelled);
  EXPECT_EQ(d.Finish().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace trailhound::codecs
