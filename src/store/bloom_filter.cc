#include "store/bloom_filter.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>

#include "query/text_search.h"
#include "store/wal_format.h"

namespace trailhound::store {
namespace {

constexpr uint64_t kTrigramSpace = 1u << 24;

// Calls probe(bit) for each of the `probes` bit positions of `hash` in a filter of `bits`
// bits (double hashing: h, h + d, h + 2d, ... modulo bits, d = h rotated right by 33).
template <typename Probe>
bool ForEachProbe(uint64_t hash, int probes, uint64_t bits, Probe&& probe) {
  const uint64_t delta = (hash >> 33) | (hash << 31);
  for (int i = 0; i < probes; ++i) {
    if (!probe(hash % bits)) return false;
    hash += delta;
  }
  return true;
}

// A trigram as the 3 bytes it stands for.
std::string_view TrigramBytes(uint32_t trigram, char (&buf)[3]) {
  buf[0] = static_cast<char>((trigram >> 16) & 0xff);
  buf[1] = static_cast<char>((trigram >> 8) & 0xff);
  buf[2] = static_cast<char>(trigram & 0xff);
  return {buf, 3};
}

}  // namespace

uint64_t BloomHash(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

void BloomFilterBuilder::FinishInto(int bits_per_key, std::string* out) {
  if (hashes_.empty()) {
    out->push_back(static_cast<char>(FilterKind::kEmpty));
    return;
  }
  std::sort(hashes_.begin(), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  uint64_t bits = std::max<uint64_t>(64, hashes_.size() * static_cast<uint64_t>(bits_per_key));
  bits = (bits + 63) / 64 * 64;
  const int probes = std::clamp(static_cast<int>(std::lround(bits_per_key * 0.69)), 1, 30);

  out->push_back(static_cast<char>(FilterKind::kBloom));
  out->push_back(static_cast<char>(probes));
  PutFixed32(out, static_cast<uint32_t>(bits / 8));
  const size_t start = out->size();
  out->resize(start + bits / 8);
  char* data = out->data() + start;
  for (uint64_t hash : hashes_) {
    ForEachProbe(hash, probes, bits, [data](uint64_t bit) {
      data[bit / 8] = static_cast<char>(static_cast<uint8_t>(data[bit / 8]) | (1u << (bit % 8)));
      return true;
    });
  }
  hashes_.clear();
}

void BloomFilterBuilder::FinishAllInto(std::string* out) {
  out->push_back(static_cast<char>(FilterKind::kAll));
  hashes_.clear();
}

bool BloomFilterView::Parse(ByteReader* in, BloomFilterView* out) {
  uint8_t kind;
  if (!in->ReadU8(&kind)) return false;
  *out = BloomFilterView();
  switch (static_cast<FilterKind>(kind)) {
    case FilterKind::kEmpty:
    case FilterKind::kAll:
      out->kind_ = static_cast<FilterKind>(kind);
      return true;
    case FilterKind::kBloom: {
      uint32_t bytes;
      if (!in->ReadU8(&out->probes_) || !in->ReadFixed32(&bytes)) return false;
      if (out->probes_ == 0 || bytes == 0 || bytes % 8 != 0) return false;
      if (!in->ReadBytes(bytes, &out->bits_)) return false;
      out->kind_ = FilterKind::kBloom;
      return true;
    }
  }
  return false;
}

bool BloomFilterView::MayContainHash(uint64_t hash) const {
  switch (kind_) {
    case FilterKind::kEmpty:
      return false;
    case FilterKind::kAll:
      return true;
    case FilterKind::kBloom:
      break;
  }
  const char* data = bits_.data();
  return ForEachProbe(hash, probes_, bits_.size() * 8, [data](uint64_t bit) {
    return (static_cast<uint8_t>(data[bit / 8]) & (1u << (bit % 8))) != 0;
  });
}

TrigramCollector::TrigramCollector() : seen_(kTrigramSpace / 64) {}

void TrigramCollector::Add(std::string_view text) {
  uint32_t trigram = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    trigram = ((trigram << 8) | static_cast<uint8_t>(query::FoldAscii(text[i]))) & 0xffffffu;
    if (i < 2) continue;
    uint64_t& word = seen_[trigram / 64];
    const uint64_t mask = uint64_t{1} << (trigram % 64);
    if ((word & mask) == 0) {
      word |= mask;
      distinct_.push_back(trigram);
    }
  }
}

void TrigramCollector::FinishInto(std::string* out) {
  BloomFilterBuilder builder;
  char buf[3];
  for (uint32_t trigram : distinct_) {
    seen_[trigram / 64] = 0;  // clears the word; every other bit in it is cleared too
    if (distinct_.size() <= kMaxTrigramsPerBlock) builder.Add(TrigramBytes(trigram, buf));
  }
  if (distinct_.size() <= kMaxTrigramsPerBlock) {
    builder.FinishInto(kTrigramBitsPerKey, out);
  } else {
    builder.FinishAllInto(out);
  }
  distinct_.clear();
}

bool TrigramsMayBePresent(const BloomFilterView& filter, std::string_view text) {
  if (text.size() < 3) return true;
  char buf[3];
  uint32_t trigram = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    trigram = ((trigram << 8) | static_cast<uint8_t>(query::FoldAscii(text[i]))) & 0xffffffu;
    if (i >= 2 && !filter.MayContain(TrigramBytes(trigram, buf))) return false;
  }
  return true;
}

}  // namespace trailhound::store
