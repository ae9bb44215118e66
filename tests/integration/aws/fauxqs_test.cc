// The AWS client layer (SqsClient, S3Client, AwsRequestSender over the libcurl
// transport) against a real fauxqs server: long polls, visibility, batch deletes,
// queue attributes, awkward S3 keys, streamed and ranged reads, listings, retried
// throttling, and fauxqs' own http://sqs.<region>.localhost:<port>/ queue URLs used
// as returned. fauxqs checks no signature; moto_test.cc covers that.
#include "testing/fauxqs.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "emulator_checks.h"
#include "testing/fault_injection.h"

namespace trailhound::testing {
namespace {

using checks::AnyCredentials;

// One fauxqs per suite (checks::FauxqsSuite).
using SqsOnFauxqs = checks::FauxqsSuite;
using S3OnFauxqs = checks::FauxqsSuite;

TEST_F(SqsOnFauxqs, LongPollOnAnEmptyQueueWaitsAndReturnsNothing) {
  checks::LongPollOnAnEmptyQueueWaitsAndReturnsNothing(*sqs_, "empty-long-poll");
}

TEST_F(SqsOnFauxqs, LongPollReturnsAMessageSentDuringTheWait) {
  checks::LongPollReturnsAMessageSentDuringTheWait(*sqs_, "sent-during-wait");
}

TEST_F(SqsOnFauxqs, VisibilityZeroRedeliversWithReceiveCountTwo) {
  checks::VisibilityZeroRedeliversWithReceiveCountTwo(*sqs_, "visibility-zero");
}

TEST_F(SqsOnFauxqs, VisibilityBatchRedeliversEveryEntry) {
  aws::SqsBatchResult mixed = checks::VisibilityBatchRedeliversEveryEntry(*sqs_, "vis-batch");
  // fauxqs checks receipt handles here (unlike in DeleteMessageBatch): the bogus entry fails
  // on its own.
  checks::ExpectOnlyTheBogusEntryFailed(mixed);
}

TEST_F(SqsOnFauxqs, LongPollReceivesThenBatchDeletes) {
  aws::SqsBatchResult mixed = checks::BatchDeletedMessagesDoNotComeBack(*sqs_, "batch-delete");
  // fauxqs accepts any receipt handle, so it reports no per-entry failure.
  EXPECT_EQ(mixed.successful_ids.size(), 2u);
  EXPECT_TRUE(mixed.failed.empty());
}

TEST_F(SqsOnFauxqs, GetQueueAttributesAndGetQueueUrl) {
  checks::QueueAttributesAndUrl(*sqs_, "attributes");
}

TEST_F(SqsOnFauxqs, ThrottledReceiveSucceedsOnTheThirdAttempt) {
  checks::ThrottledReceiveSucceedsOnTheThirdAttempt(endpoint(), AnyCredentials(), "throttled");
}

// fauxqs returns queue URLs on sqs.<region>.localhost, which glibc does not resolve: a client
// without an endpoint override sends every call to that host through libcurl, signed for the
// region the host names.
TEST_F(SqsOnFauxqs, QueueUrlsOnSqsRegionLocalhostWorkAsReturned) {
  for (const char* region_name : {"us-east-1", "eu-west-1"}) {
    const std::string region = region_name;
    SCOPED_TRACE(region);
    aws::SqsOptions create_options = checks::SqsOptionsFor(endpoint());
    create_options.region = region;
    aws::SqsClient creator(sender_, create_options);
    auto url = creator.CreateQueue("localhost-" + region);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    const std::string host_endpoint =
        "http://sqs." + region + ".localhost:" + std::to_string(fauxqs().port());
    ASSERT_EQ(*url, host_endpoint + "/000000000000/localhost-" + region);

    auto faults = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
    aws::SqsClient sqs(checks::MakeSender(AnyCredentials(), faults), aws::SqsOptions{});
    auto resolved = sqs.ResolveQueueUrl(*url);
    ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
    EXPECT_EQ(resolved->endpoint, host_endpoint);
    EXPECT_EQ(resolved->region, region);

    auto id = sqs.SendMessage(*url, "via localhost");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    auto received = checks::ReceiveAtLeast(sqs, *url, 1);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].message_id, *id);
    EXPECT_EQ(received[0].body, "via localhost");
    Status changed = sqs.ChangeMessageVisibility(*url, received[0].receipt_handle, 30);
    EXPECT_TRUE(changed.ok()) << changed.ToString();
    std::vector<aws::SqsDeleteEntry> entries = {{"only", received[0].receipt_handle}};
    auto deleted = sqs.DeleteMessageBatch(*url, entries);
    ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
    EXPECT_TRUE(deleted->all_succeeded());
    auto attributes = sqs.GetQueueAttributes(*url);
    ASSERT_TRUE(attributes.ok()) << attributes.status().ToString();
    EXPECT_EQ((*attributes)["ApproximateNumberOfMessages"], "0");

    // Every request went to the queue URL's own host, at "/", signed for its region.
    EXPECT_GE(faults->calls(), 5);
    for (const aws::HttpRequest& request : faults->requests()) {
      EXPECT_EQ(request.url, host_endpoint + "/");
      EXPECT_NE(aws::FindHeader(request.headers, "Authorization").find("/" + region + "/sqs/"),
                std::string::npos);
    }
  }
}

TEST_F(S3OnFauxqs, AwkwardKeysRoundTripByteForByte) {
  checks::KeysRoundTripByteForByte(*s3_, "awkward-keys", checks::AwkwardKeys());
}

TEST_F(S3OnFauxqs, ListObjectsV2PaginatesWithPrefixAndStartAfter) {
  checks::KeysRoundTripByteForByte(*s3_, "listing", checks::AwkwardKeys());
  checks::ListingPaginates(*s3_, "listing", checks::AwkwardKeys());
  checks::ListingHonoursPrefixStartAfterAndDelimiter(*s3_, "listing", checks::AwkwardKeys(),
                                                     "AWSLogs/a b+c%d/");
}

TEST_F(S3OnFauxqs, GetObjectStreamsAndHonoursRanges) {
  checks::StreamedAndRangedGetObject(*s3_, "streamed", "AWSLogs/big ü+%.bin");
}

TEST_F(S3OnFauxqs, ThrottledGetObjectSucceedsOnTheThirdAttempt) {
  checks::ThrottledGetObjectSucceedsOnTheThirdAttempt(endpoint(), AnyCredentials(), "throttled");
}

}  // namespace
}  // namespace trailhound::testing
