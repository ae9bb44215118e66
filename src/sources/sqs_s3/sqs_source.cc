#include "sources/sqs_s3/sqs_source.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "aws/aws_client.h"
#include "aws/aws_client_errors.h"
#include "aws/credentials.h"
#include "aws/regions.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "sources/sqs_s3/notification.h"
#include "sources/sqs_s3/object_processor.h"

namespace trailhound::sources {

namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

// One received message until it is deleted or left.
struct InFlight {
  std::string message_id;
  std::string receipt_handle;
  SteadyTime visible_until;
  bool finished = false;  // every object resolved; the acker owns it now
};

struct Work {
  ObjectRef object;
  AckToken token;  // the message's; resolved with the object's outcome
};

// The S3 client's transport: reports every throttling (429, SlowDown) or server-error (5xx)
// answer as it arrives — also the ones the sender then retries successfully — so that the
// status shows S3 throttling while it happens, not only when an object fails after its
// last retry. Thread safety: like the transport it wraps; `report` must be thread-safe.
class S3AnswerReporter final : public aws::HttpTransport {
 public:
  S3AnswerReporter(std::shared_ptr<aws::HttpTransport> inner,
                   std::function<void(const Status&)> report)
      : inner_(std::move(inner)), report_(std::move(report)) {}

  Result<aws::HttpResponse> Send(const aws::HttpRequest& request, const aws::BodySink* sink,
                                 const aws::HttpOptions* options_override) override {
    Result<aws::HttpResponse> response = inner_->Send(request, sink, options_override);
    if (response.ok() && (response->status == 429 || response->status >= 500)) {
      const aws::AwsErrorDetails details = aws::ParseAwsError(*response, aws::ErrorProtocol::kXml);
      const std::string what = details.code.empty() ? std::string("an error") : details.code;
      // Without the query: presigned URLs carry credentials there.
      const std::string url = request.url.substr(0, request.url.find_first_of("?#"));
      std::string message = "S3 answered " + request.method + " " + url + " with " + what +
                            " (HTTP " + std::to_string(response->status) + ")";
      if (!details.message.empty()) message += ": " + details.message;
      report_(Status(aws::StatusCodeForAwsError(details.code, response->status), message)
                  .WithAwsError(details.code, details.request_id, response->status));
    }
    return response;
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::function<void(const Status&)> report_;
};

}  // namespace

struct SqsSource::Impl {
  SqsSourceOptions options;
  EventSink* sink = nullptr;
  Clock* clock = nullptr;
  SourceStatus status;
  std::shared_ptr<aws::AwsRequestSender> sender;
  std::unique_ptr<aws::SqsClient> sqs;
  // Some SQS-compatible services (moto) authorize DeleteMessageBatch and
  // ChangeMessageVisibilityBatch as actions of their own, where AWS authorizes them as
  // DeleteMessage and ChangeMessageVisibility. Once a batch call is denied, its entries (and
  // every later one) go one call each, so the least-privilege policy works on both.
  std::atomic<bool> single_deletes{false};
  std::atomic<bool> single_visibility{false};
  std::unique_ptr<aws::S3Client> s3;
  HintContext hint_context;  // what every hint shares; Context() adds the rest
  size_t max_messages = 10;
  size_t max_queued_objects = 16;

  std::mutex mu;
  std::condition_variable changed;
  std::map<uint64_t, InFlight> inflight;                 // (mu)
  std::deque<Work> work;                                 // (mu)
  std::deque<std::pair<uint64_t, AckOutcome>> finished;  // (mu) for the acker
  uint64_t next_id = 1;                                  // (mu)
  bool stopping = false;                                 // (mu) no more receives
  bool pollers_done = false;                             // (mu)
  bool abandon = false;                                  // (mu) drain timed out
  bool done = false;                                     // (mu) every thread may exit
  std::set<std::string> region_reported;                 // (mu) buckets warned about
  std::vector<std::thread> threads;
  std::vector<std::thread> pollers;
  bool started = false;

  Impl(std::string name, Clock* c) : clock(c), status(std::move(name), c) {}

