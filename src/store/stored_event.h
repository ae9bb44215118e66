// StoredEvent: what the store keeps of an Event — the envelope and the verbatim JSON — plus
// its deduplication key. The typed fields of an Event are not stored: they are derived from
// the raw JSON again (normalizer) or indexed from it (segment columns), so the raw record
// stays the single source of truth. Plain value types; thread safety as for any value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace trailhound::store {

// 128-bit hash identifying an event for deduplication. For a record with an eventID it is
// XXH3-128 of "id\0<recipientAccountId>\0<eventID>" (CloudTrail's eventID is unique per
// recipient account); without an eventID it is XXH3-128 of "raw\0<verbatim JSON>", so a
// re-delivered malformed record is still stored once. With 128 bits the chance of any
// collision among 10^12 events is below 10^-14: a collision would drop a genuine event, so
// the width is chosen for that, not for speed.
struct DedupKey {
  uint64_t high = 0;
  uint64_t low = 0;
  friend bool operator==(const DedupKey&, const DedupKey&) = default;
  friend auto operator<=>(const DedupKey&, const DedupKey&) = default;
};

struct DedupKeyHash {
  size_t operator()(const DedupKey& key) const { return static_cast<size_t>(key.low); }
};

// The key of an event with the given recipient account, event id and raw JSON.
DedupKey MakeDedupKey(std::string_view recipient_account_id, std::string_view event_id,
                      std::string_view raw);
inline DedupKey MakeDedupKey(const Event& event) {
  return MakeDedupKey(event.recipient_account_id, event.event_id, event.raw);
}

struct StoredEvent {
  int64_t time = 0;               // Event::_time, ms since the epoch
  bool time_is_fallback = false;  // Event::time_is_fallback
  std::string source;             // Event::_source
  EventCategory category = EventCategory::kUnknown;
  std::string raw;  // Event::raw, verbatim
  DedupKey key;

  static StoredEvent FromEvent(const Event& event);
  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

// WAL record encoding of one StoredEvent (docs/formats/store.md "WAL records"): a version
// byte, then time, flags, category, key, and the length-prefixed source and raw.
std::string EncodeWalRecord(const StoredEvent& event);
// Bytes of a WAL record besides the source and raw strings.
inline constexpr size_t kWalRecordFixedBytes = 1 + 8 + 1 + 1 + 16 + 4 + 4;
// The same appended to `out`; returns the number of bytes appended.
size_t AppendWalRecordPayload(const StoredEvent& event, std::string* out);
// kCorruption naming what is wrong when `record` is not a valid encoding.
Result<StoredEvent> DecodeWalRecord(std::string_view record);

}  // namespace trailhound::store
