// Helpers for the segment tests: CloudTrail-like events, writing a segment and reading every
// row of it back. Test-only. Thread safety: none needed.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/segment.h"
#include "store/stored_event.h"
#include "store/wal_test_util.h"

namespace trailhound::store::testing {

inline constexpr int64_t kT0 = 1'714'521'600'000;  // 2024-05-01T00:00:00Z

// A CloudTrail-like record; `n` makes its eventID (and so its key) unique.
inline StoredEvent MakeEvent(int n, int64_t time, std::string event_name = "GetObject") {
  StoredEvent e;
  e.time = time;
  e.source = "cloudtrail-main";
  e.category = EventCategory::kCloudServiceActivity;
  const std::string id = "id-" + std::to_string(n);
  e.raw = R"({"eventVersion":"1.08","eventID":")" + id + R"(","eventName":")" + event_name +
          R"(","eventSource":"s3.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":)"
          R"("111122223333","sourceIPAddress":"10.0.)" +
          std::to_string(n % 256) + "." + std::to_string(n / 256 % 256) + R"(","n":)" +
          std::to_string(n) + "}";
  e.key = MakeDedupKey("111122223333", id, e.raw);
  return e;
}

inline std::vector<const StoredEvent*> Pointers(const std::vector<StoredEvent>& events) {
  std::vector<const StoredEvent*> out;
  for (const StoredEvent& e : events) out.push_back(&e);
  return out;
}

inline SegmentInfo WriteOrDie(const std::string& dir, uint64_t id,
                              const std::vector<StoredEvent>& events,
                              SegmentWriteOptions options = {},
                              std::vector<uint64_t> replaces = {}) {
  Result<SegmentInfo> info = WriteSegment(dir, id, Pointers(events), std::move(replaces), options);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  return info.ok() ? *info : SegmentInfo{};
}

inline std::shared_ptr<const Segment> OpenOrDie(const std::string& path) {
  Result<std::shared_ptr<const Segment>> s = Segment::Open(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

// Every row of the segment as a StoredEvent, in file order.
inline std::vector<StoredEvent> ReadAll(const Segment& segment) {
  std::vector<StoredEvent> out;
  BlockRows rows;
  for (size_t b = 0; b < segment.block_count(); ++b) {
    Status s = segment.ReadBlock(b, {}, &rows);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) break;
    for (size_t r = 0; r < rows.size(); ++r) {
      StoredEvent& e = out.emplace_back();
      e.time = rows.time[r];
      e.time_is_fallback = rows.time_is_fallback[r] != 0;
      e.source = std::string(rows.source[r]);
      e.category = rows.category[r];
      e.raw = std::string(rows.raw[r]);
      e.key = rows.key[r];
    }
  }
  return out;
}

}  // namespace trailhound::store::testing
