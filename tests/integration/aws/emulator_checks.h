// Checks shared by the fauxqs and moto integration tests of the AWS client layer:
// the same SqsClient / S3Client calls against each real emulator, with the
// emulator-specific parts (endpoint, credentials, what a bogus receipt handle
// does) passed in. Each check creates its own queue or bucket, so tests stay
// independent while one emulator serves a whole test binary.
// Assertions inside a check stop that check only; callers need nothing after it.
// At the end, how tests start that emulator: StartEmulator, and the fixtures FauxqsSuite (one
// fauxqs per suite) and MotoSuite (one moto per binary).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "core/clock.h"
#include "core/result.h"
#include "testing/fake_clock.h"
#include "testing/fault_injection.h"
#include "testing/fauxqs.h"
#include "testing/moto.h"

namespace trailhound::testing::checks {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

inline constexpr char kRegion[] = "us-east-1";

// The keys tests give an emulator that accepts any (fauxqs).
inline constexpr char kAnyAccessKeyId[] = "AKIAFAUXQSTESTKEY000";
inline constexpr char kAnySecretAccessKey[] = "fauxqs-accepts-any-secret";

// kAnyAccessKeyId and kAnySecretAccessKey as credentials.
inline aws::Credentials AnyCredentials() {
  aws::Credentials credentials;
  credentials.access_key_id = kAnyAccessKeyId;
  credentials.secret_access_key = Secret(kAnySecretAccessKey);
  credentials.source = "test";
  return credentials;
}

// What a queue subscribed to an SNS topic (raw delivery off) receives for `message`.
inline std::string SnsEnvelope(
    const std::string& message,
    const std::string& topic_arn = "arn:aws:sns:us-east-1:000000000000:ct") {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"({"Type":"Notification","MessageId":"m","TopicArn":")" + topic_arn + R"(","Message":")" +
         escaped + R"(","Timestamp":"2025-01-01T00:00:00.000Z"})";
}

// Retries that do not slow the tests down (throttling tests use a FakeClock instead).
inline aws::RetryOptions FastRetries() {
  aws::RetryOptions retry;
  retry.base_delay = milliseconds(1);
  retry.throttle_base_delay = milliseconds(1);
  retry.max_delay = milliseconds(5);
  return retry;
}

inline std::shared_ptr<aws::AwsRequestSender> MakeSender(
    const aws::Credentials& credentials, std::shared_ptr<aws::HttpTransport> transport = nullptr,
    aws::RetryOptions retry = FastRetries(), Clock* clock = SystemClock()) {
  if (transport == nullptr) transport = aws::MakeCurlHttpTransport();
  return std::make_shared<aws::AwsRequestSender>(
      std::move(transport), aws::MakeStaticCredentialsProvider(credentials), retry, clock);
}

// Every call to `endpoint`, signed for us-east-1 (moto's queue URLs name no region).
inline aws::SqsOptions SqsOptionsFor(const std::string& endpoint) {
  aws::SqsOptions options;
  options.endpoint_url = endpoint;
  options.region = kRegion;
  return options;
}

// Every SNS call to `endpoint`, signed for us-east-1.
inline aws::SnsOptions SnsOptionsFor(const std::string& endpoint) {
  aws::SnsOptions options;
  options.endpoint_url = endpoint;
  options.region = kRegion;
  return options;
}

// Path style on `endpoint`, as S3Options::endpoint_url implies.
inline aws::S3Options S3OptionsFor(const std::string& endpoint) {
  aws::S3Options options;
  options.endpoint_url = endpoint;
  options.region = kRegion;
  return options;
}

inline double SecondsSince(steady_clock::time_point start) {
  return std::chrono::duration<double>(steady_clock::now() - start).count();
}

