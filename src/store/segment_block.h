// Segment blocks (docs/formats/store.md "Block sections"): BlockBuilder turns a run of rows
// into the three uncompressed sections of a block — meta (times, flags, categories, sources,
// dedup keys), columns (the indexed fields) and raw (the verbatim JSON) — plus the block's
// filters; the Decode functions read the sections back, bounds-checked. Compression and CRCs
// are the writer's and reader's business.
// Thread safety: a BlockBuilder is single-threaded; the Decode functions are pure.
// Lifetime: decoded views point into the section bytes passed in.
// Internal to src/store.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/bloom_filter.h"
#include "store/column_codec.h"
#include "store/indexed_fields.h"
#include "store/segment.h"
#include "store/segment_format.h"
#include "store/stored_event.h"

namespace trailhound::store {

// The encoded parts of one block.
struct EncodedBlock {
  BlockInfo info;
  std::array<std::string, kBlockSectionCount> sections;  // uncompressed
  std::vector<std::string> field_filters;                // one per indexed field
  std::string text_filter;
};

class BlockBuilder {
 public:
  // `dictionaries` has one entry per indexed field; the builder interns the kString values
  // of dictionary fields into it. Not owned; must outlive the builder.
  explicit BlockBuilder(std::vector<Dictionary>* dictionaries);

  // Adds the next row. REQUIRES: rows are added in time order; `event` lives until Finish.
  void Add(const StoredEvent& event);
  size_t rows() const { return rows_.size(); }
  // Encodes the rows added since the last Finish into `out` and starts a new block.
  // REQUIRES: rows() > 0.
  void Finish(EncodedBlock* out);

 private:
  std::vector<Dictionary>* dictionaries_;
  FieldExtractor extractor_;
  TrigramCollector trigrams_;
  std::vector<const StoredEvent*> rows_;
  std::vector<BloomFilterBuilder> value_filters_;    // per field
  std::vector<StringColumnBuilder> string_columns_;  // per field; plain fields only
  std::vector<std::string> dictionary_columns_;      // per field; dictionary fields only
};

// Decodes a meta section of `rows` rows into the time, time_is_fallback, source, category
// and key vectors of `out`. False when malformed.
bool DecodeMetaSection(std::string_view data, size_t rows, BlockRows* out);

// Decodes a raw section into `raw`. False when malformed.
bool DecodeRawSection(std::string_view data, size_t rows, std::vector<std::string_view>* raw);

// Decodes a columns section into `columns` ([field][row]). The values of dictionary fields
// are copied from `dictionaries` into `text` (cleared first), which the views then point into.
bool DecodeColumnsSection(std::string_view data, size_t rows,
                          std::span<const std::vector<std::string>> dictionaries, std::string* text,
                          std::vector<std::vector<ColumnValue>>* columns);

}  // namespace trailhound::store