  // The hint context of a call on `bucket` (none for SQS calls), with the bucket's region
  // when the S3 client learnt it (a redirect).
  HintContext Context(AwsOperation operation, const std::string& bucket = "") const {
    HintContext context = hint_context;
    context.operation = operation;
    if (!bucket.empty()) {
      context.bucket = bucket;
      context.actual_bucket_region = s3->BucketRegion(bucket).value_or("");
    }
    return context;
  }

  // A configured bucket_region that S3 contradicted (the S3 client followed a redirect to
  // the bucket's real region): nothing is lost, but the configuration is wrong, so the
  // status says so once per bucket — Degraded like any error, with a hint naming the right
  // region. Without bucket_region, finding the region this way is the intended detection.
  void CheckBucketRegion(const std::string& bucket) {
    if (options.bucket_region.empty()) return;
    const std::optional<std::string> learnt = s3->BucketRegion(bucket);
    if (!learnt || *learnt == options.bucket_region) return;
    {
      std::lock_guard lock(mu);
      if (!region_reported.insert(bucket).second) return;
    }
    spdlog::warn(
        "Source '{}': bucket '{}' is in region '{}', not in the configured bucket_region "
        "'{}'; following S3's redirect",
        options.name, bucket, *learnt, options.bucket_region);
    const Status wrong = Status::FailedPrecondition(
        "Bucket '" + bucket + "' is in region '" + *learnt + "', not in bucket_region '" +
        options.bucket_region + "': S3 redirected the request there");
    status.OnError(wrong, HintFor(wrong, Context(AwsOperation::kGetObject, bucket)),
                   /*polling=*/false);
  }

  // An S3 throttling or server-error answer (S3AnswerReporter); the sender retries it.
  void OnS3Answer(const Status& answer) {
    status.OnError(answer, HintFor(answer, Context(AwsOperation::kGetObject)), /*polling=*/false);
  }

  bool Sleep(std::chrono::milliseconds duration) {  // false when stopping
    std::unique_lock lock(mu);
    return !changed.wait_for(lock, duration, [this] { return stopping; });
  }

  void Finish(uint64_t id, AckOutcome outcome) {
    {
      std::lock_guard lock(mu);
      finished.emplace_back(id, outcome);
    }
    changed.notify_all();
  }

  void PollLoop() {
    NotificationDecoder decoder;
    int failures = 0;
    while (true) {
      size_t room;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [this] {
          return stopping || (inflight.size() < max_messages && work.size() < max_queued_objects);
        });
        if (stopping) return;
        room = std::min<size_t>(10, max_messages - inflight.size());
      }
      aws::SqsReceiveOptions receive;
      receive.max_messages = static_cast<int>(room);
      receive.wait_time_secs = options.wait_time_secs;
      receive.visibility_timeout_secs = options.visibility_timeout_secs;
      const SteadyTime asked = clock->SteadyNow();
      Result<std::vector<aws::SqsMessage>> messages =
          sqs->ReceiveMessage(options.queue_url, receive);
      if (!messages.ok()) {
        status.OnError(messages.status(),
                       HintFor(messages.status(), Context(AwsOperation::kReceiveMessage)),
                       /*polling=*/true);
        ++failures;
        auto backoff =
            std::chrono::milliseconds(std::min<int64_t>(60'000, 1000LL << std::min(failures, 6)));
        if (!Sleep(backoff)) return;
        continue;
      }
      failures = 0;
      std::vector<std::chrono::system_clock::time_point> sent;
      for (const auto& m : *messages) {
        if (m.sent_time) sent.push_back(*m.sent_time);
      }
      status.OnReceived(messages->size(), sent);
      const SteadyTime visible_until =
          asked + std::chrono::seconds(options.visibility_timeout_secs);
      for (aws::SqsMessage& message : *messages) Dispatch(decoder, message, visible_until);
    }
  }

