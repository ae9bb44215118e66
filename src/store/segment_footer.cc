#include "store/segment_footer.h"

#include "store/wal_format.h"

namespace trailhound::store {
namespace {

constexpr size_t kKeyBytes = 16;
constexpr uint32_t kFlagHasFallbackTimes = 1;

void PutString32(std::string* out, std::string_view s) {
  PutFixed32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

// Reads a field of the footer; on failure records `what` as the error.
class FooterReader {
 public:
  FooterReader(std::string_view data, std::string* error) : in_(data), error_(error) {}

  bool U8(uint8_t* v, std::string_view what) { return Check(in_.ReadU8(v), what); }
  bool U32(uint32_t* v, std::string_view what) { return Check(in_.ReadFixed32(v), what); }
  bool U64(uint64_t* v, std::string_view what) { return Check(in_.ReadFixed64(v), what); }
  bool I64(int64_t* v, std::string_view what) {
    uint64_t u;
    if (!U64(&u, what)) return false;
    *v = static_cast<int64_t>(u);
    return true;
  }
  bool String32(std::string_view* v, std::string_view what) {
    uint32_t n;
    return U32(&n, what) && Check(in_.ReadBytes(n, v), what);
  }
  bool Filter(BloomFilterView* v, std::string_view what) {
    return Check(BloomFilterView::Parse(&in_, v), what);
  }
  bool Bytes(size_t n, std::string_view* v, std::string_view what) {
    return Check(in_.ReadBytes(n, v), what);
  }
  size_t remaining() const { return in_.remaining(); }
  // Records a failed consistency check.
  bool Fail(std::string what) {
    *error_ = std::move(what);
    return false;
  }

 private:
  bool Check(bool ok, std::string_view what) {
    if (!ok) *error_ = "truncated or malformed " + std::string(what);
    return ok;
  }

  ByteReader in_;
  std::string* error_;
};

bool ParseBlock(FooterReader& r, size_t index, uint64_t data_begin, uint64_t data_end,
                ParsedBlock* block) {
  const std::string where = "block " + std::to_string(index);
  if (!r.I64(&block->info.min_time, where) || !r.I64(&block->info.max_time, where) ||
      !r.U32(&block->info.rows, where)) {
    return false;
  }
  if (block->info.rows == 0) return r.Fail(where + " has no rows");
  if (block->info.min_time > block->info.max_time) return r.Fail(where + " has min > max time");
  for (int s = 0; s < kBlockSectionCount; ++s) {
    SectionRef& ref = block->sections[s];
    if (!r.U64(&ref.offset, where) || !r.U64(&ref.stored_bytes, where) ||
        !r.U64(&ref.raw_bytes, where) || !r.U32(&ref.crc, where)) {
      return false;
    }
    if (ref.offset < data_begin || ref.offset > data_end ||
        ref.stored_bytes > data_end - ref.offset) {
      return r.Fail(where + " " + std::string(BlockSectionName(s)) +
                    " section lies outside the data area");
    }
  }
  block->field_filters.resize(IndexedFields().size());
  for (BloomFilterView& filter : block->field_filters) {
    if (!r.Filter(&filter, where + " field filter")) return false;
  }
  return r.Filter(&block->text_filter, where + " text filter");
}

}  // namespace

void FooterBuilder::AddBlock(const BlockInfo& info,
                             const std::array<SectionRef, kBlockSectionCount>& sections,
                             std::span<const std::string> field_filters,
                             std::string_view text_filter) {
  PutFixed64(&blocks_, static_cast<uint64_t>(info.min_time));
  PutFixed64(&blocks_, static_cast<uint64_t>(info.max_time));
  PutFixed32(&blocks_, info.rows);
  for (const SectionRef& ref : sections) {
    PutFixed64(&blocks_, ref.offset);
    PutFixed64(&blocks_, ref.stored_bytes);
    PutFixed64(&blocks_, ref.raw_bytes);
    PutFixed32(&blocks_, ref.crc);
  }
  for (const std::string& filter : field_filters) blocks_.append(filter);
  blocks_.append(text_filter);
  ++block_count_;
}

std::string FooterBuilder::Finish(const SegmentInfo& info, std::span<const Dictionary> dictionaries,
                                  std::span<const DedupKey> keys) const {
  std::string out;
  PutFixed64(&out, info.id);
  PutFixed64(&out, info.rows);
  PutFixed64(&out, static_cast<uint64_t>(info.min_time));
  PutFixed64(&out, static_cast<uint64_t>(info.max_time));
  PutFixed32(&out, info.has_fallback_times ? kFlagHasFallbackTimes : 0);
  PutFixed32(&out, static_cast<uint32_t>(IndexedFields().size()));
  for (const IndexedField& field : IndexedFields()) {
    PutString32(&out, field.dotted);
    out.push_back(field.dictionary ? 1 : 0);
  }
  PutFixed32(&out, block_count_);
  out.append(blocks_);
  for (const Dictionary& dictionary : dictionaries) {
    PutFixed32(&out, static_cast<uint32_t>(dictionary.values().size()));
    for (const std::string& value : dictionary.values()) PutString32(&out, value);
  }
  PutFixed32(&out, static_cast<uint32_t>(info.replaces.size()));
  for (uint64_t id : info.replaces) PutFixed64(&out, id);
  PutFixed64(&out, keys.size());
  for (const DedupKey& key : keys) {
    PutFixed64(&out, key.high);
    PutFixed64(&out, key.low);
  }
  return out;
}

DedupKey FooterKey(std::string_view keys, size_t i) {
  const char* p = keys.data() + i * kKeyBytes;
  return DedupKey{DecodeFixed64(p), DecodeFixed64(p + 8)};
}

bool ParseFooter(std::string_view footer, uint64_t data_begin, uint64_t data_end, ParsedFooter* out,
                 std::string* error) {
  FooterReader r(footer, error);
  SegmentInfo& info = out->info;
  uint32_t flags, field_count, block_count;
  if (!r.U64(&info.id, "segment info") || !r.U64(&info.rows, "segment info") ||
      !r.I64(&info.min_time, "segment info") || !r.I64(&info.max_time, "segment info") ||
      !r.U32(&flags, "segment info") || !r.U32(&field_count, "field list")) {
    return false;
  }
  if ((flags & ~kFlagHasFallbackTimes) != 0) return r.Fail("unknown segment flags");
  info.has_fallback_times = (flags & kFlagHasFallbackTimes) != 0;
  if (info.rows == 0 || info.min_time > info.max_time) return r.Fail("bad segment info");

  std::span<const IndexedField> fields = IndexedFields();
  if (field_count != fields.size()) return r.Fail("indexed field list differs from this build's");
  for (const IndexedField& field : fields) {
    std::string_view name;
    uint8_t dictionary;
    if (!r.String32(&name, "field list") || !r.U8(&dictionary, "field list")) return false;
    if (name != field.dotted || dictionary != (field.dictionary ? 1 : 0)) {
      return r.Fail("indexed field list differs from this build's");
    }
  }

  if (!r.U32(&block_count, "block list")) return false;
  // Each block entry takes well over 64 bytes: bound the count before allocating.
  if (block_count == 0 || block_count > r.remaining() / 64) return r.Fail("bad block count");
  out->blocks.resize(block_count);
  uint64_t rows = 0;
  for (uint32_t b = 0; b < block_count; ++b) {
    ParsedBlock& block = out->blocks[b];
    if (!ParseBlock(r, b, data_begin, data_end, &block)) return false;
    if (block.info.min_time < info.min_time || block.info.max_time > info.max_time) {
      return r.Fail("block " + std::to_string(b) + " lies outside the segment's time range");
    }
    rows += block.info.rows;
  }
  if (rows != info.rows) return r.Fail("block rows do not add up to the segment's rows");

  out->dictionaries.assign(fields.size(), {});
  for (size_t f = 0; f < fields.size(); ++f) {
    uint32_t count;
    if (!r.U32(&count, "dictionary")) return false;
    if (count > 0 && !fields[f].dictionary) return r.Fail("dictionary for a plain field");
    if (count > r.remaining() / 4) return r.Fail("bad dictionary size");
    out->dictionaries[f].reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      std::string_view value;
      if (!r.String32(&value, "dictionary")) return false;
      out->dictionaries[f].emplace_back(value);
    }
  }

  uint32_t replaces;
  if (!r.U32(&replaces, "replaces list")) return false;
  if (replaces > r.remaining() / 8) return r.Fail("bad replaces count");
  info.replaces.resize(replaces);
  for (uint64_t& id : info.replaces) {
    if (!r.U64(&id, "replaces list")) return false;
  }

  uint64_t key_count;
  if (!r.U64(&key_count, "key list")) return false;
  if (key_count != info.rows) return r.Fail("key count differs from the row count");
  if (r.remaining() != key_count * kKeyBytes) return r.Fail("key list has the wrong size");
  if (!r.Bytes(key_count * kKeyBytes, &out->keys, "key list")) return false;
  for (uint64_t i = 1; i < key_count; ++i) {
    if (FooterKey(out->keys, i) < FooterKey(out->keys, i - 1)) return r.Fail("keys not sorted");
  }
  return true;
}

}  // namespace trailhound::store
