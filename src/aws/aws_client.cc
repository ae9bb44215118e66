#include "aws/aws_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <utility>

namespace trailhound::aws {
namespace {

bool IsSuccess(int status) { return status >= 200 && status < 300; }

// A uniform draw from [0, 1); each thread has its own generator, so no lock is needed.
double Random01() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{
        device(), device(),
        static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id()))};
    return std::mt19937_64(seed);
  }();
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string CallName(const AwsCall& call) {
  return call.resource.empty() ? call.operation
                               : fmt::format("{} {}", call.operation, call.resource);
}

// `GetObject of "s3://b/k"` for log lines.
std::string QuotedCallName(const AwsCall& call) {
  return call.resource.empty() ? call.operation
                               : fmt::format("{} of \"{}\"", call.operation, call.resource);
}

// A failure that happened before or instead of an HTTP response, named for the call.
Status ForCall(const Status& status, const AwsCall& call) {
  Status out = status.Annotate(fmt::format("Failed to {}", CallName(call)));
  return out.resource().empty() ? out.WithResource(call.resource) : out;
}

}  // namespace

AwsRequestSender::AwsRequestSender(std::shared_ptr<HttpTransport> transport,
                                   std::shared_ptr<CredentialsProvider> credentials,
                                   RetryOptions retry, Clock* clock)
    : transport_(std::move(transport)),
      credentials_(std::move(credentials)),
      retry_(retry),
      clock_(clock != nullptr ? clock : SystemClock()) {}

Result<HttpResponse> AwsRequestSender::SendRaw(const AwsCall& call) {
  for (int attempt = 1;; ++attempt) {
    uint64_t streamed = 0;
    Status failure;
    std::optional<HttpResponse> response;

    Result<Credentials> credentials = credentials_->GetCredentials();
    if (!credentials.ok()) {
      failure = ForCall(credentials.status(), call);
    } else {
      HttpRequest request = call.request;
      SigningOptions signing = call.signing;
      signing.time = clock_->Now();
      Result<SignatureStages> signed_request = SignRequest(request, *credentials, signing);
      if (!signed_request.ok()) return ForCall(signed_request.status(), call);

      BodySink counting_sink;
      if (call.sink != nullptr) {
        counting_sink = [&streamed, &call](std::string_view chunk) {
          streamed += chunk.size();
          return (*call.sink)(chunk);
        };
      }
      Result<HttpResponse> sent = transport_->Send(
          request, call.sink != nullptr ? &counting_sink : nullptr, call.http_options);
      if (!sent.ok()) {
        failure = ForCall(sent.status(), call);
      } else if (IsSuccess(sent->status)) {
        return sent;
      } else {
        failure = StatusFromAwsError(call, *sent, call.errors);
        response = std::move(sent).value();
      }
    }

    if (streamed > 0) {
      // The caller's sink holds part of the body: only the caller can start over.
      if (response) return std::move(*response);
      return failure;
    }
    if (!ShouldRetry(failure, attempt, retry_)) {
      if (response) return std::move(*response);
      return failure;
    }
    const std::chrono::milliseconds delay = BackoffDelay(failure, attempt, retry_, Random01());
    spdlog::warn("Retrying {} in {} ms after attempt {} of {} failed: {}", QuotedCallName(call),
                 delay.count(), attempt, retry_.max_attempts, failure.ToString());
    clock_->SleepFor(delay);
  }
}

Result<HttpResponse> AwsRequestSender::Send(const AwsCall& call) {
  Result<HttpResponse> response = SendRaw(call);
  if (!response.ok() || IsSuccess(response->status)) return response;
  Status status = StatusFromAwsError(call, *response, call.errors);
  std::string_view region = response->Header("x-amz-bucket-region");
  if (response->status >= 300 && response->status < 400 && !region.empty()) {
    status = Status(status.code(),
                    fmt::format("{} (the bucket is in region '{}')", status.message(), region))
                 .WithAwsError(status.aws_error_code(), status.request_id(), status.http_status())
                 .WithResource(status.resource());
  }
  return status;
}

}  // namespace trailhound::aws
