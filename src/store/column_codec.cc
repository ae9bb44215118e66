#include "store/column_codec.h"

#include "store/wal_format.h"

namespace trailhound::store {

void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool ByteReader::ReadVarint64(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && pos_ < data_.size(); shift += 7) {
    auto byte = static_cast<uint8_t>(data_[pos_++]);
    // The tenth byte may only carry the top bit of a 64-bit value.
    if (shift == 63 && byte > 1) return false;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

bool ByteReader::ReadU8(uint8_t* v) {
  if (remaining() < 1) return false;
  *v = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool ByteReader::ReadFixed32(uint32_t* v) {
  if (remaining() < 4) return false;
  *v = DecodeFixed32(data_.data() + pos_);
  pos_ += 4;
  return true;
}

bool ByteReader::ReadFixed64(uint64_t* v) {
  if (remaining() < 8) return false;
  *v = DecodeFixed64(data_.data() + pos_);
  pos_ += 8;
  return true;
}

bool ByteReader::ReadBytes(size_t n, std::string_view* out) {
  if (remaining() < n) return false;
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

void PutTimes(std::span<const int64_t> times, std::string* out) {
  uint64_t previous = 0;
  for (int64_t t : times) {
    auto current = static_cast<uint64_t>(t);
    PutVarint64(out, ZigZagEncode(static_cast<int64_t>(current - previous)));
    previous = current;
  }
}

bool GetTimes(ByteReader* in, size_t rows, std::vector<int64_t>* out) {
  if (rows > in->remaining()) return false;  // each row takes at least one byte
  out->clear();
  out->reserve(rows);
  uint64_t previous = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint64_t delta;
    if (!in->ReadVarint64(&delta)) return false;
    previous += static_cast<uint64_t>(ZigZagDecode(delta));
    out->push_back(static_cast<int64_t>(previous));
  }
  return true;
}

void PutStringList(std::span<const std::string_view> strings, std::string* out) {
  for (std::string_view s : strings) PutVarint64(out, s.size());
  for (std::string_view s : strings) out->append(s);
}

bool GetStringList(ByteReader* in, size_t count, std::vector<std::string_view>* out) {
  if (count > in->remaining()) return false;
  out->clear();
  out->reserve(count);
  std::vector<uint64_t> lengths(count);
  uint64_t total = 0;
  for (uint64_t& length : lengths) {
    if (!in->ReadVarint64(&length) || length > in->remaining()) return false;
    total += length;
    if (total > in->remaining()) return false;
  }
  for (uint64_t length : lengths) {
    std::string_view s;
    if (!in->ReadBytes(length, &s)) return false;
    out->push_back(s);
  }
  return true;
}

void StringColumnBuilder::Add(ColumnValue::Kind kind, std::string_view text) {
  switch (kind) {
    case ColumnValue::kMissing:
      PutVarint64(&tags_, kCellMissing);
      return;
    case ColumnValue::kOther:
      PutVarint64(&tags_, kCellOther);
      return;
    case ColumnValue::kString:
      PutVarint64(&tags_, kCellFirstValue + text.size());
      bytes_.append(text);
      return;
  }
}

void StringColumnBuilder::FinishInto(std::string* out) {
  out->append(tags_);
  out->append(bytes_);
  tags_.clear();
  bytes_.clear();
}

bool GetStringColumn(ByteReader* in, size_t rows, std::vector<ColumnValue>* out) {
  if (rows > in->remaining()) return false;
  out->assign(rows, ColumnValue{});
  std::vector<uint64_t> lengths(rows);
  for (size_t i = 0; i < rows; ++i) {
    uint64_t tag;
    if (!in->ReadVarint64(&tag)) return false;
    if (tag >= kCellFirstValue) {
      (*out)[i].kind = ColumnValue::kString;
      lengths[i] = tag - kCellFirstValue;
      if (lengths[i] > in->remaining()) return false;
    } else {
      (*out)[i].kind = tag == kCellOther ? ColumnValue::kOther : ColumnValue::kMissing;
    }
  }
  for (size_t i = 0; i < rows; ++i) {
    if ((*out)[i].kind == ColumnValue::kString && !in->ReadBytes(lengths[i], &(*out)[i].text)) {
      return false;
    }
  }
  return true;
}

uint32_t Dictionary::Intern(std::string_view value) {
  if (auto it = codes_.find(value); it != codes_.end()) return it->second;
  auto code = static_cast<uint32_t>(values_.size());
  values_.emplace_back(value);
  codes_.emplace(std::string(value), code);
  return code;
}

bool GetDictionaryColumn(ByteReader* in, size_t rows, size_t dictionary_size,
                         std::vector<uint64_t>* cells) {
  if (rows > in->remaining()) return false;
  cells->resize(rows);
  for (uint64_t& cell : *cells) {
    if (!in->ReadVarint64(&cell)) return false;
    if (cell >= kCellFirstValue && cell - kCellFirstValue >= dictionary_size) return false;
  }
  return true;
}

}  // namespace trailhound::store
