// The libcurl HttpTransport (see http.h for the contract).
//
// One CURL easy handle serves one request at a time; idle handles wait in a
// mutex-protected pool and keep their connection caches, so consecutive requests to
// the same host reuse a connection. Everything libcurl reports through callbacks
// lands in a Transfer that lives on the stack of Send().
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/http.h"

namespace trailhound::aws {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

// Idle easy handles kept for reuse; beyond this, released handles are closed.
constexpr size_t kMaxIdleHandles = 64;
// libcurl resolves `*.localhost` to loopback itself from 7.85.0 on.
constexpr unsigned kCurlResolvesDotLocalhost = 0x075500;

void InitCurlOnce() {
  // A function-local static is initialised exactly once, even under concurrency.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The URL without its query string: presigned URLs carry credentials there.
std::string_view UrlForMessages(std::string_view url) {
  return url.substr(0, url.find_first_of("?#"));
}

// "host" of "scheme://[userinfo@]host[:port]/...", "" when there is none.
std::string_view HostOf(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

bool IsDotLocalhost(std::string_view host) {
  constexpr std::string_view kSuffix = ".localhost";
  return host.size() > kSuffix.size() &&
         EqualsIgnoreCase(host.substr(host.size() - kSuffix.size()), kSuffix);
}

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown != nullptr) {
    (void)list.release();  // curl_slist_append returned the same list, now longer
    list.reset(grown);
  }
}

// The state of one request, shared with libcurl's callbacks.
struct Transfer {
  const BodySink* sink = nullptr;
  size_t max_response_bytes = 0;
  std::chrono::milliseconds read_timeout{0};
  std::string method;
  std::string_view url;

  HttpResponse response;     // headers and status of the latest header block
  Status abort_reason;       // why one of our callbacks stopped the transfer
  bool connected = false;    // the connection is ready and the request is being sent
  SteadyTime last_activity;  // when the latest byte moved (either direction)
  curl_off_t last_downloaded = 0;
  curl_off_t last_uploaded = 0;

  bool Streaming() const {
    return sink != nullptr && response.status >= 200 && response.status < 300;
  }
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  t->last_activity = std::chrono::steady_clock::now();
  std::string_view line = Trim(std::string_view(data, bytes));
  if (line.starts_with("HTTP/")) {
    // A new header block (after a 100 Continue, a proxy CONNECT reply): keep only the last.
    t->response.headers.clear();
    t->response.status = 0;
    size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      std::string_view code = line.substr(space + 1, 3);
      std::from_chars(code.data(), code.data() + code.size(), t->response.status);
    }
    return bytes;
  }
  if (line.empty()) return bytes;
  if ((data[0] == ' ' || data[0] == '\t') && !t->response.headers.empty()) {
    // An obsolete folded continuation line.
    t->response.headers.back().value += ' ';
    t->response.headers.back().value += line;
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  t->response.headers.push_back(
      {std::string(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1)))});
  return bytes;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  t->last_activity = std::chrono::steady_clock::now();
  if (t->Streaming()) {
    Status s = (*t->sink)(std::string_view(data, bytes));
    if (!s.ok()) {
      t->abort_reason = std::move(s);
      return 0;  // CURLE_WRITE_ERROR
    }
    return bytes;
  }
  if (t->response.body.size() + bytes > t->max_response_bytes) {
    t->abort_reason = Status::ResourceExhausted(
        fmt::format("Failed to receive {} {}: the response body exceeds the limit of {} bytes",
                    t->method, UrlForMessages(t->url), t->max_response_bytes));
    return 0;
  }
  t->response.body.append(data, bytes);
  return bytes;
}

// Called once the connection (new or reused) is ready and the request is about to go out.
int OnConnected(void* user, char*, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  t->connected = true;
  t->last_activity = std::chrono::steady_clock::now();
  return CURL_PREREQFUNC_OK;
}

