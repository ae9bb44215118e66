#include "core/status.h"

#include <fmt/format.h>

namespace trailhound {
namespace {
const std::string& EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
}
}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "InvalidArgument";
    case StatusCode::kNotFound:
      return "NotFound";
    case StatusCode::kPermissionDenied:
      return "PermissionDenied";
    case StatusCode::kUnauthenticated:
      return "Unauthenticated";
    case StatusCode::kCorruption:
      return "Corruption";
    case StatusCode::kResourceExhausted:
      return "ResourceExhausted";
    case StatusCode::kThrottled:
      return "Throttled";
    case StatusCode::kUnavailable:
      return "Unavailable";
    case StatusCode::kDeadlineExceeded:
      return "DeadlineExceeded";
    case StatusCode::kIoError:
      return "IoError";
    case StatusCode::kCancelled:
      return "Cancelled";
    case StatusCode::kFailedPrecondition:
      return "FailedPrecondition";
    case StatusCode::kAlreadyExists:
      return "AlreadyExists";
    case StatusCode::kUnimplemented:
      return "Unimplemented";
    case StatusCode::kInternal:
      return "Internal";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string message) {
  if (code == StatusCode::kOk) return;
  auto rep = std::make_shared<Rep>();
  rep->code = code;
  rep->message = std::move(message);
  rep_ = std::move(rep);
}

Status Status::InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
Status Status::NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
Status Status::PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
Status Status::Unauthenticated(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
Status Status::Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
Status Status::ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
Status Status::Throttled(std::string m) { return {StatusCode::kThrottled, std::move(m)}; }
Status Status::Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
Status Status::DeadlineExceeded(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
Status Status::IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
Status Status::Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
Status Status::FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
Status Status::AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
Status Status::Unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
Status Status::Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

StatusCode Status::code() const { return rep_ ? rep_->code : StatusCode::kOk; }
const std::string& Status::message() const { return rep_ ? rep_->message : EmptyString(); }
const std::string& Status::aws_error_code() const {
  return rep_ ? rep_->aws_error_code : EmptyString();
}
const std::string& Status::request_id() const { return rep_ ? rep_->request_id : EmptyString(); }
const std::string& Status::resource() const { return rep_ ? rep_->resource : EmptyString(); }
int Status::http_status() const { return rep_ ? rep_->http_status : 0; }

bool Status::IsRetriable() const {
  switch (code()) {
    case StatusCode::kThrottled:
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return true;
    default:
      return false;
  }
}

Status Status::WithAwsError(std::string_view aws_error_code, std::string_view request_id,
                            int http_status) const {
  if (ok()) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->aws_error_code = aws_error_code;
  rep->request_id = request_id;
  rep->http_status = http_status;
  return Status(std::move(rep));
}

Status Status::WithResource(std::string_view resource) const {
  if (ok()) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->resource = resource;
  return Status(std::move(rep));
}

Status Status::Annotate(std::string_view context) const {
  if (ok() || context.empty()) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->message = fmt::format("{}: {}", context, rep_->message);
  return Status(std::move(rep));
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = fmt::format("{}: {}", StatusCodeName(rep_->code), rep_->message);
  std::string details;
  auto add = [&details](std::string_view part) {
    if (!details.empty()) details += ", ";
    details += part;
  };
  if (!rep_->aws_error_code.empty()) add(rep_->aws_error_code);
  if (rep_->http_status != 0) add(fmt::format("HTTP {}", rep_->http_status));
  if (!rep_->request_id.empty()) add(fmt::format("request id {}", rep_->request_id));
  if (!rep_->resource.empty() && rep_->message.find(rep_->resource) == std::string::npos) {
    add(fmt::format("resource {}", rep_->resource));
  }
  if (!details.empty()) out += fmt::format(" ({})", details);
  return out;
}

bool operator==(const Status& a, const Status& b) {
  if (a.ok() || b.ok()) return a.ok() == b.ok();
  return a.code() == b.code() && a.message() == b.message() &&
         a.aws_error_code() == b.aws_error_code() && a.request_id() == b.request_id() &&
         a.resource() == b.resource() && a.http_status() == b.http_status();
}

}  // namespace trailhound
