// EventSink: where a source hands its events — the store adapter, later ClickHouse and
// forwarders. Write returns only when the events are durable (or definitively refused), so a
// source may acknowledge its input after an OK. Duplicates are absorbed by the sink and
// counted. Thread safety: implementations accept concurrent Writes.
#pragma once

#include <cstdint>
#include <span>

#include "core/event.h"
#include "core/result.h"

namespace trailhound {

struct SinkWriteResult {
  uint64_t stored = 0;      // new events, now durable
  uint64_t duplicates = 0;  // already stored; skipped
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Errors: retriable ones (kUnavailable, ...) when the write may succeed later; the caller
  // then keeps its input unacknowledged.
  virtual Result<SinkWriteResult> Write(std::span<const Event> events) = 0;
};

}  // namespace trailhound
