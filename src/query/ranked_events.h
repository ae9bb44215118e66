// RankedEvents: keeps the first `capacity` of the events offered to it in a ranking — the sort
// keys (value order, each ascending or descending), then the default order of events mode:
// newest first, then raw JSON bytes, _source and _category ascending. Memory is one copy of
// each kept event (a bounded heap); events that cannot enter are never copied. Not
// thread-safe; Merge combines rankings built on different threads.
// Errors: kResourceExhausted when more than max_buffered_events would be kept.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "query/ast.h"
#include "query/field_reader.h"
#include "query/matcher.h"
#include "query/pipeline.h"
#include "query/value.h"

namespace trailhound::query {

class RankedEvents {
 public:
  // REQUIRES: capacity >= 1.
  RankedEvents(const std::vector<SortKey>& keys, size_t capacity, size_t max_buffered_events);

  // Offers one event; `event` is the root of the parse of `raw`.
  Status Add(simdjson::dom::element event, std::string_view raw, const VirtualFields& virtuals);

  // Offers every event `other` kept. REQUIRES: built with the same keys and capacity.
  Status Merge(RankedEvents&& other);

  // With no sort keys and `capacity` events kept: the time of the last-ranked one; an older
  // event can no longer enter. nullopt otherwise.
  std::optional<int64_t> OldestUsefulTime() const;

  // The kept events, first-ranked first. Leaves this ranking empty.
  std::vector<ResultEvent> TakeRanked();

 private:
  struct Entry {
    ResultEvent event;
    std::vector<Value> keys;  // one per sort key
  };
  // What a comparison reads of an event, kept or offered.
  struct View {
    const std::vector<Value>* keys;
    int64_t time_millis;
    std::string_view raw, source, category;
  };
  static View ViewOf(const Entry& e) {
    return {&e.keys, e.event.time_millis, e.event.raw, e.event.source, e.event.category};
  }

  // Whether `a` ranks before `b`.
  bool Before(const View& a, const View& b) const;
  // Whether a candidate ranked `candidate` would be kept.
  bool WouldKeep(const View& candidate) const;
  Status CheckRoom() const;

  std::vector<FieldReader> readers_;
  std::vector<bool> descending_;
  size_t capacity_;
  size_t max_buffered_events_;
  // A heap under Before: front() is the last-ranked kept event.
  std::vector<Entry> heap_;
  std::vector<Value> scratch_keys_;  // the candidate's keys, reused between events
};

}  // namespace trailhound::query
