#include "store/wal_reader.h"

#include <algorithm>
#include <vector>

#include "store/crc32c.h"
#include "store/wal_format.h"

namespace trailhound::store {
namespace {

// Why the bytes at an offset are not a record; kNone when they are one.
enum class Damage { kNone, kShortHeader, kBadType, kBadLength, kBadChecksum };

std::string_view DamageName(Damage d) {
  switch (d) {
    case Damage::kNone:
      return "none";
    case Damage::kShortHeader:
      return "incomplete record header";
    case Damage::kBadType:
      return "unknown record type";
    case Damage::kBadLength:
      return "record length runs past the end of the file";
    case Damage::kBadChecksum:
      return "checksum mismatch";
  }
  return "unknown";
}

// Checks the record at `off`; on success sets *payload.
Damage CheckRecord(std::string_view data, size_t off, std::string_view* payload) {
  if (data.size() - off < kWalRecordHeaderBytes) return Damage::kShortHeader;
  const uint32_t length = DecodeFixed32(data.data() + off + 4);
  if (static_cast<uint8_t>(data[off + 8]) != static_cast<uint8_t>(WalRecordType::kFull)) {
    return Damage::kBadType;
  }
  if (length > kWalMaxRecordBytes || length > data.size() - off - kWalRecordHeaderBytes) {
    return Damage::kBadLength;
  }
  const uint32_t expected = UnmaskCrc(DecodeFixed32(data.data() + off));
  if (Crc32c(data.substr(off + 4, 5 + length)) != expected) return Damage::kBadChecksum;
  *payload = data.substr(off + kWalRecordHeaderBytes, length);
  return Damage::kNone;
}

// Whether a valid record starts anywhere after `off`. A crash mid-write leaves only a
// prefix of the last write, so nothing valid can follow a torn tail; valid data after a
// bad record means damage (a flipped bit, a lost sector), which must not be skipped.
bool ValidRecordAfter(std::string_view data, size_t off) {
  std::string_view unused;
  for (size_t p = off + 1; p + kWalRecordHeaderBytes <= data.size(); ++p) {
    if (CheckRecord(data, p, &unused) == Damage::kNone) return true;
  }
  return false;
}

Status CorruptAt(const std::string& path, uint64_t offset, std::string_view why) {
  return Status::Corruption("Corrupt WAL file '" + path + "' at offset " + std::to_string(offset) +
                            ": " + std::string(why));
}

}  // namespace

Result<WalReplayStats> WalReader::Replay(const std::string& dir, const WalRecordCallback& callback,
                                         WalReplayOptions options) {
  FileOps* ops = options.file_ops != nullptr ? options.file_ops : DefaultFileOps();
  TH_ASSIGN_OR_RETURN(std::vector<std::string> names, ops->ListDir(dir));
  std::vector<uint64_t> sequences;
  for (const std::string& name : names) {
    if (auto seq = ParseWalFileName(name)) sequences.push_back(*seq);
  }
  std::sort(sequences.begin(), sequences.end());

  WalReplayStats stats;
  for (size_t i = 0; i < sequences.size(); ++i) {
    const uint64_t seq = sequences[i];
    const bool last = i + 1 == sequences.size();
    const std::string path = dir + "/" + WalFileName(seq);
    if (i > 0 && seq != sequences[i - 1] + 1) {
      return Status::Corruption("WAL directory '" + dir + "' is missing file " +
                                WalFileName(sequences[i - 1] + 1) + " before '" + path + "'");
    }
    TH_ASSIGN_OR_RETURN(const std::string data, ops->ReadFile(path));
    ++stats.files;
    stats.last_sequence = seq;

    size_t off = 0;
    if (data.size() < kWalFileHeaderBytes) {
      if (!last) return CorruptAt(path, 0, "incomplete file header");
      off = data.size();  // a crash while the file was being created
      stats.torn_tail = true;
    } else {
      std::optional<uint64_t> header_seq = DecodeWalFileHeader(data);
      if (!header_seq) return CorruptAt(path, 0, "bad file header (magic or version)");
      if (*header_seq != seq) {
        return CorruptAt(path, 16, "header names sequence " + std::to_string(*header_seq));
      }
      off = kWalFileHeaderBytes;
    }

    while (off < data.size()) {
      std::string_view payload;
      const Damage damage = CheckRecord(data, off, &payload);
      if (damage != Damage::kNone) {
        if (!last) return CorruptAt(path, off, DamageName(damage));
        if (ValidRecordAfter(data, off)) {
          return CorruptAt(path, off,
                           std::string(DamageName(damage)) + ", followed by valid records");
        }
        stats.torn_tail = true;
        break;
      }
      TH_RETURN_IF_ERROR(callback(WalPosition{seq, off}, payload));
      ++stats.records;
      off += kWalRecordHeaderBytes + payload.size();
    }
    if (stats.torn_tail) {
      stats.torn_file = path;
      stats.torn_offset = data.size() < kWalFileHeaderBytes ? 0 : off;
      stats.torn_bytes = data.size() - stats.torn_offset;
    }
  }

  if (stats.torn_tail && options.truncate_torn_tail) {
    if (stats.torn_offset < kWalFileHeaderBytes) {
      // Not even the header made it: the file holds nothing.
      TH_RETURN_IF_ERROR(ops->RemoveFile(stats.torn_file));
      TH_RETURN_IF_ERROR(ops->SyncDir(dir));
    } else {
      TH_RETURN_IF_ERROR(ops->Truncate(stats.torn_file, stats.torn_offset));
    }
  }
  return stats;
}

}  // namespace trailhound::store
