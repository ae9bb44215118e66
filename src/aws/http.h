// HTTP transport for the AWS layer. HttpTransport is the narrow interface the
// clients use (tests wrap it to inject faults); CurlHttpTransport is the real one
// on libcurl: connection reuse, connect/read timeouts, TLS verification on,
// proxy environment variables honoured (http_proxy, https_proxy, no_proxy),
// response size limits, and `*.localhost` host names resolved to loopback.
// Errors: network failures → kUnavailable, timeouts → kDeadlineExceeded (both
// retriable), a body over the limit → kResourceExhausted, an untrusted TLS
// certificate → kFailedPrecondition. Messages name the method and the URL without
// its query (presigned URLs carry credentials there), never header values. Any HTTP
// status is a successful Send(); the caller interprets 3xx/4xx/5xx (redirects are
// never followed).
// Thread safety: Send() may be called from many threads at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace trailhound::aws {

struct HttpHeader {
  std::string name;
  std::string value;
};
using HttpHeaders = std::vector<HttpHeader>;

// Case-insensitive header lookup; "" when absent.
std::string_view FindHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  // Absolute URL, already percent-encoded: scheme://host[:port]/path[?query].
  std::string url;
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  // The body, unless it was streamed to a BodySink (then only error bodies are kept here).
  std::string body;

  std::string_view Header(std::string_view name) const { return FindHeader(headers, name); }
};

// Receives a streamed 2xx body chunk by chunk; a non-OK return aborts the transfer
// and becomes the result of Send().
using BodySink = std::function<Status(std::string_view chunk)>;

struct HttpOptions {
  // Time allowed to establish the TCP (and TLS) connection.
  int connect_timeout_ms = 5000;
  // A transfer that receives no byte for this long fails with kDeadlineExceeded
  // (checked about once a second, so sub-second values act like ~1 s).
  int read_timeout_ms = 30000;
  // Upper bound on a whole request, 0 for none (long polls set their own).
  int total_timeout_ms = 0;
  // Largest buffered response body; streamed bodies are limited by their sink.
  size_t max_response_bytes = 64u << 20;
  // Verify the server's TLS certificate and host name (never disable outside tests).
  bool verify_tls = true;
  // A CA bundle to trust instead of the system's, "" for the system default.
  std::string ca_file;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends `request`. When `sink` is given and the status is 2xx, the body goes to the
  // sink instead of response.body. `options_override` (may be null) replaces the
  // transport's options for this call (e.g. a 20 s long poll needs a longer timeout).
  virtual Result<HttpResponse> Send(const HttpRequest& request, const BodySink* sink = nullptr,
                                    const HttpOptions* options_override = nullptr) = 0;
};

// The libcurl transport. Construction initialises libcurl once per process.
std::shared_ptr<HttpTransport> MakeCurlHttpTransport(HttpOptions options = {});

}  // namespace trailhound::aws
