#include "store/segment_block.h"

#include <limits>
#include <unordered_map>

#include "store/wal_format.h"

namespace trailhound::store {
namespace {

constexpr uint8_t kRowFlagTimeIsFallback = 1;
constexpr size_t kKeyBytes = 16;

}  // namespace

BlockBuilder::BlockBuilder(std::vector<Dictionary>* dictionaries)
    : dictionaries_(dictionaries),
      value_filters_(IndexedFields().size()),
      string_columns_(IndexedFields().size()),
      dictionary_columns_(IndexedFields().size()) {}

void BlockBuilder::Add(const StoredEvent& event) {
  rows_.push_back(&event);
  trigrams_.Add(event.raw);
  extractor_.Extract(event.raw);
  std::span<const FieldCell> cells = extractor_.cells();
  std::span<const IndexedField> fields = IndexedFields();
  for (size_t f = 0; f < fields.size(); ++f) {
    const FieldCell& cell = cells[f];
    for (const std::string& folded : cell.folded) value_filters_[f].Add(folded);
    if (!fields[f].dictionary) {
      string_columns_[f].Add(cell.kind, cell.text);
      continue;
    }
    uint64_t code = kCellMissing;
    if (cell.kind == ColumnValue::kOther) code = kCellOther;
    if (cell.kind == ColumnValue::kString) {
      code = kCellFirstValue + (*dictionaries_)[f].Intern(cell.text);
    }
    PutVarint64(&dictionary_columns_[f], code);
  }
}

void BlockBuilder::Finish(EncodedBlock* out) {
  const size_t n = rows_.size();
  out->info.rows = static_cast<uint32_t>(n);
  out->info.min_time = rows_.front()->time;
  out->info.max_time = rows_.back()->time;

  // Meta: times, flags, categories, the block's distinct sources and each row's index into
  // them, keys.
  std::string& meta = out->sections[kMetaSection];
  meta.clear();
  std::vector<int64_t> times(n);
  for (size_t i = 0; i < n; ++i) times[i] = rows_[i]->time;
  PutTimes(times, &meta);
  for (const StoredEvent* e : rows_) {
    meta.push_back(static_cast<char>(e->time_is_fallback ? kRowFlagTimeIsFallback : 0));
  }
  for (const StoredEvent* e : rows_) meta.push_back(static_cast<char>(e->category));
  std::vector<std::string_view> sources;
  std::unordered_map<std::string_view, uint64_t> source_codes;
  std::vector<uint64_t> source_index(n);
  for (size_t i = 0; i < n; ++i) {
    auto [it, added] = source_codes.emplace(rows_[i]->source, sources.size());
    if (added) sources.push_back(rows_[i]->source);
    source_index[i] = it->second;
  }
  PutVarint64(&meta, sources.size());
  PutStringList(sources, &meta);
  for (uint64_t index : source_index) PutVarint64(&meta, index);
  for (const StoredEvent* e : rows_) {
    PutFixed64(&meta, e->key.high);
    PutFixed64(&meta, e->key.low);
  }

  // Columns, in field order.
  std::string& columns = out->sections[kColumnsSection];
  columns.clear();
  std::span<const IndexedField> fields = IndexedFields();
  out->field_filters.resize(fields.size());
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].dictionary) {
      columns.append(dictionary_columns_[f]);
      dictionary_columns_[f].clear();
    } else {
      string_columns_[f].FinishInto(&columns);
    }
    out->field_filters[f].clear();
    value_filters_[f].FinishInto(kValueBitsPerKey, &out->field_filters[f]);
  }

  // Raw JSON.
  std::string& raw = out->sections[kRawSection];
  raw.clear();
  std::vector<std::string_view> raws(n);
  for (size_t i = 0; i < n; ++i) raws[i] = rows_[i]->raw;
  PutStringList(raws, &raw);

  out->text_filter.clear();
  trigrams_.FinishInto(&out->text_filter);
  rows_.clear();
}

bool DecodeMetaSection(std::string_view data, size_t rows, BlockRows* out) {
  ByteReader in(data);
  if (!GetTimes(&in, rows, &out->time)) return false;
  std::string_view flags, categories;
  if (!in.ReadBytes(rows, &flags) || !in.ReadBytes(rows, &categories)) return false;
  out->time_is_fallback.resize(rows);
  out->category.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    auto flag = static_cast<uint8_t>(flags[i]);
    if ((flag & ~kRowFlagTimeIsFallback) != 0) return false;
    out->time_is_fallback[i] = flag;
    out->category[i] = static_cast<EventCategory>(static_cast<uint8_t>(categories[i]));
  }
  uint64_t source_count;
  std::vector<std::string_view> sources;
  if (!in.ReadVarint64(&source_count) || source_count > rows ||
      !GetStringList(&in, source_count, &sources)) {
    return false;
  }
  out->source.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    uint64_t index;
    if (!in.ReadVarint64(&index) || index >= sources.size()) return false;
    out->source[i] = sources[index];
  }
  std::string_view keys;
  if (!in.ReadBytes(rows * kKeyBytes, &keys) || in.remaining() != 0) return false;
  out->key.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    out->key[i] = DedupKey{DecodeFixed64(keys.data() + i * kKeyBytes),
                           DecodeFixed64(keys.data() + i * kKeyBytes + 8)};
  }
  return true;
}

bool DecodeRawSection(std::string_view data, size_t rows, std::vector<std::string_view>* raw) {
  ByteReader in(data);
  return GetStringList(&in, rows, raw) && in.remaining() == 0;
}

bool DecodeColumnsSection(std::string_view data, size_t rows,
                          std::span<const std::vector<std::string>> dictionaries, std::string* text,
                          std::vector<std::vector<ColumnValue>>* columns) {
  ByteReader in(data);
  std::span<const IndexedField> fields = IndexedFields();
  columns->resize(fields.size());
  std::vector<std::vector<uint64_t>> cells(fields.size());
  // Dictionary fields: read the codes, then copy each value used once into `text` (which
  // must not grow after views into it exist), then point the cells at the copies.
  constexpr size_t kUnused = std::numeric_limits<size_t>::max();
  std::vector<std::vector<size_t>> copied(fields.size());  // code → offset in text
  text->clear();
  for (size_t f = 0; f < fields.size(); ++f) {
    if (!fields[f].dictionary) {
      if (!GetStringColumn(&in, rows, &(*columns)[f])) return false;
      continue;
    }
    const std::vector<std::string>& dictionary = dictionaries[f];
    if (!GetDictionaryColumn(&in, rows, dictionary.size(), &cells[f])) return false;
    copied[f].assign(dictionary.size(), kUnused);
    for (uint64_t cell : cells[f]) {
      if (cell < kCellFirstValue) continue;
      size_t& offset = copied[f][cell - kCellFirstValue];
      if (offset != kUnused) continue;
      offset = text->size();
      text->append(dictionary[cell - kCellFirstValue]);
    }
  }
  if (in.remaining() != 0) return false;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (!fields[f].dictionary) continue;
    std::vector<ColumnValue>& column = (*columns)[f];
    column.assign(rows, ColumnValue{});
    for (size_t i = 0; i < rows; ++i) {
      const uint64_t cell = cells[f][i];
      if (cell == kCellOther) column[i].kind = ColumnValue::kOther;
      if (cell < kCellFirstValue) continue;
      const size_t code = cell - kCellFirstValue;
      column[i].kind = ColumnValue::kString;
      column[i].text =
          std::string_view(*text).substr(copied[f][code], dictionaries[f][code].size());
    }
  }
  return true;
}

}  // namespace trailhound::store