// libcurl calls this often while data moves and about once a second while idle, so
// the read timeout has a granularity of about a second.
int OnProgress(void* user, curl_off_t, curl_off_t downloaded, curl_off_t, curl_off_t uploaded) {
  auto* t = static_cast<Transfer*>(user);
  const SteadyTime now = std::chrono::steady_clock::now();
  if (downloaded != t->last_downloaded || uploaded != t->last_uploaded) {
    t->last_downloaded = downloaded;
    t->last_uploaded = uploaded;
    t->last_activity = now;
    return 0;
  }
  if (!t->connected || t->read_timeout.count() <= 0) return 0;  // connect timeout applies
  if (now - t->last_activity >= t->read_timeout) {
    t->abort_reason = Status::DeadlineExceeded(
        fmt::format("Failed to receive {} {}: no data for {} ms (read timeout)", t->method,
                    UrlForMessages(t->url), t->read_timeout.count()));
    return 1;  // CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

Status StatusFromCurl(CURLcode rc, const Transfer& t, const char* error_buffer) {
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
  std::string message = fmt::format("Failed to send {} {}: {} (curl error {})", t.method,
                                    UrlForMessages(t.url), detail, static_cast<int>(rc));
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::DeadlineExceeded(std::move(message));
    case CURLE_FILESIZE_EXCEEDED:
      return Status::ResourceExhausted(std::move(message));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Status::InvalidArgument(std::move(message));
    // The peer is reachable but not trusted: retrying will not help; the CA bundle,
    // the host name or an intercepting proxy must be fixed.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return Status::FailedPrecondition(std::move(message));
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
      return Status::Internal(std::move(message));
    default:  // refused, reset, DNS, TLS handshake, empty reply: the network, retriable
      return Status::Unavailable(std::move(message));
  }
}

class CurlHttpTransport final : public HttpTransport {
 public:
  explicit CurlHttpTransport(HttpOptions options) : options_(std::move(options)) {
    InitCurlOnce();
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    resolves_dot_localhost_ = info != nullptr && info->version_num >= kCurlResolvesDotLocalhost;
  }

  Result<HttpResponse> Send(const HttpRequest& request, const BodySink* sink,
                            const HttpOptions* options_override) override;

 private:
  // A pooled handle, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(CurlHttpTransport* owner, EasyHandle handle)
        : owner_(owner), handle_(std::move(handle)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (handle_) owner_->Release(std::move(handle_));
    }
    CURL* get() const { return handle_.get(); }

   private:
    CurlHttpTransport* owner_;
    EasyHandle handle_;
  };

  Result<EasyHandle> Acquire();
  void Release(EasyHandle handle);

  const HttpOptions options_;
  bool resolves_dot_localhost_ = true;
  std::mutex mu_;
  std::vector<EasyHandle> idle_;  // guarded by mu_
};

Result<EasyHandle> CurlHttpTransport::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      EasyHandle handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  EasyHandle handle(curl_easy_init());
  if (!handle) return Status::Internal("curl_easy_init failed");
  return handle;
}

void CurlHttpTransport::Release(EasyHandle handle) {
  // Resets the options only; the connection cache and DNS cache survive.
  curl_easy_reset(handle.get());
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

Result<HttpResponse> CurlHttpTransport::Send(const HttpRequest& request, const BodySink* sink,
                                             const HttpOptions* options_override) {
  const HttpOptions& options = options_override != nullptr ? *options_override : options_;
  auto acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  Lease lease(this, std::move(acquired).value());
  CURL* h = lease.get();

  Transfer t;
  t.sink = sink;
  t.max_response_bytes = options.max_response_bytes;
  t.read_timeout = std::chrono::milliseconds(options.read_timeout_ms);
  t.method = request.method;
  t.url = request.url;
  t.last_activity = std::chrono::steady_clock::now();
  char error_buffer[CURL_ERROR_SIZE] = {};

  Slist headers;
  bool has_content_type = false;
  for (const HttpHeader& header : request.headers) {
    has_content_type = has_content_type || EqualsIgnoreCase(header.name, "Content-Type");
    // "Name;" sends a header with an empty value ("Name:" would remove it).
    Append(headers, header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  }
  Append(headers, "Expect:");  // no 100-continue round trip before a body
  // Without this, libcurl labels a POST body application/x-www-form-urlencoded.
  if (!has_content_type) Append(headers, "Content-Type:");

  Slist connect_to;
  if (std::string_view host = HostOf(request.url);
      !resolves_dot_localhost_ && IsDotLocalhost(host)) {
    Append(connect_to, fmt::format("{}::127.0.0.1:", host));
  }

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);  // S3 keys may contain "../"
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // callers must see AWS 301/307
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (connect_to) curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to.get());

  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout_ms));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  // No CURLOPT_PROXY: libcurl then reads http_proxy, https_proxy and no_proxy per transfer.

  if (sink == nullptr) {
    // Lets libcurl reject an announced oversized body before reading it.
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options.max_response_bytes));
  }
  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "POST") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &OnConnected);
  curl_easy_setopt(h, CURLOPT_PREREQDATA, &t);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);

  const CURLcode rc = curl_easy_perform(h);
  // The pooled handle must not keep pointers into this frame.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  if (rc != CURLE_OK) {
    if (!t.abort_reason.ok()) return t.abort_reason;
    return StatusFromCurl(rc, t, error_buffer);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

}  // namespace

std::string_view FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return {};
}

std::shared_ptr<HttpTransport> MakeCurlHttpTransport(HttpOptions options) {
  return std::make_shared<CurlHttpTransport>(std::move(options));
}

}  // namespace trailhound::aws
