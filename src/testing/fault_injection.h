// FaultInjectingTransport: an HttpTransport for tests that answers chosen requests
// with scripted faults (AWS error responses, resets, timeouts) and passes every other
// request to a real transport, counting both. Typical use, "a throttled call is
// retried and succeeds":
//
//   auto faults = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
//   faults->FailNext(2, Fault::S3SlowDown(), UrlContains("/my-bucket/"));
//   faults->FailNext(1, Fault::JsonThrottling(), HeaderIs("X-Amz-Target",
//                                                         "AmazonSQS.ReceiveMessage"));
//   FakeClock clock;  // testing/fake_clock.h: backoff sleeps return at once
//   auto sender = std::make_shared<aws::AwsRequestSender>(faults, credentials,
//                                                       aws::RetryOptions{}, &clock);
//   ... run the code under test with `sender` ...
//   EXPECT_EQ(faults->injected(), 3);   EXPECT_EQ(clock.sleeps().size(), 3u);
//
// Rules apply in the order they were added: a request takes the first rule that
// matches it and has uses left; without one it goes to the delegate.
// Thread safety: every method may be called from any thread.
// Lifetime: predicates and the delegate are owned by the transport.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/http.h"
#include "core/status.h"

namespace trailhound::testing {

using RequestPredicate = std::function<bool(const aws::HttpRequest&)>;

RequestPredicate AnyRequest();
// The URL contains `part` ("/bucket/", "Action=AssumeRole", a queue name).
RequestPredicate UrlContains(std::string part);
RequestPredicate MethodIs(std::string method);
// A request header equals `value` (name case-insensitive): X-Amz-Target for JSON calls.
RequestPredicate HeaderIs(std::string name, std::string value);

// What a faulted request gets: an HTTP response, or a transport failure when
// `response` is empty. Scripted responses carry an x-amz-request-id "FAULT-<n>".
struct Fault {
  std::optional<aws::HttpResponse> response;
  Status failure;

  // Any response; a 2xx body goes to the caller's sink when there is one.
  static Fault Response(int status, std::string body, aws::HttpHeaders headers = {});
  // S3: <Error><Code>code</Code><Message>message</Message>...</Error>.
  static Fault S3Error(int status, std::string code, std::string message);
  static Fault S3SlowDown();       // 503 SlowDown
  static Fault S3InternalError();  // 500 InternalError
  static Fault S3AccessDenied();   // 403 AccessDenied (never retried)
  // Query protocol (STS, SNS): <ErrorResponse><Error><Type>Sender</Type><Code>..
  static Fault QueryError(int status, std::string code, std::string message);
  // JSON protocol (SQS): {"__type": "com.amazonaws.<service>#<type>", "message": ...}.
  static Fault JsonError(int status, std::string type, std::string message);
  static Fault JsonThrottling();  // 400 ThrottlingException
  // Transport failures, as the curl transport reports them.
  static Fault ConnectionReset();  // kUnavailable
  static Fault Timeout();          // kDeadlineExceeded
};

class FaultInjectingTransport final : public aws::HttpTransport {
 public:
  // `delegate` serves requests no rule takes; when null they fail with kUnavailable.
  explicit FaultInjectingTransport(std::shared_ptr<aws::HttpTransport> delegate);

  // The next `times` requests matching `match` get `fault`.
  void FailNext(int times, Fault fault, RequestPredicate match = AnyRequest());
  // Every request matching `match` gets `fault` until Clear().
  void FailAlways(Fault fault, RequestPredicate match = AnyRequest());
  // Removes every rule (counters are kept).
  void Clear();

  Result<aws::HttpResponse> Send(const aws::HttpRequest& request,
                                 const aws::BodySink* sink = nullptr,
                                 const aws::HttpOptions* options_override = nullptr) override;

  int calls() const;      // every Send()
  int injected() const;   // answered by a rule
  int delegated() const;  // passed to the delegate
  // How many requests seen so far match `match`.
  int CallsMatching(const RequestPredicate& match) const;
  // Copies of every request seen, as signed (they contain credentials: tests only).
  std::vector<aws::HttpRequest> requests() const;

 private:
  struct Rule {
    RequestPredicate match;
    Fault fault;
    int remaining;  // < 0: unlimited
  };

  const std::shared_ptr<aws::HttpTransport> delegate_;
  mutable std::mutex mu_;
  std::vector<Rule> rules_;                 // guarded by mu_
  std::vector<aws::HttpRequest> requests_;  // guarded by mu_
  int injected_ = 0;                        // guarded by mu_
  int delegated_ = 0;                       // guarded by mu_
};

}  // namespace trailhound::testing
