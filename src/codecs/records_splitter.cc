#include "codecs/records_splitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace trailhound::codecs {
namespace {

constexpr std::array<bool, 256> MakeTable(std::string_view bytes) {
  std::array<bool, 256> table{};
  for (char c : bytes) table[static_cast<unsigned char>(c)] = true;
  return table;
}

// Bytes that end a run inside a string, and inside a nested value outside strings. A backslash
// escapes the next byte everywhere (outside strings it is invalid JSON anyway), so that the
// scalar and the 64-byte block scanners below agree byte for byte on any input.
constexpr std::array<bool, 256> kStringStop = MakeTable("\"\\");
constexpr std::array<bool, 256> kNestedStop = MakeTable("\"\\{}[]");
// Bytes that can make up a number, true, false or null.
constexpr std::array<bool, 256> kScalarByte =
    MakeTable("0123456789+-.eEtrufalsn");  // "true", "false", "null", numbers
constexpr unsigned char kBom[3] = {0xef, 0xbb, 0xbf};

// The first index in [i, n) whose byte is '"' or '\\', or n.
size_t FindStringStop(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)  // every x86-64 CPU: 16 bytes per step
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const int mask =
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < n && !kStringStop[static_cast<unsigned char>(p[i])]) ++i;
  return i;
}

// The first index in [i, n) whose byte is '"', '\\', '{', '}', '[' or ']', or n.
size_t FindNestedStop(const char* p, size_t i, size_t n) {
  while (i < n && !kNestedStop[static_cast<unsigned char>(p[i])]) ++i;
  return i;
}

#if defined(__SSE2__)
// One bit per byte of a 64-byte block.
struct BlockMasks {
  uint64_t quote = 0;
  uint64_t backslash = 0;
  uint64_t bracket = 0;  // '{', '}', '[' or ']'
};

BlockMasks LoadMasks(const char* p) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  const __m128i bit = _mm_set1_epi8(0x20);  // '[' and ']' differ from '{' and '}' only here
  BlockMasks m;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i folded = _mm_or_si128(v, bit);
    const auto bits = [&](__m128i hits) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hits))) << (16 * k);
    };
    m.quote |= bits(_mm_cmpeq_epi8(v, quote));
    m.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
    m.bracket |= bits(_mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
  }
  return m;
}
#endif

// The bytes escaped by a backslash: each unescaped backslash escapes the byte after it.
// `carry` says whether the block's first byte is escaped; on return, whether the next block's
// first byte is.
uint64_t EscapedBytes(uint64_t backslash, bool* carry) {
  uint64_t escaped = 0;
  if (*carry) {
    escaped = 1;
    backslash &= ~uint64_t{1};
  }
  *carry = false;
  while (backslash != 0) {
    const int k = __builtin_ctzll(backslash);
    if (k == 63) {
      *carry = true;
      break;
    }
    escaped |= uint64_t{1} << (k + 1);
    backslash &= k + 2 >= 64 ? 0 : ~((uint64_t{1} << (k + 2)) - 1);  // drop bits 0..k+1
  }
  return escaped;
}

// Bit k becomes the XOR of bits 0..k: for quote bits, "inside a string after byte k".
uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string Describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

}  // namespace

RecordsSplitter::RecordsSplitter(std::string source_name, uint64_t max_record_bytes,
                                 size_t padding_bytes, Handler* handler)
    : source_name_(std::move(source_name)),
      max_record_bytes_(max_record_bytes),
      padding_bytes_(padding_bytes),
      handler_(handler) {}

RecordsSplitter::~RecordsSplitter() = default;

void RecordsSplitter::Corrupt(uint64_t offset, std::string_view what) {
  error_ = Status::Corruption(fmt::format("Invalid CloudTrail JSON in {} at decoded byte {}: {}",
                                          source_name_, offset, what));
}

size_t RecordsSplitter::ScanString(const char* p, size_t i, size_t n) {
  while (i < n) {
    if (escape_) {  // the byte after a backslash never ends the string
      escape_ = false;
      ++i;
      continue;
    }
    i = FindStringStop(p, i, n);
    if (i == n) break;
    if (p[i] == '\\') {
      escape_ = true;
      ++i;
      continue;
    }
    in_string_ = false;
    return i + 1;
  }
  return n;
}

RecordsSplitter::Bracket RecordsSplitter::OnBracket(char c, size_t i) {
  if (c == '{' || c == '[') {
    if (stack_.size() >= kMaxNestingDepth) {
      Corrupt(offset_ + i, fmt::format("nesting deeper than {} levels", kMaxNestingDepth));
      return Bracket::kError;
    }
    stack_.push_back(c);
    return Bracket::kOpen;
  }
  const char open = c == '}' ? '{' : '[';
  if (stack_.empty() || stack_.back() != open) {
    Corrupt(offset_ + i, fmt::format("{} does not close {}", Describe(c),
                                     stack_.empty() ? "anything" : Describe(stack_.back())));
    return Bracket::kError;
  }
  stack_.pop_back();
  return stack_.empty() ? Bracket::kClosedOutermost : Bracket::kClosed;
}