// Receives (1 s long polls) until `count` messages arrived or `max_calls` receives were made.
inline std::vector<aws::SqsMessage> ReceiveAtLeast(aws::SqsClient& sqs, const std::string& url,
                                                   size_t count, int visibility_timeout_secs = 60,
                                                   int max_calls = 8) {
  std::vector<aws::SqsMessage> received;
  aws::SqsReceiveOptions options;
  options.max_messages = 10;
  options.wait_time_secs = 1;
  options.visibility_timeout_secs = visibility_timeout_secs;
  for (int call = 0; call < max_calls && received.size() < count; ++call) {
    auto messages = sqs.ReceiveMessage(url, options);
    EXPECT_TRUE(messages.ok()) << messages.status().ToString();
    if (!messages.ok()) break;
    received.insert(received.end(), messages->begin(), messages->end());
  }
  return received;
}

inline std::string CreateQueue(aws::SqsClient& sqs, const std::string& name,
                               const std::map<std::string, std::string>& attributes = {}) {
  auto url = sqs.CreateQueue(name, attributes);
  EXPECT_TRUE(url.ok()) << url.status().ToString();
  return url.ok() ? *url : std::string();
}

// ---------------------------------------------------------------------------------------------
// SQS

// A long poll on an empty queue waits about WaitTimeSeconds and returns nothing.
inline void LongPollOnAnEmptyQueueWaitsAndReturnsNothing(aws::SqsClient& sqs,
                                                         const std::string& queue) {
  const std::string url = CreateQueue(sqs, queue);
  ASSERT_FALSE(url.empty());
  aws::SqsReceiveOptions options;
  options.wait_time_secs = 2;
  const auto start = steady_clock::now();
  auto messages = sqs.ReceiveMessage(url, options);
  const double waited = SecondsSince(start);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  EXPECT_TRUE(messages->empty());
  EXPECT_GE(waited, 1.8) << "a long poll returned before its wait time";
  EXPECT_LT(waited, 5.0) << "a long poll overran its wait time";
}

// A message sent while a long poll waits is returned by that poll, with its system attributes.
inline void LongPollReturnsAMessageSentDuringTheWait(aws::SqsClient& sqs,
                                                     const std::string& queue) {
  const std::string url = CreateQueue(sqs, queue);
  ASSERT_FALSE(url.empty());
  aws::SqsReceiveOptions options;
  options.wait_time_secs = 10;
  options.max_messages = 1;
  const auto start = steady_clock::now();
  auto receive = std::async(std::launch::async, [&] { return sqs.ReceiveMessage(url, options); });
  std::this_thread::sleep_for(milliseconds(700));
  const auto sent_at = std::chrono::system_clock::now();
  auto id = sqs.SendMessage(url, "sent during the wait");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto messages = receive.get();
  const double waited = SecondsSince(start);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 1u) << "the long poll ended after " << waited << " s";
  EXPECT_LT(waited, 6.0) << "the message did not end the wait";
  const aws::SqsMessage& message = messages->front();
  EXPECT_EQ(message.message_id, *id);
  EXPECT_EQ(message.body, "sent during the wait");
  EXPECT_FALSE(message.receipt_handle.empty());
  EXPECT_EQ(message.receive_count, 1);
  EXPECT_EQ(message.attributes.count("ApproximateReceiveCount"), 1u);
  ASSERT_TRUE(message.sent_time.has_value()) << "SentTimestamp missing";
  EXPECT_LT(std::chrono::abs(*message.sent_time - sent_at), seconds(5));
}

// ChangeMessageVisibility to 0 makes a received message visible again; its second delivery
// counts 2.
inline void VisibilityZeroRedeliversWithReceiveCountTwo(aws::SqsClient& sqs,
                                                        const std::string& queue) {
  const std::string url = CreateQueue(sqs, queue);
  ASSERT_FALSE(url.empty());
  auto id = sqs.SendMessage(url, "again");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto first = ReceiveAtLeast(sqs, url, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].receive_count, 1);

  aws::SqsReceiveOptions short_poll;
  short_poll.wait_time_secs = 0;
  auto hidden = sqs.ReceiveMessage(url, short_poll);
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_TRUE(hidden->empty()) << "a received message was visible before its timeout";

  Status changed = sqs.ChangeMessageVisibility(url, first[0].receipt_handle, 0);
  ASSERT_TRUE(changed.ok()) << changed.ToString();
  auto second = ReceiveAtLeast(sqs, url, 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].message_id, *id);
  EXPECT_EQ(second[0].receive_count, 2);
  EXPECT_FALSE(second[0].receipt_handle.empty());
}

