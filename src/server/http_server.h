// HttpServer: Trailhound's HTTP API over a store (docs/API.md): /api/search, /api/histogram,
// /api/fields, /api/sources[/{name}], /api/session, /api/health, /metrics, and the web UI's
// embedded files (ui_assets.h) at /. cpp-httplib with its thread pool. Binds 127.0.0.1:8080
// by default; a non-loopback address needs a token (access.h: bearer or session cookie, CSRF
// header on state changes). Every response carries security headers (no sniffing, no
// framing, a strict CSP). Thread safety: Start once, Stop from any thread.
// Ownership: the store is not owned and must outlive the server.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/secret.h"
#include "core/status.h"
#include "sources/sqs_s3/doctor.h"
#include "sources/sqs_s3/source_status.h"
#include "store/store.h"

namespace trailhound::server {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  // The sources' status for /api/sources and /metrics; none when unset (`serve`).
  std::function<std::vector<sources::SourceStatusSnapshot>()> sources;
  // Each source's settings, secrets redacted, for /api/sources/{name}.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> source_settings;
  // POST /api/sources/{name}/test: runs the doctor's checklist; nullopt for an unknown name.
  std::function<std::optional<sources::DoctorReport>(const std::string& name)> test_source;
  // Required by the API when set; without it Start refuses a non-loopback address.
  Secret token;
};

// Whether `host` is a loopback address or name (127.0.0.0/8, ::1, localhost).
bool IsLoopbackHost(const std::string& host);

// "host:port" → host and port; kInvalidArgument naming the text.
Status ParseListenAddress(const std::string& text, std::string& host, int& port);

class HttpServer {
 public:
  HttpServer(store::Store* store, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on a background thread; returns the bound port.
  Result<int> Start();
  // Stops accepting and waits for the serving thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailhound::server
