#include "codecs/compress.h"

#include <zlib.h>

#include <algorithm>

namespace trailhound::codecs {

Result<std::string> GzipCompress(std::string_view data, int level) {
  z_stream z{};
  // 15-bit window + 16: write a gzip wrapper; memLevel 8 is zlib's default.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("zlib deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(std::min<size_t>(data.size(), 1u << 30))) + 64);
  size_t written = 0;
  size_t offset = 0;
  int ret = Z_OK;
  do {
    const size_t feed = std::min<size_t>(data.size() - offset, size_t{1} << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
    z.avail_in = static_cast<uInt>(feed);
    const bool last = offset + feed == data.size();
    do {
      if (out.size() - written < 64 * 1024) out.resize(out.size() * 2 + 64 * 1024);
      z.next_out = reinterpret_cast<Bytef*>(out.data() + written);
      z.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - written, size_t{1} << 30));
      const uInt before = z.avail_out;
      ret = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      written += before - z.avail_out;
      if (ret == Z_STREAM_ERROR) {
        deflateEnd(&z);
        return Status::Internal("zlib deflate failed");
      }
    } while (z.avail_out == 0 || (last && ret != Z_STREAM_END));
    offset += feed;
  } while (offset < data.size());
  deflateEnd(&z);
  out.resize(written);
  return out;
}

}  // namespace trailhound::codecs
