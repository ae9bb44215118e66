// StoreSink: the EventSink of the embedded store (store/store.h): a Write is a Store::Append,
// durable and deduplicated when it returns. Thread safety: as Store, any number of writers.
// Ownership: the store is not owned and must outlive the sink.
#pragma once

#include "core/event_sink.h"
#include "store/store.h"

namespace trailhound::sinks {

class StoreSink final : public EventSink {
 public:
  explicit StoreSink(store::Store* store) : store_(store) {}
  Result<SinkWriteResult> Write(std::span<const Event> events) override;

 private:
  store::Store* store_;
};

}  // namespace trailhound::sinks
