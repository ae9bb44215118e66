#include "store/segment_format.h"

#include <cstdio>

#include "store/segment.h"
#include "store/wal_format.h"

namespace trailhound::store {

std::string_view BlockSectionName(int section) {
  switch (section) {
    case kMetaSection:
      return "meta";
    case kColumnsSection:
      return "columns";
    case kRawSection:
      return "raw";
    default:
      return "unknown";
  }
}

std::string EncodeSegmentHeader(uint64_t id) {
  std::string h(kSegmentMagic);
  PutFixed32(&h, kSegmentFormatVersion);
  PutFixed32(&h, 0);
  PutFixed64(&h, id);
  return h;
}

std::optional<uint64_t> DecodeSegmentHeader(std::string_view header) {
  if (header.substr(0, kSegmentMagic.size()) != kSegmentMagic) return std::nullopt;
  if (DecodeFixed32(header.data() + 8) != kSegmentFormatVersion) return std::nullopt;
  if (DecodeFixed32(header.data() + 12) != 0) return std::nullopt;
  return DecodeFixed64(header.data() + 16);
}

std::string EncodeSegmentTrailer(const SegmentTrailer& trailer) {
  std::string t;
  PutFixed64(&t, trailer.footer_offset);
  PutFixed64(&t, trailer.footer_length);
  PutFixed32(&t, trailer.footer_crc);
  PutFixed32(&t, kSegmentFormatVersion);
  t.append(kSegmentMagic);
  return t;
}

std::optional<SegmentTrailer> DecodeSegmentTrailer(std::string_view data) {
  if (data.substr(24, kSegmentMagic.size()) != kSegmentMagic) return std::nullopt;
  if (DecodeFixed32(data.data() + 20) != kSegmentFormatVersion) return std::nullopt;
  SegmentTrailer t;
  t.footer_offset = DecodeFixed64(data.data());
  t.footer_length = DecodeFixed64(data.data() + 8);
  t.footer_crc = DecodeFixed32(data.data() + 16);
  return t;
}

std::string SegmentFileName(uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020llu.seg", static_cast<unsigned long long>(id));
  return buf;
}

std::optional<uint64_t> ParseSegmentFileName(std::string_view name) {
  if (name.size() != 20 + kSegmentSuffix.size() || name.substr(20) != kSegmentSuffix) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < 20; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return std::nullopt;  // overflow
    v = next;
  }
  return v;
}

}  // namespace trailhound::store
