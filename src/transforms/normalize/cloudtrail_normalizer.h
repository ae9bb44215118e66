// CloudTrailNormalizer: turns one CloudTrail record (its verbatim JSON, as CloudTrailReader
// delivers it) into an Event: raw copy, envelope (_time, _source, _category) and typed fields.
// Schema drift is data, not an error: a missing, null, unknown or oddly-typed field never
// drops the event. A string field holding a number or a boolean gets that scalar's JSON text
// (recipientAccountId 123456789012 → "123456789012"); holding an object, array or null it stays
// "". Boolean fields take JSON true/false or the strings "true"/"false" (any case), else stay
// nullopt. The only error is a record that is not a JSON object (or not JSON): kCorruption. This is
// not a validator — values it does not read are skipped, not checked; CloudTrailReader validates.
// Thread safety: not thread-safe; one normalizer per worker thread (it reuses one simdjson
// parser and one padded buffer). The returned Event owns all its data.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace trailhound::transforms {

class CloudTrailNormalizer {
 public:
  CloudTrailNormalizer() = default;
  CloudTrailNormalizer(const CloudTrailNormalizer&) = delete;
  CloudTrailNormalizer& operator=(const CloudTrailNormalizer&) = delete;

  // `record_json`: one record, '{' to '}' (need not be padded; it is copied).
  // `source_name`: the configured name of the event source, stored as _source.
  // `fallback_time_ms`: used as _time (and time_is_fallback set) when eventTime is missing or
  // not a valid ISO 8601 time; the caller passes the object's delivery time.
  // The event's ack is left empty; the caller attaches its input's token.
  Result<Event> Normalize(std::string_view record_json, std::string_view source_name,
                          int64_t fallback_time_ms);

 private:
  simdjson::ondemand::parser parser_;
  std::string padded_;  // record_json + SIMDJSON_PADDING bytes; reused across records
};

}  // namespace trailhound::transforms