// The batch of a "valid" and a "bogus" receipt handle failed for the bogus entry only, as a
// per-entry ReceiptHandleIsInvalid that is the sender's fault.
inline void ExpectOnlyTheBogusEntryFailed(const aws::SqsBatchResult& result) {
  EXPECT_EQ(result.successful_ids, std::vector<std::string>{"valid"});
  ASSERT_EQ(result.failed.size(), 1u);
  EXPECT_EQ(result.failed[0].id, "bogus");
  EXPECT_EQ(result.failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_FALSE(result.failed[0].message.empty());
  EXPECT_TRUE(result.failed[0].sender_fault);
}

// ChangeMessageVisibilityBatch to 0 redelivers every entry. Returns the per-entry result of a
// batch with an extra bogus receipt handle (entry "bogus") for the caller to judge.
inline aws::SqsBatchResult VisibilityBatchRedeliversEveryEntry(aws::SqsClient& sqs,
                                                               const std::string& queue) {
  const std::string url = CreateQueue(sqs, queue);
  EXPECT_FALSE(url.empty());
  if (url.empty()) return {};
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = sqs.SendMessage(url, "batch visibility " + std::to_string(i));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    if (id.ok()) ids.insert(*id);
  }
  auto received = ReceiveAtLeast(sqs, url, 3);
  EXPECT_EQ(received.size(), 3u);
  std::vector<aws::SqsVisibilityEntry> entries;
  for (size_t i = 0; i < received.size(); ++i) {
    entries.push_back({"m" + std::to_string(i), received[i].receipt_handle, 0});
  }
  auto result = sqs.ChangeMessageVisibilityBatch(url, entries);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  EXPECT_TRUE(result->all_succeeded());
  EXPECT_EQ(result->successful_ids.size(), received.size());

  auto again = ReceiveAtLeast(sqs, url, 3);
  std::set<std::string> again_ids;
  for (const auto& message : again) {
    again_ids.insert(message.message_id);
    EXPECT_EQ(message.receive_count, 2) << message.body;
  }
  EXPECT_EQ(again_ids, ids);

  // A batch mixing a valid handle and a bogus one.
  std::vector<aws::SqsVisibilityEntry> mixed = {
      {"valid", again.empty() ? std::string("none") : again[0].receipt_handle, 0},
      {"bogus", "this-is-not-a-receipt-handle", 0}};
  auto mixed_result = sqs.ChangeMessageVisibilityBatch(url, mixed);
  EXPECT_TRUE(mixed_result.ok()) << "per-entry failures must not fail the call: "
                                 << mixed_result.status().ToString();
  return mixed_result.ok() ? *mixed_result : aws::SqsBatchResult{};
}

