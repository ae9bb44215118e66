#include "sinks/store_sink.h"

namespace trailhound::sinks {

Result<SinkWriteResult> StoreSink::Write(std::span<const Event> events) {
  TH_ASSIGN_OR_RETURN(store::AppendResult appended, store_->Append(events));
  SinkWriteResult result;
  result.stored = appended.stored;
  result.duplicates = appended.duplicates;
  return result;
}

}  // namespace trailhound::sinks
