// Block filters of segments (docs/formats/store.md "Filters"): a Bloom filter over the folded
// values of an indexed field, and a trigram filter — a Bloom filter over the 3-byte substrings
// of the ASCII-folded raw JSON — that lets a free-text search skip blocks. A filter answers
// "certainly not" or "maybe": a value that was added is never reported absent.
// Serialized form: [u8 kind] then, for kind 1 (Bloom), [u8 probes][u32 byte length][bits].
// Thread safety: builders are single-threaded; a BloomFilterView is immutable and shareable.
// Lifetime: a BloomFilterView points into the bytes it was parsed from (the mapped segment).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/column_codec.h"

namespace trailhound::store {

// persistent format: do not renumber
enum class FilterKind : uint8_t {
  kEmpty = 0,  // no value was added: everything is certainly absent
  kBloom = 1,  // a Bloom filter
  kAll = 2,    // not built (too many values to be useful): everything may be present
};

// Bits per distinct value and probes of the filters the writer builds: about 0.8% false
// positives for values, 2.2% per trigram (a text of n bytes checks n - 2 trigrams).
inline constexpr int kValueBitsPerKey = 10;
inline constexpr int kTrigramBitsPerKey = 8;
// Above this many distinct trigrams in one block the trigram filter is kAll.
inline constexpr size_t kMaxTrigramsPerBlock = 1u << 20;

// The hash a Bloom filter is built on: XXH3-64 (seed 0) of the bytes.
uint64_t BloomHash(std::string_view bytes);

// Collects hashes, then writes a filter sized for the distinct ones.
class BloomFilterBuilder {
 public:
  void AddHash(uint64_t hash) { hashes_.push_back(hash); }
  void Add(std::string_view bytes) { AddHash(BloomHash(bytes)); }
  // Appends the serialized filter to `out` (kEmpty when nothing was added) and clears the
  // builder. m = max(64, distinct × bits_per_key) rounded up to a multiple of 64 bits;
  // probes = round(bits_per_key × ln 2), at least 1.
  void FinishInto(int bits_per_key, std::string* out);
  // Appends a kAll filter to `out` and clears the builder.
  void FinishAllInto(std::string* out);

 private:
  std::vector<uint64_t> hashes_;
};

// A serialized filter, read in place.
class BloomFilterView {
 public:
  BloomFilterView() = default;  // kAll
  // Reads one serialized filter from `in`; false when malformed.
  static bool Parse(ByteReader* in, BloomFilterView* out);

  bool MayContainHash(uint64_t hash) const;
  bool MayContain(std::string_view bytes) const { return MayContainHash(BloomHash(bytes)); }
  FilterKind kind() const { return kind_; }

 private:
  FilterKind kind_ = FilterKind::kAll;
  uint8_t probes_ = 0;
  std::string_view bits_;
};

// The distinct trigrams of a block's rows, ASCII-folded. Trigrams never span two rows.
// Holds a 2 MiB bitmap (one bit per possible trigram) for the builder's lifetime.
class TrigramCollector {
 public:
  TrigramCollector();
  // Adds the trigrams of `text` after folding 'A'-'Z' to 'a'-'z'.
  void Add(std::string_view text);
  // Appends the trigram filter of everything added and clears the collector.
  void FinishInto(std::string* out);

 private:
  std::vector<uint64_t> seen_;      // bit t set when trigram t was added
  std::vector<uint32_t> distinct_;  // the set bits, in order of first appearance
};

// Whether every trigram of `text` (folded here) may be in `filter`; always true for a text
// shorter than 3 bytes.
bool TrigramsMayBePresent(const BloomFilterView& filter, std::string_view text);

}  // namespace trailhound::store