// DeleteMessageBatch deletes for good: received with a 2 s visibility timeout, deleted, the
// messages do not come back after the timeout. Returns the per-entry result of a delete batch
// with a bogus receipt handle (entry "bogus") next to a valid one (entry "valid").
inline aws::SqsBatchResult BatchDeletedMessagesDoNotComeBack(aws::SqsClient& sqs,
                                                             const std::string& queue) {
  const std::string url = CreateQueue(sqs, queue);
  EXPECT_FALSE(url.empty());
  if (url.empty()) return {};
  for (int i = 0; i < 4; ++i) {
    auto id = sqs.SendMessage(url, "delete me " + std::to_string(i));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
  }
  auto received = ReceiveAtLeast(sqs, url, 4, /*visibility_timeout_secs=*/2);
  EXPECT_EQ(received.size(), 4u);
  std::set<std::string> unique_ids;
  for (const auto& message : received) unique_ids.insert(message.message_id);
  EXPECT_EQ(unique_ids.size(), received.size()) << "a message came back before it was deleted";
  if (received.size() != 4u) return {};
  std::vector<aws::SqsDeleteEntry> entries;
  for (size_t i = 0; i < 3; ++i) {
    entries.push_back({"d" + std::to_string(i), received[i].receipt_handle});
  }
  auto deleted = sqs.DeleteMessageBatch(url, entries);
  EXPECT_TRUE(deleted.ok()) << deleted.status().ToString();
  if (!deleted.ok()) return {};
  EXPECT_TRUE(deleted->all_succeeded());
  EXPECT_EQ(std::set<std::string>(deleted->successful_ids.begin(), deleted->successful_ids.end()),
            (std::set<std::string>{"d0", "d1", "d2"}));

  // The fourth message was not deleted and its 2 s timeout ran out: it alone comes back.
  std::this_thread::sleep_for(milliseconds(2200));
  auto after = ReceiveAtLeast(sqs, url, 2, /*visibility_timeout_secs=*/60, /*max_calls=*/2);
  EXPECT_EQ(after.size(), 1u);
  if (after.size() != 1u) return {};
  EXPECT_EQ(after[0].message_id, received[3].message_id);
  EXPECT_EQ(after[0].receive_count, 2);

  std::vector<aws::SqsDeleteEntry> mixed = {{"valid", after[0].receipt_handle},
                                            {"bogus", "this-is-not-a-receipt-handle"}};
  auto mixed_result = sqs.DeleteMessageBatch(url, mixed);
  EXPECT_TRUE(mixed_result.ok()) << "per-entry failures must not fail the call: "
                                 << mixed_result.status().ToString();
  auto attributes = sqs.GetQueueAttributes(
      url, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  EXPECT_TRUE(attributes.ok()) << attributes.status().ToString();
  if (attributes.ok()) {
    EXPECT_EQ((*attributes)["ApproximateNumberOfMessages"], "0");
    EXPECT_EQ((*attributes)["ApproximateNumberOfMessagesNotVisible"], "0");
  }
  return mixed_result.ok() ? *mixed_result : aws::SqsBatchResult{};
}

// GetQueueAttributes reports the queue's settings and depth; GetQueueUrl finds it by name and
// a missing queue is kNotFound.
inline void QueueAttributesAndUrl(aws::SqsClient& sqs, const std::string& queue) {
  const std::string url = CreateQueue(sqs, queue, {{"VisibilityTimeout", "45"}});
  ASSERT_FALSE(url.empty());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(sqs.SendMessage(url, "depth").ok());

  auto all = sqs.GetQueueAttributes(url);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ((*all)["VisibilityTimeout"], "45");
  EXPECT_EQ((*all)["ApproximateNumberOfMessages"], "2");
  EXPECT_TRUE((*all)["QueueArn"].ends_with(":" + queue)) << (*all)["QueueArn"];
  EXPECT_TRUE((*all)["QueueArn"].starts_with("arn:aws:sqs:us-east-1:")) << (*all)["QueueArn"];

  auto one = sqs.GetQueueAttributes(url, {"VisibilityTimeout"});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ((*one)["VisibilityTimeout"], "45");
  EXPECT_EQ(one->count("QueueArn"), 0u) << "attributes that were not asked for came back";

  auto found = sqs.GetQueueUrl(queue);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, url);

  auto missing = sqs.GetQueueUrl(queue + "-missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().ToString();
  EXPECT_FALSE(missing.status().IsRetriable());
}

// The first two ReceiveMessage requests are throttled (400 ThrottlingException); the call is
// retried (sleeping on a FakeClock) and the third attempt gets the message from the emulator.
inline void ThrottledReceiveSucceedsOnTheThirdAttempt(const std::string& endpoint,
                                                      const aws::Credentials& credentials,
                                                      const std::string& queue) {
  auto faults = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
  // Signatures carry the clock's time: start the fake clock at the real time.
  FakeClock clock(std::chrono::system_clock::now());
  aws::SqsClient sqs(MakeSender(credentials, faults, aws::RetryOptions{}, &clock),
                     SqsOptionsFor(endpoint));
  const std::string url = CreateQueue(sqs, queue);
  ASSERT_FALSE(url.empty());
  auto id = sqs.SendMessage(url, "after the throttling");
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  const RequestPredicate is_receive = HeaderIs("X-Amz-Target", "AmazonSQS.ReceiveMessage");
  faults->FailNext(2, Fault::JsonThrottling(), is_receive);
  aws::SqsReceiveOptions options;
  options.wait_time_secs = 1;
  auto messages = sqs.ReceiveMessage(url, options);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ(messages->front().message_id, *id);
  EXPECT_EQ(faults->CallsMatching(is_receive), 3);
  EXPECT_EQ(faults->injected(), 2);
  EXPECT_EQ(clock.sleeps().size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// S3

// Keys CloudTrail and S3 users really produce: spaces, '+', '%', unicode, sub-delimiters.
inline const std::vector<std::string>& AwkwardKeys() {
  static const auto* keys = new std::vector<std::string>{
      "AWSLogs/a b+c%d/ü/日本.json.gz",
      "AWSLogs/a b+c%d/ü/日本 2.json.gz",
      "AWSLogs/a b+c%d/plain.json",
      "AWSLogs/100%25 literal percent-25/x.json",
      "AWSLogs/plus+only/1+1=2.json",
      "AWSLogs/sub-delims/!$&'()*,;=:@.json",
      "AWSLogs/tilde~under_score-dash.dot/ÄÖÜ ß é.json",
      "AWSLogs/question?hash#bracket[]{}.json",
      "AWSLogs/emoji/😀 face.json",
  };
  return *keys;
}

inline std::string BodyFor(const std::string& key) { return "{\"key\":\"" + key + "\"}"; }

inline bool CreateBucket(aws::S3Client& s3, const std::string& bucket) {
  Status created = s3.CreateBucket(bucket);
  EXPECT_TRUE(created.ok()) << created.ToString();
  return created.ok();
}

// Puts every key; GetObject, HeadObject and a listing return each one byte for byte.
inline void KeysRoundTripByteForByte(aws::S3Client& s3, const std::string& bucket,
                                     const std::vector<std::string>& keys) {
  ASSERT_TRUE(CreateBucket(s3, bucket));
  std::map<std::string, std::string> etags;
  for (const std::string& key : keys) {
    aws::S3PutOptions put;
    put.content_type = "application/json";
    auto etag = s3.PutObject(bucket, key, BodyFor(key), put);
    EXPECT_TRUE(etag.ok()) << "PutObject " << key << ": " << etag.status().ToString();
    if (etag.ok()) etags[key] = *etag;
  }
  for (const std::string& key : keys) {
    SCOPED_TRACE(key);
    auto body = s3.GetObjectToString(bucket, key);
    EXPECT_TRUE(body.ok()) << body.status().ToString();
    if (body.ok()) {
      EXPECT_EQ(*body, BodyFor(key));
    }
    auto head = s3.HeadObject(bucket, key);
    EXPECT_TRUE(head.ok()) << head.status().ToString();
    if (head.ok()) {
      EXPECT_EQ(head->size_bytes, BodyFor(key).size());
      EXPECT_EQ(head->etag, etags[key]);
      EXPECT_EQ(head->content_type, "application/json");
      EXPECT_TRUE(head->last_modified.has_value());
    }
  }
  aws::S3ListRequest list;
  list.bucket = bucket;
  auto listed = s3.ListAllObjects(list);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::vector<std::string> listed_keys;
  for (const auto& object : *listed) {
    listed_keys.push_back(object.key);
    EXPECT_EQ(object.size_bytes, BodyFor(object.key).size()) << object.key;
    EXPECT_EQ(object.etag, etags[object.key]) << object.key;
  }
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());  // S3 lists in UTF-8 byte order
  EXPECT_EQ(listed_keys, expected);
}

// ListObjectsV2 pages through `keys` (already put in `bucket`) two at a time and returns
// every key exactly as it was put.
inline void ListingPaginates(aws::S3Client& s3, const std::string& bucket,
                             const std::vector<std::string>& keys) {
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());

  aws::S3ListRequest request;
  request.bucket = bucket;
  request.max_keys = 2;
  std::vector<std::string> paged;
  int pages = 0;
  Status walked = s3.ForEachListPage(request, [&](const aws::S3ListPage& page) {
    ++pages;
    EXPECT_LE(page.objects.size(), 2u);
    for (const auto& object : page.objects) paged.push_back(object.key);
    if (page.is_truncated) {
      EXPECT_FALSE(page.next_continuation_token.empty());
    }
    return Status::OK();
  });
  ASSERT_TRUE(walked.ok()) << walked.ToString();
  EXPECT_EQ(paged, sorted);
  EXPECT_EQ(pages, static_cast<int>((sorted.size() + 1) / 2));
}

// ListObjectsV2 with max_keys 2 honours a prefix, start-after and a delimiter over `keys`
// (already put in `bucket`), returning keys and common prefixes byte for byte.
inline void ListingHonoursPrefixStartAfterAndDelimiter(aws::S3Client& s3, const std::string& bucket,
                                                       const std::vector<std::string>& keys,
                                                       const std::string& prefix) {
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());

  aws::S3ListRequest request;
  request.bucket = bucket;
  request.max_keys = 2;
  request.prefix = prefix;
  auto with_prefix = s3.ListAllObjects(request);
  ASSERT_TRUE(with_prefix.ok()) << with_prefix.status().ToString();
  std::vector<std::string> expected_prefix;
  for (const auto& key : sorted) {
    if (key.starts_with(prefix)) expected_prefix.push_back(key);
  }
  std::vector<std::string> got_prefix;
  for (const auto& object : *with_prefix) got_prefix.push_back(object.key);
  EXPECT_EQ(got_prefix, expected_prefix);
  EXPECT_GE(got_prefix.size(), 2u) << "the prefix should select several keys";

  aws::S3ListRequest after;
  after.bucket = bucket;
  after.max_keys = 2;
  after.start_after = sorted[sorted.size() / 2];
  auto with_start_after = s3.ListAllObjects(after);
  ASSERT_TRUE(with_start_after.ok()) << with_start_after.status().ToString();
  std::vector<std::string> got_after;
  for (const auto& object : *with_start_after) got_after.push_back(object.key);
  EXPECT_EQ(got_after,
            std::vector<std::string>(sorted.begin() + sorted.size() / 2 + 1, sorted.end()));

  aws::S3ListRequest folders;
  folders.bucket = bucket;
  folders.prefix = "AWSLogs/";
  folders.delimiter = "/";
  auto rolled = s3.ListObjectsV2(folders);
  ASSERT_TRUE(rolled.ok()) << rolled.status().ToString();
  std::set<std::string> expected_folders;
  for (const auto& key : sorted) {
    size_t slash = key.find('/', folders.prefix.size());
    if (key.starts_with(folders.prefix) && slash != std::string::npos) {
      expected_folders.insert(key.substr(0, slash + 1));
    }
  }
  EXPECT_EQ(std::set<std::string>(rolled->common_prefixes.begin(), rolled->common_prefixes.end()),
            expected_folders);
}

