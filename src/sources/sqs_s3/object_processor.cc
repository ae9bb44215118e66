#include "sources/sqs_s3/object_processor.h"

#include <chrono>

#include "codecs/cloudtrail_key.h"
#include "codecs/cloudtrail_reader.h"

namespace trailhound::sources {

namespace {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ObjectProcessor::ObjectProcessor(aws::S3Client* s3, EventSink* sink, SourceStatus* status,
                                 ObjectProcessorOptions options, HintContext hint_context)
    : s3_(s3),
      sink_(sink),
      status_(status),
      options_(std::move(options)),
      hint_context_(std::move(hint_context)) {}

Status ObjectProcessor::Flush() {
  if (batch_.empty()) return Status::OK();
  Result<SinkWriteResult> written = sink_->Write(batch_);
  if (written.ok()) status_->OnStored(written->stored, written->duplicates, batch_times_);
  batch_.clear();
  batch_times_.clear();
  if (!written.ok()) return written.status();
  return Status::OK();
}

ObjectOutcome ObjectProcessor::Process(const ObjectRef& object) {
  ObjectOutcome result;
  const std::string name = "s3://" + object.bucket + "/" + object.key;
  HintContext context = hint_context_;
  context.bucket = object.bucket;
  context.key = object.key;

  codecs::CloudTrailObjectKind kind = codecs::ClassifyCloudTrailKey(object.key).kind;
  if (kind == codecs::CloudTrailObjectKind::kDigest ||
      kind == codecs::CloudTrailObjectKind::kNotCloudTrail) {
    // Digests and keys outside CloudTrail's layout (other logs in a shared bucket, the
    // trail's test object) are not events: acknowledging their message is safe.
    status_->OnObjectSkipped();
    result.outcome = AckOutcome::kRejected;
    return result;
  }
  if (object.size && *object.size > options_.max_object_bytes) {
    result.status = Status::ResourceExhausted(
        name + " is " + std::to_string(*object.size) + " bytes, over max_object_mb (" +
        std::to_string(options_.max_object_bytes >> 20) + " MiB)");
    context.operation = AwsOperation::kDecode;
    status_->OnObjectFailed(result.status, HintFor(result.status, context));
    return result;
  }

  codecs::CloudTrailReaderOptions reader_options;
  reader_options.decompress.max_decompressed_bytes = options_.max_decompressed_bytes;
  const int64_t fallback_time = NowMillis();
  Status sink_error;
  Status normalize_error;
  codecs::CloudTrailReader reader(name, reader_options, [&](const codecs::CloudTrailRecord& r) {
    Result<Event> event = normalizer_.Normalize(r.json, options_.source_name, fallback_time);
    if (!event.ok()) {
      if (normalize_error.ok()) normalize_error = event.status();
      return Status::OK();
    }
    batch_times_.push_back(event->_time);
    batch_.push_back(std::move(*event));
    ++result.events;
    if (batch_.size() < options_.batch_events) return Status::OK();
    sink_error = Flush();
    return sink_error;
  });
  uint64_t fetched = 0;
  aws::BodySink body = [&](std::string_view chunk) {
    fetched += chunk.size();
    if (fetched > options_.max_object_bytes) {
      return Status::ResourceExhausted(name + " is larger than max_object_mb");
    }
    return reader.Feed(chunk);
  };
  batch_.clear();
  batch_times_.clear();
  Result<aws::S3ObjectInfo> got = s3_->GetObject(object.bucket, object.key, body);
  Status status = got.ok() ? reader.Finish() : got.status();
  if (status.ok()) status = normalize_error;
  // What was read is stored even when the object failed part-way: the dedup absorbs it on
  // the retry, and a store failure must be seen here rather than lost.
  Status flushed = sink_error.ok() ? Flush() : sink_error;
  if (fetched > 0) status_->OnObjectFetched(fetched);

  if (!flushed.ok()) {
    result.status = flushed.Annotate("Storing events of " + name);
    context.operation = AwsOperation::kStore;
  } else if (!got.ok()) {
    result.status = got.status();
    context.operation = AwsOperation::kGetObject;
  } else if (!status.ok()) {
    result.status = status;
    context.operation = AwsOperation::kDecode;
  }
  if (!result.status.ok()) {
    status_->OnObjectFailed(result.status, HintFor(result.status, context));
    return result;
  }
  const auto& stats = reader.stats();
  if (stats.kind == codecs::CloudTrailObjectKind::kDigest) {
    status_->OnObjectSkipped();
    result.outcome = AckOutcome::kRejected;
    return result;
  }
  result.outcome = AckOutcome::kDelivered;
  return result;
}

}  // namespace trailhound::sources
