#include "store/stored_event.h"

#include <xxhash.h>

#include <memory>

#include "store/wal_format.h"

namespace trailhound::store {
namespace {

// persistent format (docs/formats/store.md "WAL records")
constexpr uint8_t kWalRecordVersion = 1;
constexpr uint8_t kFlagTimeIsFallback = 1;
// version(1) time(8) flags(1) category(1) key(16) source length(4) raw length(4)

DedupKey FromXxh128(XXH128_hash_t h) { return DedupKey{h.high64, h.low64}; }

struct StateDeleter {
  void operator()(XXH3_state_t* s) const { XXH3_freeState(s); }
};

Status Corrupt(std::string_view what) {
  return Status::Corruption("Corrupt WAL event record: " + std::string(what));
}

}  // namespace

DedupKey MakeDedupKey(std::string_view recipient_account_id, std::string_view event_id,
                      std::string_view raw) {
  using namespace std::string_view_literals;
  if (!event_id.empty()) {
    std::string input;
    input.reserve(4 + recipient_account_id.size() + event_id.size());
    input.append("id\0"sv).append(recipient_account_id).push_back('\0');
    input.append(event_id);
    return FromXxh128(XXH3_128bits(input.data(), input.size()));
  }
  // Streamed, so that a large record is not copied.
  std::unique_ptr<XXH3_state_t, StateDeleter> state(XXH3_createState());
  constexpr std::string_view kPrefix = "raw\0"sv;
  if (state == nullptr || XXH3_128bits_reset(state.get()) != XXH_OK ||
      XXH3_128bits_update(state.get(), kPrefix.data(), kPrefix.size()) != XXH_OK ||
      XXH3_128bits_update(state.get(), raw.data(), raw.size()) != XXH_OK) {
    std::string input(kPrefix);  // allocation failed: hash a copy instead
    input.append(raw);
    return FromXxh128(XXH3_128bits(input.data(), input.size()));
  }
  return FromXxh128(XXH3_128bits_digest(state.get()));
}

StoredEvent StoredEvent::FromEvent(const Event& event) {
  StoredEvent stored;
  stored.time = event._time;
  stored.time_is_fallback = event.time_is_fallback;
  stored.source = event._source;
  stored.category = event._category;
  stored.raw = event.raw;
  stored.key = MakeDedupKey(event);
  return stored;
}

size_t AppendWalRecordPayload(const StoredEvent& event, std::string* out) {
  const size_t start = out->size();
  out->push_back(static_cast<char>(kWalRecordVersion));
  PutFixed64(out, static_cast<uint64_t>(event.time));
  out->push_back(static_cast<char>(event.time_is_fallback ? kFlagTimeIsFallback : 0));
  out->push_back(static_cast<char>(event.category));
  PutFixed64(out, event.key.high);
  PutFixed64(out, event.key.low);
  PutFixed32(out, static_cast<uint32_t>(event.source.size()));
  out->append(event.source);
  PutFixed32(out, static_cast<uint32_t>(event.raw.size()));
  out->append(event.raw);
  return out->size() - start;
}

std::string EncodeWalRecord(const StoredEvent& event) {
  std::string out;
  out.reserve(kWalRecordFixedBytes + event.source.size() + event.raw.size());
  AppendWalRecordPayload(event, &out);
  return out;
}

Result<StoredEvent> DecodeWalRecord(std::string_view record) {
  if (record.size() < kWalRecordFixedBytes) {
    return Corrupt("truncated: " + std::to_string(record.size()) + " bytes");
  }
  const char* p = record.data();
  if (static_cast<uint8_t>(p[0]) != kWalRecordVersion) {
    return Corrupt("unknown version " + std::to_string(static_cast<uint8_t>(p[0])));
  }
  StoredEvent event;
  event.time = static_cast<int64_t>(DecodeFixed64(p + 1));
  const auto flags = static_cast<uint8_t>(p[9]);
  if ((flags & ~kFlagTimeIsFallback) != 0) return Corrupt("unknown flags");
  event.time_is_fallback = (flags & kFlagTimeIsFallback) != 0;
  event.category = static_cast<EventCategory>(static_cast<uint8_t>(p[10]));
  event.key.high = DecodeFixed64(p + 11);
  event.key.low = DecodeFixed64(p + 19);
  size_t pos = 27;
  for (std::string* field : {&event.source, &event.raw}) {
    if (record.size() - pos < 4) return Corrupt("truncated length");
    const uint32_t length = DecodeFixed32(p + pos);
    pos += 4;
    if (length > record.size() - pos) return Corrupt("length beyond the record");
    field->assign(p + pos, length);
    pos += length;
  }
  if (pos != record.size()) return Corrupt("trailing bytes");
  return event;
}

}  // namespace trailhound::store