// A 300 KB object streams to the sink in several chunks; a closed and an open range return
// just those bytes and the whole object's size.
inline void StreamedAndRangedGetObject(aws::S3Client& s3, const std::string& bucket,
                                       const std::string& key) {
  ASSERT_TRUE(CreateBucket(s3, bucket));
  std::string data(300 * 1024 + 123, '\0');
  std::mt19937 random(42);
  for (char& c : data) c = static_cast<char>(random() & 0xff);
  auto etag = s3.PutObject(bucket, key, data);
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();

  std::string streamed;
  int chunks = 0;
  aws::BodySink sink = [&](std::string_view chunk) {
    ++chunks;
    streamed.append(chunk);
    return Status::OK();
  };
  auto info = s3.GetObject(bucket, key, sink);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(streamed == data) << "streamed " << streamed.size() << " of " << data.size();
  EXPECT_GT(chunks, 1) << "the body was not streamed";
  EXPECT_EQ(info->size_bytes, data.size());
  EXPECT_EQ(info->content_length_bytes, data.size());
  EXPECT_EQ(info->etag, *etag);

  std::string ranged;
  aws::BodySink range_sink = [&](std::string_view chunk) {
    ranged.append(chunk);
    return Status::OK();
  };
  aws::S3GetOptions options;
  options.range = aws::S3ByteRange{1000, 1999};
  auto range_info = s3.GetObject(bucket, key, range_sink, options);
  ASSERT_TRUE(range_info.ok()) << range_info.status().ToString();
  EXPECT_TRUE(ranged == data.substr(1000, 1000)) << "got " << ranged.size() << " bytes";
  EXPECT_EQ(range_info->content_length_bytes, 1000u);
  EXPECT_EQ(range_info->size_bytes, data.size());

  ranged.clear();
  options.range = aws::S3ByteRange{data.size() - 100, std::nullopt};
  auto tail_info = s3.GetObject(bucket, key, range_sink, options);
  ASSERT_TRUE(tail_info.ok()) << tail_info.status().ToString();
  EXPECT_TRUE(ranged == data.substr(data.size() - 100)) << "got " << ranged.size() << " bytes";
  EXPECT_EQ(tail_info->content_length_bytes, 100u);
  EXPECT_EQ(tail_info->size_bytes, data.size());

  auto missing = s3.GetObjectToString(bucket, key + ".missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().ToString();
  EXPECT_EQ(missing.status().aws_error_code(), "NoSuchKey");
  EXPECT_EQ(missing.status().resource(), "s3://" + bucket + "/" + key + ".missing");
}

// The first two GetObject requests get 503 SlowDown; the call is retried (sleeping on a
// FakeClock) and the third attempt streams the object from the emulator.
inline void ThrottledGetObjectSucceedsOnTheThirdAttempt(const std::string& endpoint,
                                                        const aws::Credentials& credentials,
                                                        const std::string& bucket) {
  auto faults = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
  FakeClock clock(std::chrono::system_clock::now());
  aws::S3Client s3(MakeSender(credentials, faults, aws::RetryOptions{}, &clock),
                   S3OptionsFor(endpoint));
  ASSERT_TRUE(CreateBucket(s3, bucket));
  ASSERT_TRUE(s3.PutObject(bucket, "AWSLogs/throttled.json", "{\"ok\":true}").ok());

  const std::string object_url = endpoint + "/" + bucket + "/AWSLogs/throttled.json";
  const RequestPredicate is_get = [object_url](const aws::HttpRequest& request) {
    return request.method == "GET" && request.url == object_url;
  };
  faults->FailNext(2, Fault::S3SlowDown(), is_get);
  auto body = s3.GetObjectToString(bucket, "AWSLogs/throttled.json");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, "{\"ok\":true}");
  EXPECT_EQ(faults->CallsMatching(is_get), 3);
  EXPECT_EQ(faults->injected(), 2);
  EXPECT_EQ(clock.sleeps().size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

// Starts an `Emulator` (Fauxqs or Moto, configured by its `Options`) from this repository's
// scripts. It dies with the thread that started it.
template <typename Emulator, typename Options>
Result<std::unique_ptr<Emulator>> StartEmulator() {
  Options options;
  options.source_dir = TRAILHOUND_SOURCE_DIR;
  return Emulator::Start(options);
}

// The one `Emulator` that the tests of a fixture share. Start() and Stop() run on the main test
// thread (in SetUpTestSuite, TearDownTestSuite or a ::testing::Environment).
template <typename Emulator, typename Options>
class SharedEmulator {
 public:
  // Starts it unless it runs, or failed to start, already.
  static void Start() {
    if (emulator_ != nullptr || !error_.empty()) return;
    auto started = StartEmulator<Emulator, Options>();
    if (started.ok()) {
      emulator_ = std::move(*started).release();
    } else {
      error_ = started.status().ToString();
    }
  }
  // Stops it; the next Start() starts a new one.
  static void Stop() {
    delete emulator_;
    emulator_ = nullptr;
    error_.clear();
  }
  // The running emulator, or nullptr when it did not start (error() says why).
  static Emulator* get() { return emulator_; }
  static const std::string& error() { return error_; }

 private:
  static inline Emulator* emulator_ = nullptr;
  static inline std::string error_;
};
using SharedFauxqs = SharedEmulator<Fauxqs, FauxqsOptions>;
using SharedMoto = SharedEmulator<Moto, MotoOptions>;

// A suite that shares one fauxqs: SetUpTestSuite starts it, TearDownTestSuite stops it. SetUp
// fails the test when it did not start, else gives it clients signed with AnyCredentials(); a
// subclass's SetUp calls it first and returns when HasFatalFailure().
class FauxqsSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { SharedFauxqs::Start(); }
  static void TearDownTestSuite() { SharedFauxqs::Stop(); }
  void SetUp() override {
    ASSERT_NE(SharedFauxqs::get(), nullptr) << SharedFauxqs::error();
    sender_ = MakeSender(AnyCredentials());
    sqs_ = std::make_unique<aws::SqsClient>(sender_, SqsOptionsFor(endpoint()));
    s3_ = std::make_unique<aws::S3Client>(sender_, S3OptionsFor(endpoint()));
  }

  // The suite's fauxqs and its endpoint. REQUIRES: SetUp succeeded.
  static Fauxqs& fauxqs() { return *SharedFauxqs::get(); }
  static std::string endpoint() { return fauxqs().endpoint(); }

  std::shared_ptr<aws::AwsRequestSender> sender_;
  std::unique_ptr<aws::SqsClient> sqs_;
  std::unique_ptr<aws::S3Client> s3_;
};

// Suites that share one moto for the whole binary (it takes ~3 s to start): the first
// SetUpTestSuite starts it, a MotoEnvironment stops it after the last test. SetUp fails the
// test when it did not start; a subclass's SetUp calls it first and returns when
// HasFatalFailure().
// REQUIRES: the binary registers one MotoEnvironment (::testing::AddGlobalTestEnvironment).
class MotoSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { SharedMoto::Start(); }
  void SetUp() override { ASSERT_NE(SharedMoto::get(), nullptr) << SharedMoto::error(); }

  // The shared moto and its endpoint. REQUIRES: SetUp succeeded.
  static Moto& moto() { return *SharedMoto::get(); }
  static std::string endpoint() { return moto().endpoint(); }

  // Clients that sign as moto's admin (allowed everything).
  static aws::SqsClient AdminSqs() {
    return aws::SqsClient(MakeSender(moto().admin()), SqsOptionsFor(endpoint()));
  }
  static aws::S3Client AdminS3() {
    return aws::S3Client(MakeSender(moto().admin()), S3OptionsFor(endpoint()));
  }
};

// Stops MotoSuite's moto after the last test, on the main thread.
class MotoEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { SharedMoto::Stop(); }
};

}  // namespace trailhound::testing::checks
