#include "store/wal_format.h"

#include <cstdio>

#include "store/crc32c.h"

namespace trailhound::store {

void PutFixed32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

uint32_t DecodeFixed32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | (static_cast<uint32_t>(u[1]) << 8) |
         (static_cast<uint32_t>(u[2]) << 16) | (static_cast<uint32_t>(u[3]) << 24);
}

uint64_t DecodeFixed64(const char* p) {
  return static_cast<uint64_t>(DecodeFixed32(p)) |
         (static_cast<uint64_t>(DecodeFixed32(p + 4)) << 32);
}

std::string EncodeWalFileHeader(uint64_t sequence) {
  std::string h(kWalMagic);
  PutFixed32(&h, kWalFormatVersion);
  PutFixed32(&h, 0);
  PutFixed64(&h, sequence);
  return h;
}

std::optional<uint64_t> DecodeWalFileHeader(std::string_view header) {
  if (header.substr(0, kWalMagic.size()) != kWalMagic) return std::nullopt;
  if (DecodeFixed32(header.data() + 8) != kWalFormatVersion) return std::nullopt;
  if (DecodeFixed32(header.data() + 12) != 0) return std::nullopt;
  return DecodeFixed64(header.data() + 16);
}

size_t BeginWalRecord(std::string* out) {
  size_t start = out->size();
  out->append(kWalRecordHeaderBytes - 1, '\0');  // crc and length, filled in by Finish
  out->push_back(static_cast<char>(WalRecordType::kFull));
  return start;
}

void FinishWalRecord(size_t start, std::string* out) {
  const size_t length = out->size() - start - kWalRecordHeaderBytes;
  char* header = out->data() + start;
  for (int i = 0; i < 4; ++i) header[4 + i] = static_cast<char>((length >> (8 * i)) & 0xffu);
  // The CRC covers length, type and payload: every byte of the record after the CRC.
  std::string_view covered(header + 4, out->size() - start - 4);
  uint32_t masked = MaskCrc(Crc32c(covered));
  for (int i = 0; i < 4; ++i) header[i] = static_cast<char>((masked >> (8 * i)) & 0xffu);
}

void AppendWalRecord(std::string_view payload, std::string* out) {
  size_t start = BeginWalRecord(out);
  out->append(payload);
  FinishWalRecord(start, out);
}

std::string WalFileName(uint64_t sequence) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020llu.wal", static_cast<unsigned long long>(sequence));
  return buf;
}

std::optional<uint64_t> ParseWalFileName(std::string_view name) {
  constexpr std::string_view kSuffix = ".wal";
  if (name.size() != 20 + kSuffix.size() || name.substr(20) != kSuffix) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < 20; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return std::nullopt;  // overflow
    v = next;
  }
  return v;
}

}  // namespace trailhound::store
