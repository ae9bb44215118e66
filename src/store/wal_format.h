// WAL format: the on-disk layout of write-ahead-log files (docs/formats/wal.md, version 1).
// A WAL directory holds files "<20-digit sequence>.wal"; each is a 24-byte header then
// records [masked crc32c u32][length u32][type u8][payload], all little-endian.
// Thread safety: pure functions and constants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trailhound::store {

inline constexpr uint32_t kWalFormatVersion = 1;
// "THWALOG" + NUL: the first 8 bytes of every WAL file.
inline constexpr std::string_view kWalMagic{"THWALOG\0", 8};
// magic(8) version(u32) reserved(u32, 0) file sequence(u64). No CRC: the magic, version,
// reserved and "sequence matches the file name" checks protect it.
inline constexpr size_t kWalFileHeaderBytes = 24;
// crc(u32) length(u32) type(u8).
inline constexpr size_t kWalRecordHeaderBytes = 9;
// Larger records are rejected by the writer and treated as damage by the reader.
inline constexpr uint32_t kWalMaxRecordBytes = 64u << 20;

// persistent format: do not renumber
enum class WalRecordType : uint8_t {
  kInvalid = 0,  // never written; zero-filled space reads as this
  kFull = 1,     // one complete record
};

// The 24-byte file header for file `sequence`.
std::string EncodeWalFileHeader(uint64_t sequence);
// The sequence in a header, or nullopt when magic, version or reserved bytes are wrong.
// REQUIRES: header.size() >= kWalFileHeaderBytes.
std::optional<uint64_t> DecodeWalFileHeader(std::string_view header);

// Appends one framed kFull record to `out`. REQUIRES: payload.size() <= kWalMaxRecordBytes.
void AppendWalRecord(std::string_view payload, std::string* out);
// The same in two steps, for payloads encoded straight into `out` (no copy):
//   size_t start = BeginWalRecord(&out);  ...append the payload to out...
//   FinishWalRecord(start, &out);         // fills in length and CRC
// REQUIRES: the payload appended in between is at most kWalMaxRecordBytes.
size_t BeginWalRecord(std::string* out);
void FinishWalRecord(size_t start, std::string* out);

// "00000000000000000042.wal" for sequence 42; names sort in sequence order.
std::string WalFileName(uint64_t sequence);
// The sequence of a WAL file name, or nullopt for any other name.
std::optional<uint64_t> ParseWalFileName(std::string_view name);

// Little-endian fixed-width helpers.
void PutFixed32(std::string* out, uint32_t v);
void PutFixed64(std::string* out, uint64_t v);
uint32_t DecodeFixed32(const char* p);
uint64_t DecodeFixed64(const char* p);

}  // namespace trailhound::store
