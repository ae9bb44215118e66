// SqsSource: the CloudTrail event source of the classic set-up (DESIGN.md "The path of one
// log file"): pollers long-poll the SQS queue; each message is decoded (notification.h) into
// object references; workers fetch, decode and store each object (object_processor.h); the
// acker deletes a message only when every object of it is durable in the sink or definitely
// not a log; a heartbeat extends the visibility of messages still in work; the queue depth is
// read once a minute. A message with a failed object is left in the queue (SQS re-delivers it
// and its redrive policy finally parks it in the DLQ); unknown message shapes are left too.
// Back-pressure: pollers receive only while fewer than max_messages_in_flight messages and
// max_objects_in_flight × 2 objects wait, so memory is bounded whatever the queue holds.
// Status also reports what the S3 client absorbs: every throttling or server error it retries
// (the source is Degraded while S3 throttles), and a configured bucket_region that S3 redirected
// away from (reported once per bucket, naming the right region).
// Thread safety: Start and Stop from one thread; status() from any.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "aws/credentials_config.h"
#include "aws/credentials_environment.h"
#include "core/clock.h"
#include "core/event_sink.h"
#include "core/result.h"
#include "sources/sqs_s3/source_status.h"

namespace trailhound::sources {

struct SqsSourceOptions {
  std::string name;  // stored as each event's _source
  std::string queue_url;
  std::string region;                  // of the queue; "" = from the URL
  std::string bucket_region;           // of the log bucket; "" = detected
  std::string endpoint_url;            // SQS and S3 endpoint override
  std::string s3_endpoint_url;         // S3 only; "" = endpoint_url
  aws::CredentialsConfig credentials;  // empty: the default chain
  int pollers = 2;
  int max_objects_in_flight = 32;  // worker threads fetching and decoding objects
  int max_messages_in_flight = 0;  // 0: max(10, 2 × max_objects_in_flight)
  uint64_t max_object_bytes = 1ull << 30;
  uint64_t max_decompressed_bytes = 8ull << 30;
  int visibility_timeout_secs = 300;  // set on receive and on every extension
  int wait_time_secs = 20;            // long-poll wait
  size_t batch_events = 500;          // events per sink write
  int64_t drain_timeout_ms = 60'000;  // Stop waits this long for in-flight messages
  int64_t queue_depth_interval_ms = 60'000;
};

class SqsSource {
 public:
  // Builds the AWS clients; reads secret files and variables now (errors name the field).
  static Result<std::unique_ptr<SqsSource>> Create(SqsSourceOptions options, EventSink* sink,
                                                   const aws::CredentialsEnvironment& env,
                                                   Clock* clock = SystemClock());
  ~SqsSource();  // Stop()
  SqsSource(const SqsSource&) = delete;
  SqsSource& operator=(const SqsSource&) = delete;

  void Start();
  // Stops receiving, lets in-flight messages finish (up to drain_timeout_ms), deletes the
  // finished ones, makes the others visible again at once, and joins every thread.
  void Stop();

  SourceStatusSnapshot status() const;
  const SqsSourceOptions& options() const;

 private:
  struct Impl;
  explicit SqsSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailhound::sources
