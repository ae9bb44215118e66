#include "sinks/store_sink.h"

namespace trailhound::sinks {

namespace {

SinkWriteResult ToSinkResult(const store::AppendResult& appended) {
  SinkWriteResult result;
  result.stored = appended.stored;
  result.duplicates = appended.duplicates;
  return result;
}

}  // namespace

Result<SinkWriteResult> StoreSink::Write(std::span<const Event> events) {
  TH_ASSIGN_OR_RETURN(store::AppendResult appended, store_->Append(events));
  return ToSinkResult(appended);
}

Result<SinkWriteResult> StoreSink::Consume(std::vector<Event>& events) {
  TH_ASSIGN_OR_RETURN(store::AppendResult appended, store_->AppendMoved(events));
  return ToSinkResult(appended);
}

}  // namespace trailhound::sinks
