#include "testing/fault_injection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace trailhound::testing {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

RequestPredicate AnyRequest() {
  return [](const aws::HttpRequest&) { return true; };
}

RequestPredicate UrlContains(std::string part) {
  return [part = std::move(part)](const aws::HttpRequest& request) {
    return request.url.find(part) != std::string::npos;
  };
}

RequestPredicate MethodIs(std::string method) {
  return [method = std::move(method)](const aws::HttpRequest& request) {
    return request.method == method;
  };
}

RequestPredicate HeaderIs(std::string name, std::string value) {
  return [name = std::move(name), value = std::move(value)](const aws::HttpRequest& request) {
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [&](const aws::HttpHeader& header) {
                         return EqualsIgnoreCase(header.name, name) && header.value == value;
                       });
  };
}

Fault Fault::Response(int status, std::string body, aws::HttpHeaders headers) {
  Fault fault;
  fault.response.emplace();
  fault.response->status = status;
  fault.response->body = std::move(body);
  fault.response->headers = std::move(headers);
  return fault;
}

Fault Fault::S3Error(int status, std::string code, std::string message) {
  return Response(status,
                  fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code>"
                              "<Message>{}</Message><RequestId>FAULT</RequestId>"
                              "<HostId>fault-injected</HostId></Error>",
                              code, message),
                  {{"Content-Type", "application/xml"}});
}

Fault Fault::S3SlowDown() { return S3Error(503, "SlowDown", "Please reduce your request rate."); }

Fault Fault::S3InternalError() {
  return S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
}

Fault Fault::S3AccessDenied() { return S3Error(403, "AccessDenied", "Access Denied"); }

Fault Fault::QueryError(int status, std::string code, std::string message) {
  return Response(status,
                  fmt::format("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                              "<Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message>"
                              "</Error><RequestId>FAULT</RequestId></ErrorResponse>",
                              code, message),
                  {{"Content-Type", "text/xml"}});
}

Fault Fault::JsonError(int status, std::string type, std::string message) {
  std::string qualified = type.find('#') == std::string::npos ? "com.amazonaws.sqs#" + type : type;
  return Response(status, fmt::format(R"({{"__type":"{}","message":"{}"}})", qualified, message),
                  {{"Content-Type", "application/x-amz-json-1.0"}});
}

Fault Fault::JsonThrottling() { return JsonError(400, "ThrottlingException", "Rate exceeded"); }

Fault Fault::ConnectionReset() {
  Fault fault;
  fault.failure =
      Status::Unavailable("Failed to send the request: Connection reset by peer (injected fault)");
  return fault;
}

Fault Fault::Timeout() {
  Fault fault;
  fault.failure = Status::DeadlineExceeded(
      "Failed to receive the response: no data before the read timeout (injected fault)");
  return fault;
}

FaultInjectingTransport::FaultInjectingTransport(std::shared_ptr<aws::HttpTransport> delegate)
    : delegate_(std::move(delegate)) {}

void FaultInjectingTransport::FailNext(int times, Fault fault, RequestPredicate match) {
  if (times <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back({std::move(match), std::move(fault), times});
}

void FaultInjectingTransport::FailAlways(Fault fault, RequestPredicate match) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back({std::move(match), std::move(fault), -1});
}

void FaultInjectingTransport::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

Result<aws::HttpResponse> FaultInjectingTransport::Send(const aws::HttpRequest& request,
                                                        const aws::BodySink* sink,
                                                        const aws::HttpOptions* options_override) {
  std::optional<Fault> fault;
  int number = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    for (Rule& rule : rules_) {
      if (rule.remaining == 0 || !rule.match(request)) continue;
      if (rule.remaining > 0) --rule.remaining;
      fault = rule.fault;
      number = ++injected_;
      break;
    }
    if (!fault) ++delegated_;
  }
  if (!fault) {
    if (!delegate_) {
      return Status::Unavailable(
          fmt::format("No fault scripted for {} {} and no delegate", request.method, request.url));
    }
    return delegate_->Send(request, sink, options_override);
  }
  if (!fault->response) return fault->failure;
  aws::HttpResponse response = std::move(*fault->response);
  response.headers.push_back({"x-amz-request-id", fmt::format("FAULT-{}", number)});
  if (sink != nullptr && response.status >= 200 && response.status < 300) {
    if (!response.body.empty()) {
      Status s = (*sink)(response.body);
      if (!s.ok()) return s;
    }
    response.body.clear();
  }
  return response;
}

int FaultInjectingTransport::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(requests_.size());
}

int FaultInjectingTransport::injected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return injected_;
}

int FaultInjectingTransport::delegated() const {
  std::lock_guard<std::mutex> lock(mu_);
  return delegated_;
}

int FaultInjectingTransport::CallsMatching(const RequestPredicate& match) const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::count_if(requests_.begin(), requests_.end(), match));
}

std::vector<aws::HttpRequest> FaultInjectingTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

}  // namespace trailhound::testing