  void Dispatch(NotificationDecoder& decoder, aws::SqsMessage& message, SteadyTime visible_until) {
    Result<Notification> notification = decoder.Decode(message.body, message.message_id);
    if (!notification.ok()) {
      // Left in the queue: SQS re-delivers it and the redrive policy moves it to the DLQ.
      status.OnUnrecognized(1);
      status.OnError(notification.status(),
                     HintFor(notification.status(), Context(AwsOperation::kDecode)),
                     /*polling=*/false);
      return;
    }
    uint64_t id;
    {
      std::lock_guard lock(mu);
      id = next_id++;
      inflight.emplace(id, InFlight{message.message_id, message.receipt_handle, visible_until});
    }
    if (notification->kind != Notification::Kind::kObjects) {
      if (notification->kind == Notification::Kind::kSubscriptionConfirmation) {
        spdlog::warn(
            "Source '{}': message '{}' is an SNS subscription confirmation; confirm the "
            "subscription in the SNS console (Trailhound never follows its URL)",
            options.name, message.message_id);
      }
      status.OnIgnored(1);
      Finish(id, AckOutcome::kRejected);  // nothing to fetch: acknowledging is safe
      return;
    }
    AckToken token = AckToken::Create([this, id](AckOutcome outcome) { Finish(id, outcome); });
    {
      std::lock_guard lock(mu);
      for (ObjectRef& object : notification->objects)
        work.push_back(Work{std::move(object), token});
    }
    changed.notify_all();
    token.Resolve(AckOutcome::kDelivered);  // the poller's own share; the objects decide
  }

  void WorkLoop() {
    ObjectProcessorOptions processor_options;
    processor_options.source_name = options.name;
    processor_options.max_object_bytes = options.max_object_bytes;
    processor_options.max_decompressed_bytes = options.max_decompressed_bytes;
    processor_options.batch_events = options.batch_events;
    ObjectProcessor processor(s3.get(), sink, &status, processor_options, hint_context);
    while (true) {
      Work item;
      {
        std::unique_lock lock(mu);
        changed.wait(lock,
                     [this] { return !work.empty() || abandon || (pollers_done && work.empty()); });
        if (work.empty() || abandon) return;
        item = std::move(work.front());
        work.pop_front();
      }
      changed.notify_all();  // room for the pollers
      ObjectOutcome outcome = processor.Process(item.object);
      CheckBucketRegion(item.object.bucket);
      item.token.Resolve(outcome.outcome);
    }
  }

  static bool Denied(const Status& status) {
    return status.code() == StatusCode::kPermissionDenied ||
           status.aws_error_code() == "AccessDenied" ||
           status.aws_error_code() == "AccessDeniedException";
  }

  // Runs `one(entry)` for each entry as a batch result; a denial of the single call is the
  // answer (the permission is really missing).
  template <typename Entry, typename One>
  static Result<aws::SqsBatchResult> OneByOne(const std::vector<Entry>& entries, One one) {
    aws::SqsBatchResult result;
    for (const Entry& entry : entries) {
      Status s = one(entry);
      if (s.ok()) {
        result.successful_ids.push_back(entry.id);
      } else if (Denied(s)) {
        return s;
      } else {
        result.failed.push_back({entry.id, s.aws_error_code(), s.message(), false});
      }
    }
    return result;
  }

  Result<aws::SqsBatchResult> DeleteMessages(const std::vector<aws::SqsDeleteEntry>& entries) {
    if (!single_deletes.load()) {
      auto batch = sqs->DeleteMessageBatch(options.queue_url, entries);
      if (batch.ok() || !Denied(batch.status())) return batch;
      single_deletes = true;
      spdlog::warn("Source '{}': DeleteMessageBatch was denied; deleting one message per call",
                   options.name);
    }
    return OneByOne(entries, [this](const aws::SqsDeleteEntry& entry) {
      return sqs->DeleteMessage(options.queue_url, entry.receipt_handle);
    });
  }

