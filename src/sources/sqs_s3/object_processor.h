// ObjectProcessor: one S3 object named by a notification, end to end — classify the key
// (digests and non-CloudTrail keys are skipped: definitively not logs), stream GetObject into
// a CloudTrailReader (never holding the whole object), normalise each record and write
// batches to the sink, which returns only when they are durable. The outcome decides the
// message's fate: kDelivered (stored) or kRejected (not a log) let the message be deleted;
// kErrored (fetch, decode or store failed) leaves it for SQS to re-deliver, and the store's
// dedup absorbs the batches already written. Memory: one batch of events plus the reader's
// bounded buffers. Thread safety: one processor per worker thread.
#pragma once

#include <cstdint>
#include <string>

#include "aws/s3.h"
#include "core/ack_token.h"
#include "core/event_sink.h"
#include "core/status.h"
#include "sources/sqs_s3/notification.h"
#include "sources/sqs_s3/source_status.h"
#include "transforms/normalize/cloudtrail_normalizer.h"

namespace trailhound::sources {

struct ObjectProcessorOptions {
  std::string source_name;                 // stored as _source
  uint64_t max_object_bytes = 1ull << 30;  // larger objects are refused before fetching
  uint64_t max_decompressed_bytes = 8ull << 30;
  size_t batch_events = 500;  // events per sink write
};

struct ObjectOutcome {
  AckOutcome outcome = AckOutcome::kErrored;
  Status status;  // why, when not delivered
  uint64_t events = 0;
};

class ObjectProcessor {
 public:
  ObjectProcessor(aws::S3Client* s3, EventSink* sink, SourceStatus* status,
                  ObjectProcessorOptions options, HintContext hint_context);

  ObjectOutcome Process(const ObjectRef& object);

 private:
  Status Flush();

  aws::S3Client* s3_;
  EventSink* sink_;
  SourceStatus* status_;
  ObjectProcessorOptions options_;
  HintContext hint_context_;
  transforms::CloudTrailNormalizer normalizer_;
  std::vector<Event> batch_;
  std::vector<int64_t> batch_times_;
};

}  // namespace trailhound::sources
