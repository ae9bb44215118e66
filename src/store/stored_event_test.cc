#include "store/stored_event.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <string>

#include "store/wal_format.h"

namespace trailhound::store {
namespace {

using namespace std::string_literals;

DedupKey Xxh128(const std::string& bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return DedupKey{h.high64, h.low64};
}

StoredEvent SampleEvent() {
  StoredEvent e;
  e.time = 1'714'521'600'123;
  e.time_is_fallback = true;
  e.source = "cloudtrail-main";
  e.category = EventCategory::kCloudServiceActivity;
  e.raw = R"({"eventID":"e1","recipientAccountId":"111122223333","x":"é"})";
  e.key = MakeDedupKey("111122223333", "e1", e.raw);
  return e;
}

TEST(DedupKey, HashesAccountAndEventIdWhenThereIsAnEventId) {
  EXPECT_EQ(MakeDedupKey("111122223333", "abc-1", "{ignored}"),
            Xxh128("id\0"s + "111122223333" + "\0"s + "abc-1"));
  // The raw JSON does not matter: a re-delivery with other whitespace is the same event.
  EXPECT_EQ(MakeDedupKey("1", "e", "{}"), MakeDedupKey("1", "e", "{ }"));
  // The separator keeps ("12", "3") and ("1", "23") apart.
  EXPECT_NE(MakeDedupKey("12", "3", ""), MakeDedupKey("1", "23", ""));
  EXPECT_NE(MakeDedupKey("1", "e", ""), MakeDedupKey("2", "e", ""));
}

TEST(DedupKey, HashesTheVerbatimJsonWithoutAnEventId) {
  const std::string raw = R"({"eventName":"x"})";
  EXPECT_EQ(MakeDedupKey("111122223333", "", raw), Xxh128("raw\0"s + raw));
  EXPECT_NE(MakeDedupKey("", "", raw), MakeDedupKey("", "", raw + " "));
  const std::string big(3 << 20, 'x');  // streamed, same as one shot
  EXPECT_EQ(MakeDedupKey("", "", big), Xxh128("raw\0"s + big));
  // "raw\0..." and "id\0..." inputs never meet.
  EXPECT_NE(MakeDedupKey("", "x", ""), MakeDedupKey("", "", ""));
}

TEST(DedupKey, FromEventUsesTheTypedFields) {
  Event event;
  event._time = 42;
  event.time_is_fallback = false;
  event._source = "src";
  event._category = EventCategory::kCloudServiceActivity;
  event.raw = R"({"eventID":"id-1","recipientAccountId":"222"})";
  event.event_id = "id-1";
  event.recipient_account_id = "222";
  const StoredEvent stored = StoredEvent::FromEvent(event);
  EXPECT_EQ(stored.time, 42);
  EXPECT_FALSE(stored.time_is_fallback);
  EXPECT_EQ(stored.source, "src");
  EXPECT_EQ(stored.category, EventCategory::kCloudServiceActivity);
  EXPECT_EQ(stored.raw, event.raw);
  EXPECT_EQ(stored.key, MakeDedupKey("222", "id-1", ""));
  EXPECT_EQ(stored.key, MakeDedupKey(event));
}

TEST(WalRecord, RoundTripsEveryField) {
  const StoredEvent e = SampleEvent();
  Result<StoredEvent> back = DecodeWalRecord(EncodeWalRecord(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, e);

  StoredEvent empty;  // empty strings, time 0, kUnknown
  empty.time = -1;
  back = DecodeWalRecord(EncodeWalRecord(empty));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, empty);

  StoredEvent big = e;
  big.raw.assign(1 << 20, '\xff');
  big.time_is_fallback = false;
  big.category = EventCategory::kUnknown;
  back = DecodeWalRecord(EncodeWalRecord(big));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, big);
}

TEST(WalRecord, LayoutIsFixedWidthLittleEndian) {
  StoredEvent e;
  e.time = 0x0102030405060708;
  e.time_is_fallback = true;
  e.category = EventCategory::kCloudServiceActivity;
  e.key = DedupKey{0x1112131415161718, 0x2122232425262728};
  e.source = "s";
  e.raw = "{}";
  const std::string r = EncodeWalRecord(e);
  ASSERT_EQ(r.size(), 1u + 8 + 1 + 1 + 16 + 4 + 1 + 4 + 2);
  EXPECT_EQ(r[0], 1);  // version
  EXPECT_EQ(DecodeFixed64(r.data() + 1), 0x0102030405060708u);
  EXPECT_EQ(r[9], 1);   // flags: time_is_fallback
  EXPECT_EQ(r[10], 1);  // category
  EXPECT_EQ(DecodeFixed64(r.data() + 11), e.key.high);
  EXPECT_EQ(DecodeFixed64(r.data() + 19), e.key.low);
  EXPECT_EQ(DecodeFixed32(r.data() + 27), 1u);
  EXPECT_EQ(r.substr(31, 1), "s");
  EXPECT_EQ(DecodeFixed32(r.data() + 32), 2u);
  EXPECT_EQ(r.substr(36), "{}");
}

void ExpectCorrupt(std::string_view record, std::string_view why) {
  Result<StoredEvent> r = DecodeWalRecord(record);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << why;
  EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().ToString();
}

TEST(WalRecord, DecodeRejectsEveryKindOfDamage) {
  const std::string good = EncodeWalRecord(SampleEvent());
  ExpectCorrupt("", "truncated");
  for (size_t n = 0; n < good.size(); ++n) {
    Result<StoredEvent> r = DecodeWalRecord(std::string_view(good).substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes";
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
  std::string bad = good;
  bad[0] = 2;
  ExpectCorrupt(bad, "version");
  bad = good;
  bad[9] = 2;
  ExpectCorrupt(bad, "flags");
  ExpectCorrupt(good + "x", "trailing bytes");
  bad = good;
  bad[27] = '\x7f';  // source length far past the end
  ExpectCorrupt(bad, "length beyond the record");
  bad = good;
  const size_t raw_length_at = 27 + 4 + SampleEvent().source.size();
  bad[raw_length_at] = static_cast<char>(bad[raw_length_at] + 1);
  ExpectCorrupt(bad, "length beyond the record");
  bad = good;
  bad[raw_length_at] = static_cast<char>(bad[raw_length_at] - 1);
  ExpectCorrupt(bad, "trailing bytes");
  bad = good.substr(0, 27 + 4 + SampleEvent().source.size() + 2);
  ExpectCorrupt(bad, "truncated");
}

}  // namespace
}  // namespace trailhound::store
