// Crc32c: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every
// WAL record and segment section. Computed by ISA-L (hardware CRC instructions); zlib's
// crc32 is the IEEE polynomial, which is weaker for short records.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace trailhound::store {

// Returns the CRC-32C of `data` continued from `crc` (the CRC of the bytes before it;
// 0 to start).
uint32_t Crc32cExtend(uint32_t crc, std::string_view data);
inline uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

// A CRC stored on disk is masked so that the CRC of data that itself contains CRCs
// (a record carrying another record) is not trivially predictable. See docs/formats/wal.md.
inline uint32_t MaskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
inline uint32_t UnmaskCrc(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace trailhound::store