  Result<aws::SqsBatchResult> ExtendVisibility(
      const std::vector<aws::SqsVisibilityEntry>& entries) {
    if (!single_visibility.load()) {
      auto batch = sqs->ChangeMessageVisibilityBatch(options.queue_url, entries);
      if (batch.ok() || !Denied(batch.status())) return batch;
      single_visibility = true;
      spdlog::warn(
          "Source '{}': ChangeMessageVisibilityBatch was denied; extending one message per call",
          options.name);
    }
    return OneByOne(entries, [this](const aws::SqsVisibilityEntry& entry) {
      return sqs->ChangeMessageVisibility(options.queue_url, entry.receipt_handle,
                                          entry.visibility_timeout_secs);
    });
  }

  void AckLoop() {
    while (true) {
      std::vector<std::pair<uint64_t, AckOutcome>> batch;
      std::vector<InFlight> messages;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [this] { return !finished.empty() || done; });
        if (finished.empty() && done) return;
        while (!finished.empty() && batch.size() < 10) {
          batch.push_back(finished.front());
          finished.pop_front();
        }
        for (auto& [id, outcome] : batch) {
          auto it = inflight.find(id);
          it->second.finished = true;
          messages.push_back(it->second);
        }
      }
      std::vector<aws::SqsDeleteEntry> entries;
      size_t left = 0;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (batch[i].second == AckOutcome::kErrored) {
          ++left;  // SQS makes it visible again when its visibility timeout ends
          continue;
        }
        entries.push_back(aws::SqsDeleteEntry{std::to_string(i), messages[i].receipt_handle});
      }
      if (left > 0) status.OnLeft(left);
      if (!entries.empty()) {
        Result<aws::SqsBatchResult> deleted = DeleteMessages(entries);
        if (!deleted.ok()) {
          status.OnError(deleted.status(),
                         HintFor(deleted.status(), Context(AwsOperation::kDeleteMessageBatch)),
                         false);
          status.OnLeft(entries.size());
        } else {
          status.OnDeleted(deleted->successful_ids.size());
          if (!deleted->failed.empty()) {
            const auto& first = deleted->failed.front();
            Status failure = Status::Unavailable("DeleteMessageBatch failed for " +
                                                 std::to_string(deleted->failed.size()) +
                                                 " messages: " + first.code + ": " + first.message);
            status.OnError(failure, HintFor(failure, Context(AwsOperation::kDeleteMessageBatch)),
                           false);
            status.OnLeft(deleted->failed.size());
          }
        }
      }
      {
        std::lock_guard lock(mu);
        for (auto& [id, outcome] : batch) inflight.erase(id);
      }
      changed.notify_all();
    }
  }

  // Extends the visibility of unfinished messages before it ends; reads the queue depth.
  void HeartbeatLoop() {
    const auto visibility = std::chrono::seconds(options.visibility_timeout_secs);
    const auto tick = std::chrono::milliseconds(
        std::clamp<int64_t>(options.visibility_timeout_secs * 1000 / 6, 200, 10'000));
    SteadyTime next_depth = clock->SteadyNow();  // the first depth at once, for the status
    while (true) {
      if (clock->SteadyNow() >= next_depth) {
        next_depth =
            clock->SteadyNow() + std::chrono::milliseconds(options.queue_depth_interval_ms);
        ReadQueueDepth();
      }
      std::vector<std::pair<uint64_t, InFlight>> due;
      {
        std::unique_lock lock(mu);
        changed.wait_for(lock, tick, [this] { return done; });
        if (done) return;
        const SteadyTime now = clock->SteadyNow();
        for (auto& [id, message] : inflight) {
          if (!message.finished && message.visible_until - now < visibility / 2)
            due.emplace_back(id, message);
        }
      }
      for (size_t i = 0; i < due.size(); i += 10) {
        std::vector<aws::SqsVisibilityEntry> entries;
        for (size_t j = i; j < std::min(due.size(), i + 10); ++j) {
          entries.push_back(aws::SqsVisibilityEntry{std::to_string(j - i),
                                                    due[j].second.receipt_handle,
                                                    options.visibility_timeout_secs});
        }
        const SteadyTime asked = clock->SteadyNow();
        Result<aws::SqsBatchResult> changed_result = ExtendVisibility(entries);
        if (!changed_result.ok()) {
          status.OnError(
              changed_result.status(),
              HintFor(changed_result.status(), Context(AwsOperation::kChangeMessageVisibility)),
              false);
          continue;
        }
        status.OnVisibilityExtended(changed_result->successful_ids.size());
        std::lock_guard lock(mu);
        for (const std::string& entry_id : changed_result->successful_ids) {
          size_t index = i + std::stoul(entry_id);
          auto it = inflight.find(due[index].first);
          if (it != inflight.end()) it->second.visible_until = asked + visibility;
        }
      }
    }
  }

  void ReadQueueDepth() {
    auto attributes = sqs->GetQueueAttributes(
        options.queue_url, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                            "ApproximateNumberOfMessagesDelayed"});
    if (!attributes.ok()) {
      status.OnError(attributes.status(),
                     HintFor(attributes.status(), Context(AwsOperation::kGetQueueAttributes)),
                     false);
      return;
    }
    auto number = [&](const char* name) -> int64_t {
      auto it = attributes->find(name);
      if (it == attributes->end()) return 0;
      try {
        return std::stoll(it->second);
      } catch (...) {  // std::stoll's only error path; a malformed number counts as 0
        return 0;
      }
    };
    QueueDepth depth;
    depth.visible = number("ApproximateNumberOfMessages");
    depth.in_flight = number("ApproximateNumberOfMessagesNotVisible");
    depth.delayed = number("ApproximateNumberOfMessagesDelayed");
    depth.measured_at = clock->Now();
    status.SetQueueDepth(depth);
  }

  // Makes unfinished messages visible again at once, for another collector (drain timeout).
  void ReleaseUnfinished() {
    std::vector<InFlight> open;
    {
      std::lock_guard lock(mu);
      for (auto& [id, message] : inflight) {
        if (!message.finished) open.push_back(message);
      }
    }
    for (size_t i = 0; i < open.size(); i += 10) {
      std::vector<aws::SqsVisibilityEntry> entries;
      for (size_t j = i; j < std::min(open.size(), i + 10); ++j) {
        entries.push_back(
            aws::SqsVisibilityEntry{std::to_string(j - i), open[j].receipt_handle, 0});
      }
      (void)ExtendVisibility(entries);  // best effort
    }
    if (!open.empty()) status.OnLeft(open.size());
  }
};