size_t RecordsSplitter::ScanNested(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  // 64 bytes at a time: find escapes, quotes and with them the bytes inside strings, and visit
  // only the brackets outside strings (a few per block in CloudTrail records).
  for (; i + 64 <= n; i += 64) {
    const BlockMasks m = LoadMasks(p + i);
    const uint64_t escaped = m.backslash == 0 && !escape_ ? 0 : EscapedBytes(m.backslash, &escape_);
    uint64_t in_string = PrefixXor(m.quote & ~escaped);
    if (in_string_) in_string = ~in_string;
    in_string_ = (in_string >> 63) != 0;
    for (uint64_t brackets = m.bracket & ~in_string & ~escaped; brackets != 0;
         brackets &= brackets - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctzll(brackets));
      const Bracket b = OnBracket(p[at], at);
      if (b == Bracket::kError) return at;
      if (b == Bracket::kClosedOutermost) {
        in_string_ = false;  // the state right after a structural bracket
        escape_ = false;
        return at + 1;
      }
    }
  }
#endif
  while (i < n) {  // byte by byte: the tail of a chunk, or every byte without SSE2
    if (escape_) {
      escape_ = false;
      ++i;
      continue;
    }
    if (in_string_) {
      i = ScanString(p, i, n);
      continue;
    }
    i = FindNestedStop(p, i, n);
    if (i == n) break;
    const char c = p[i];
    if (c == '"') {
      in_string_ = true;
    } else if (c == '\\') {
      escape_ = true;
    } else {
      const Bracket b = OnBracket(c, i);
      if (b == Bracket::kError) return i;
      if (b == Bracket::kClosedOutermost) return i + 1;
    }
    ++i;
  }
  return n;
}

void RecordsSplitter::StartRecord(size_t i) {
  state_ = State::kRecord;
  record_offset_ = offset_ + i;
  record_size_ = 0;
  discarding_ = false;
}

Status RecordsSplitter::AppendRecordBytes(const char* data, size_t size) {
  if (!discarding_ && record_size_ + size > max_record_bytes_) {
    Status s = handler_->OnOversizedRecord(record_index_, record_offset_);
    if (!s.ok()) {
      error_ = s;
      return s;
    }
    discarding_ = true;
  }
  if (!discarding_) {
    const size_t needed = record_size_ + size + padding_bytes_;
    if (needed > buf_capacity_) {
      const size_t cap =
          std::max(needed, std::min<size_t>(buf_capacity_ * 2, max_record_bytes_ + padding_bytes_));
      auto grown = std::make_unique<char[]>(cap);  // zeroed, so padding is never uninitialised
      if (record_size_ > 0) std::memcpy(grown.get(), buf_.get(), record_size_);
      buf_ = std::move(grown);
      buf_capacity_ = cap;
    }
    std::memcpy(buf_.get() + record_size_, data, size);
  }
  record_size_ += size;
  return Status::OK();
}

Status RecordsSplitter::CompleteRecord() {
  const uint64_t index = record_index_++;
  state_ = State::kArrayAfterElement;
  if (discarding_) return Status::OK();  // already reported through OnOversizedRecord
  Status s = handler_->OnRecord(std::string_view(buf_.get(), record_size_), index, record_offset_);
  if (!s.ok()) error_ = s;
  return s;
}

Status RecordsSplitter::Feed(std::string_view chunk) {
  if (!error_.ok()) return error_;
  const char* p = chunk.data();
  const size_t n = chunk.size();
  size_t i = 0;
  while (i < n && error_.ok()) {
    switch (state_) {
      case State::kRecord: {
        // Scan at most one byte past max_record_bytes, so that an oversized record is found
        // at the same byte however the stream is chunked.
        size_t limit = n;
        if (!discarding_ && max_record_bytes_ - record_size_ < n - i) {
          limit = i + static_cast<size_t>(max_record_bytes_ - record_size_) + 1;
        }
        const size_t end = ScanNested(p, i, limit);
        if (!error_.ok()) break;
        Status s = AppendRecordBytes(p + i, end - i);
        if (!s.ok()) return s;
        i = end;
        if (stack_.empty()) {
          s = CompleteRecord();
          if (!s.ok()) return s;
        }
        break;
      }
      case State::kSkipNested:
        i = ScanNested(p, i, n);
        if (error_.ok() && stack_.empty()) state_ = State::kAfterValue;
        break;
      case State::kKey:
      case State::kSkipString: {
        const size_t start = i;
        i = ScanString(p, i, n);
        if (state_ == State::kKey) {
          const size_t content_end = in_string_ ? i : i - 1;  // without the closing quote
          const size_t room = kMaxKeyBytes - std::min(key_.size(), kMaxKeyBytes);
          key_.append(p + start, std::min(content_end - start, room));
        }
        if (in_string_) break;
        if (state_ == State::kKey) {
          handler_->OnTopLevelKey(key_);
          key_is_records_ = key_ == "Records";
          state_ = State::kColon;
        } else {
          state_ = State::kAfterValue;
        }
        break;
      }
      case State::kSkipScalar:
        while (i < n && kScalarByte[static_cast<unsigned char>(p[i])]) ++i;
        if (i < n) state_ = State::kAfterValue;
        break;
      default:
        i = StepStructural(p, i, n);
        break;
    }
  }
  offset_ += n;
  return error_;
}

