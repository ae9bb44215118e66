// Segment format: the fixed parts of a segment file (docs/formats/store.md "Segment files",
// version kSegmentFormatVersion) — the 24-byte header, the 32-byte trailer and the section
// order of a block. The footer is in segment_footer.h, the block sections in segment_block.h.
// All integers are little-endian. Thread safety: pure functions and constants.
// Internal to src/store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trailhound::store {

// "THSEGMT" + NUL: the first and the last 8 bytes of every segment file.
inline constexpr std::string_view kSegmentMagic{"THSEGMT\0", 8};
// magic(8) version(u32) reserved(u32, 0) segment id(u64).
inline constexpr size_t kSegmentHeaderBytes = 24;
// footer offset(u64) footer length(u64) masked crc32c of the footer(u32) version(u32) magic(8).
inline constexpr size_t kSegmentTrailerBytes = 32;
inline constexpr std::string_view kSegmentSuffix = ".seg";
inline constexpr std::string_view kSegmentTempSuffix = ".seg.tmp";

// The sections of a block, in file order and footer order.
// persistent format: do not renumber
enum BlockSection : int {
  kMetaSection = 0,     // times, flags, categories, sources, dedup keys
  kColumnsSection = 1,  // one column per indexed field
  kRawSection = 2,      // the verbatim JSON of every row
  kBlockSectionCount = 3,
};
std::string_view BlockSectionName(int section);

std::string EncodeSegmentHeader(uint64_t id);
// The segment id of a header, or nullopt when magic, version or reserved bytes are wrong.
// REQUIRES: header.size() >= kSegmentHeaderBytes.
std::optional<uint64_t> DecodeSegmentHeader(std::string_view header);

struct SegmentTrailer {
  uint64_t footer_offset = 0;
  uint64_t footer_length = 0;
  uint32_t footer_crc = 0;  // masked (crc32c.h MaskCrc)
};
std::string EncodeSegmentTrailer(const SegmentTrailer& trailer);
// nullopt when the version or magic is wrong. REQUIRES: data.size() >= kSegmentTrailerBytes.
std::optional<SegmentTrailer> DecodeSegmentTrailer(std::string_view data);

}  // namespace trailhound::store