SqsSource::SqsSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<SqsSource>> SqsSource::Create(SqsSourceOptions options, EventSink* sink,
                                                     const aws::CredentialsEnvironment& env,
                                                     Clock* clock) {
  if (options.name.empty()) return Status::InvalidArgument("an SQS source needs a name");
  if (options.pollers < 1 || options.max_objects_in_flight < 1) {
    return Status::InvalidArgument("source '" + options.name +
                                   "': pollers and max_objects_in_flight must be at least 1");
  }
  auto impl = std::make_unique<Impl>(options.name, clock);
  aws::SqsOptions sqs_options;
  sqs_options.endpoint_url = options.endpoint_url;
  sqs_options.region = options.region;
  aws::SqsQueueUrlOptions url_options;
  url_options.region = options.region;
  url_options.endpoint_url = options.endpoint_url;
  TH_ASSIGN_OR_RETURN(aws::SqsQueueUrl queue,
                      aws::ParseSqsQueueUrl(options.queue_url, url_options));
  aws::CredentialsEnvironment source_env = env;
  if (source_env.default_region.empty()) source_env.default_region = queue.region;
  auto credentials = aws::MakeCredentialsProvider(options.credentials, source_env);
  if (!credentials.ok()) {
    return credentials.status().Annotate("source '" + options.name + "': credentials");
  }
  impl->sender = std::make_shared<aws::AwsRequestSender>(source_env.transport, *credentials,
                                                         aws::RetryOptions{}, clock);
  impl->sqs = std::make_unique<aws::SqsClient>(impl->sender, sqs_options);
  aws::S3Options s3_options;
  s3_options.endpoint_url =
      !options.s3_endpoint_url.empty() ? options.s3_endpoint_url : options.endpoint_url;
  s3_options.region = !options.bucket_region.empty() ? options.bucket_region : queue.region;
  Impl* reporter_target = impl.get();  // outlives the S3 client, which it owns
  auto s3_transport = std::make_shared<S3AnswerReporter>(
      source_env.transport,
      [reporter_target](const Status& answer) { reporter_target->OnS3Answer(answer); });
  impl->s3 = std::make_unique<aws::S3Client>(
      std::make_shared<aws::AwsRequestSender>(std::move(s3_transport), std::move(*credentials),
                                              aws::RetryOptions{}, clock),
      s3_options);

  HintContext& context = impl->hint_context;
  context.queue_url = options.queue_url;
  auto partition = aws::PartitionOfRegion(queue.region);
  context.partition = partition.ok() ? std::string(partition->id) : "aws";
  context.queue_arn = "arn:" + context.partition + ":sqs:" + queue.region + ":" + queue.account_id +
                      ":" + queue.queue_name;
  if (!options.credentials.access_key_id.empty()) {
    context.access_key_id_masked = aws::MaskAccessKeyId(options.credentials.access_key_id);
  }
  context.configured_bucket_region = options.bucket_region;

  impl->max_messages =
      options.max_messages_in_flight > 0
          ? static_cast<size_t>(options.max_messages_in_flight)
          : std::max<size_t>(10, 2 * static_cast<size_t>(options.max_objects_in_flight));
  impl->max_queued_objects = 2 * static_cast<size_t>(options.max_objects_in_flight);
  impl->options = std::move(options);
  impl->sink = sink;
  return std::unique_ptr<SqsSource>(new SqsSource(std::move(impl)));
}

