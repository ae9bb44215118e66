// Column codec: the byte encodings inside a segment block (docs/formats/store.md "Block
// sections") — LEB128 varints, zigzag time deltas, length-prefixed string lists, tagged string
// columns and dictionary-coded columns — and ByteReader, a bounds-checked cursor over them.
// Decoders never read past their input: they return false on anything malformed, and the
// caller reports kCorruption naming the file. Internal to src/store.
// Thread safety: builders and readers are single-threaded values; the free functions are pure.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/segment.h"

namespace trailhound::store {

// LEB128: 7 bits per byte, least significant group first, high bit set on all but the last.
void PutVarint64(std::string* out, uint64_t v);
inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigZagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// A cursor over bytes. Every Read returns false (and leaves the cursor unspecified) when the
// input is too short or malformed.
class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}
  bool ReadVarint64(uint64_t* v);
  bool ReadU8(uint8_t* v);
  bool ReadFixed32(uint32_t* v);
  bool ReadFixed64(uint64_t* v);
  bool ReadBytes(size_t n, std::string_view* out);
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Times: each as the zigzag varint of its difference to the previous one (the first to 0),
// in wrapping 64-bit arithmetic, so any sequence round-trips and sorted ones stay small.
void PutTimes(std::span<const int64_t> times, std::string* out);
bool GetTimes(ByteReader* in, size_t rows, std::vector<int64_t>* out);

// A list of strings: a varint length each, then all the bytes. Views point into the input.
void PutStringList(std::span<const std::string_view> strings, std::string* out);
bool GetStringList(ByteReader* in, size_t count, std::vector<std::string_view>* out);

// A column of ColumnValues: a varint tag per row (0 kMissing, 1 kOther, 2 + length for a
// kString), then the bytes of the kString values in row order.
class StringColumnBuilder {
 public:
  void Add(ColumnValue::Kind kind, std::string_view text);
  // Appends the encoded column to `out` and clears the builder for the next block.
  void FinishInto(std::string* out);

 private:
  std::string tags_;
  std::string bytes_;
};
// Views point into the input.
bool GetStringColumn(ByteReader* in, size_t rows, std::vector<ColumnValue>* out);

// The distinct kString values of one dictionary field in a segment, in order of first
// appearance; the code of a value is its index.
class Dictionary {
 public:
  uint32_t Intern(std::string_view value);
  const std::vector<std::string>& values() const { return values_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> codes_;
};

// Dictionary-coded column: a varint per row, 0 kMissing, 1 kOther, 2 + code for a kString.
inline constexpr uint64_t kCellMissing = 0;
inline constexpr uint64_t kCellOther = 1;
inline constexpr uint64_t kCellFirstValue = 2;
// Reads `rows` cells; false when a code is not below `dictionary_size`.
bool GetDictionaryColumn(ByteReader* in, size_t rows, size_t dictionary_size,
                         std::vector<uint64_t>* cells);

}  // namespace trailhound::store