// One byte of the root object's structure (outside records and skipped values).
size_t RecordsSplitter::StepStructural(const char* p, size_t i, size_t n) {
  const char c = p[i];
  const uint64_t at = offset_ + i;
  if (state_ == State::kBeforeRoot && at < 3 && static_cast<unsigned char>(c) == kBom[at]) {
    return i + 1;  // a UTF-8 byte order mark before the root is tolerated
  }
  if (IsSpace(c)) {
    while (i < n && IsSpace(p[i])) ++i;
    return i;
  }
  switch (state_) {
    case State::kBeforeRoot:
      if (c != '{')
        Corrupt(at, "expected '{' (a CloudTrail log file is a JSON object), got " + Describe(c));
      state_ = State::kRootFirstKey;
      return i + 1;
    case State::kRootFirstKey:
    case State::kRootKey:
      if (c == '"') {
        key_.clear();
        in_string_ = true;
        state_ = State::kKey;
      } else if (c == '}' && state_ == State::kRootFirstKey) {
        state_ = State::kAfterRoot;
      } else {
        Corrupt(at, "expected a key in the root object, got " + Describe(c));
      }
      return i + 1;
    case State::kColon:
      if (c != ':') Corrupt(at, "expected ':' after a root key, got " + Describe(c));
      state_ = State::kValue;
      return i + 1;
    case State::kValue:
      if (key_is_records_) {
        if (c != '[') Corrupt(at, "\"Records\" is not an array");
        saw_records_ = true;
        state_ = State::kArrayFirst;
        return i + 1;
      }
      if (c == '"') {
        in_string_ = true;
        state_ = State::kSkipString;
        return i + 1;
      }
      if (c == '{' || c == '[') {
        state_ = State::kSkipNested;  // ScanNested consumes the opening bracket
        return i;
      }
      if (!kScalarByte[static_cast<unsigned char>(c)]) {
        Corrupt(at, "expected a value, got " + Describe(c));
        return i;
      }
      state_ = State::kSkipScalar;
      return i;
    case State::kAfterValue:
      if (c == ',') {
        state_ = State::kRootKey;
      } else if (c == '}') {
        state_ = State::kAfterRoot;
      } else {
        Corrupt(at, "expected ',' or '}' in the root object, got " + Describe(c));
      }
      return i + 1;
    case State::kArrayFirst:
    case State::kArrayNext:
      if (c == '{') {
        StartRecord(i);
        return i;  // ScanNested consumes the '{'
      }
      if (c == ']' && state_ == State::kArrayFirst) {
        state_ = State::kAfterValue;
        return i + 1;
      }
      Corrupt(at, fmt::format("expected record {} (a JSON object) in \"Records\", got {}",
                              record_index_, Describe(c)));
      return i;
    case State::kArrayAfterElement:
      if (c == ',') {
        state_ = State::kArrayNext;
      } else if (c == ']') {
        state_ = State::kAfterValue;
      } else {
        Corrupt(at, fmt::format("expected ',' or ']' after record {}, got {}", record_index_ - 1,
                                Describe(c)));
      }
      return i + 1;
    case State::kAfterRoot:
      Corrupt(at, "trailing data after the root object: " + Describe(c));
      return i;
    default:
      Corrupt(at, "internal error: unexpected splitter state");
      return i;
  }
}

Status RecordsSplitter::Finish() {
  if (!error_.ok()) return error_;
  if (state_ == State::kAfterRoot) return Status::OK();
  if (offset_ == 0) {
    Corrupt(0, "the object is empty");
  } else if (state_ == State::kRecord) {
    Corrupt(offset_, fmt::format("truncated inside record {} (starts at byte {})", record_index_,
                                 record_offset_));
  } else {
    Corrupt(offset_, "truncated: the root object is not closed");
  }
  return error_;
}

}  // namespace trailhound::codecs
