// WalReader: replays every record of a WAL directory in order (file sequence, then offset)
// and, during recovery, cuts off a torn tail so that new appends continue cleanly.
// A torn tail of the LAST file (a crash mid-write) is not an error: the records before it
// are delivered and the tail is reported. Damage anywhere else — a bad record followed by
// a valid one, any bad record in an earlier file, a missing file — is kCorruption naming
// the file and offset; nothing is skipped silently. Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/status.h"
#include "store/file_ops.h"

namespace trailhound::store {

// Where a record starts: its file's sequence and its byte offset in that file.
struct WalPosition {
  uint64_t sequence = 0;
  uint64_t offset = 0;
};

struct WalReplayOptions {
  // Recovery: truncate a torn tail of the last file (or remove the file when even its
  // header is incomplete) before returning. Off: the directory is only read.
  bool truncate_torn_tail = false;
  // File-system calls; nullptr means DefaultFileOps(). Not owned.
  FileOps* file_ops = nullptr;
};

struct WalReplayStats {
  uint64_t files = 0;
  uint64_t records = 0;
  uint64_t last_sequence = 0;  // 0 when the directory holds no WAL file
  bool torn_tail = false;      // the last file ended in an incomplete record or header
  std::string torn_file;       // its path, when torn_tail
  uint64_t torn_offset = 0;    // where the incomplete part starts (the new file size)
  uint64_t torn_bytes = 0;     // how many bytes were (or would be) cut off
};

// Called once per record. `record` is valid only during the call. A non-OK return
// stops the replay and is returned as is.
using WalRecordCallback = std::function<Status(WalPosition position, std::string_view record)>;

class WalReader {
 public:
  // Reads each file whole, so memory is bounded by the largest file (max_file_bytes
  // plus one group). A directory without WAL files replays nothing.
  static Result<WalReplayStats> Replay(const std::string& dir, const WalRecordCallback& callback,
                                       WalReplayOptions options = {});
};

}  // namespace trailhound::store