SqsSource::~SqsSource() { Stop(); }

void SqsSource::Start() {
  Impl& s = *impl_;
  if (s.started) return;
  s.started = true;
  for (int i = 0; i < s.options.max_objects_in_flight; ++i)
    s.threads.emplace_back([&s] { s.WorkLoop(); });
  s.threads.emplace_back([&s] { s.AckLoop(); });
  s.threads.emplace_back([&s] { s.HeartbeatLoop(); });
  for (int i = 0; i < s.options.pollers; ++i) s.pollers.emplace_back([&s] { s.PollLoop(); });
  spdlog::info("Source '{}' started: {} pollers on '{}', {} object workers", s.options.name,
               s.options.pollers, s.options.queue_url, s.options.max_objects_in_flight);
}

void SqsSource::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  {
    std::lock_guard lock(s.mu);
    if (s.done) return;
    s.stopping = true;
  }
  s.changed.notify_all();
  for (auto& poller : s.pollers) poller.join();  // at most one long poll
  bool drained;
  {
    std::unique_lock lock(s.mu);
    s.pollers_done = true;
    s.changed.notify_all();
    drained = s.changed.wait_for(lock, std::chrono::milliseconds(s.options.drain_timeout_ms),
                                 [&s] { return s.inflight.empty(); });
    if (!drained) s.abandon = true;
  }
  s.changed.notify_all();
  if (!drained) {
    spdlog::warn(
        "Source '{}': in-flight messages did not finish within {} ms; making them "
        "visible again for a later run",
        s.options.name, s.options.drain_timeout_ms);
    s.ReleaseUnfinished();
  }
  {
    std::lock_guard lock(s.mu);
    s.done = true;
  }
  s.changed.notify_all();
  for (auto& thread : s.threads) thread.join();
  s.threads.clear();
  {
    // Objects never started (drain timeout): their tokens resolve as kErrored here, while
    // everything they touch is still alive; nobody acts on them any more.
    std::deque<Work> unstarted;
    {
      std::lock_guard lock(s.mu);
      unstarted.swap(s.work);
    }
  }
  s.status.SetStopped();
  spdlog::info("Source '{}' stopped", s.options.name);
}

SourceStatusSnapshot SqsSource::status() const { return impl_->status.Snapshot(); }

const SqsSourceOptions& SqsSource::options() const { return impl_->options; }

}  // namespace trailhound::sources
