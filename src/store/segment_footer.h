// Segment footer (docs/formats/store.md "Footer"): the segment's info, the field list, per
// block its time range, row count, section locations and filters, the dictionaries, the
// replaced segment ids and the sorted dedup keys. FooterBuilder writes one block entry as
// each block is written; ParseFooter reads a footer in place and checks that everything in
// it is consistent (offsets inside the data area, counts adding up, keys sorted).
// Thread safety: FooterBuilder is single-threaded; ParseFooter is pure.
// Lifetime: a ParsedFooter's views point into the footer bytes (the mapped file).
// Internal to src/store.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/bloom_filter.h"
#include "store/column_codec.h"
#include "store/segment.h"
#include "store/segment_format.h"
#include "store/stored_event.h"

namespace trailhound::store {

// Where a block section is stored and how to check it.
struct SectionRef {
  uint64_t offset = 0;        // in the file
  uint64_t stored_bytes = 0;  // compressed (zstd frame)
  uint64_t raw_bytes = 0;     // decompressed
  uint32_t crc = 0;           // masked crc32c of the stored bytes
};

class FooterBuilder {
 public:
  // Adds the entry of the next block. `field_filters` has one serialized filter per
  // indexed field; `text_filter` is the serialized trigram filter.
  void AddBlock(const BlockInfo& info, const std::array<SectionRef, kBlockSectionCount>& sections,
                std::span<const std::string> field_filters, std::string_view text_filter);
  // The whole footer. `info` supplies id, rows, times, has_fallback_times and replaces;
  // `dictionaries` has one per indexed field (empty for plain fields); `keys` are sorted.
  std::string Finish(const SegmentInfo& info, std::span<const Dictionary> dictionaries,
                     std::span<const DedupKey> keys) const;

 private:
  std::string blocks_;
  uint32_t block_count_ = 0;
};

struct ParsedBlock {
  BlockInfo info;
  std::array<SectionRef, kBlockSectionCount> sections;
  std::vector<BloomFilterView> field_filters;  // one per indexed field
  BloomFilterView text_filter;
};

struct ParsedFooter {
  SegmentInfo info;  // all but path and file_bytes
  std::vector<ParsedBlock> blocks;
  std::vector<std::vector<std::string>> dictionaries;  // one per indexed field
  std::string_view keys;  // key_count × 16 bytes: high u64, low u64; ascending
};

// Parses `footer`. Sections must lie in [data_begin, data_end) of the file. On failure
// returns false and sets `error` to what is wrong.
bool ParseFooter(std::string_view footer, uint64_t data_begin, uint64_t data_end, ParsedFooter* out,
                 std::string* error);

// The i-th key of a footer's key array.
DedupKey FooterKey(std::string_view keys, size_t i);

}  // namespace trailhound::store
