#include "server/http_server.h"

#include <httplib.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "server/search_api.h"
#include "server/sources_api.h"

namespace trailhound::server {

namespace {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Params ToParams(const httplib::Request& request) {
  Params params;
  for (const auto& [name, value] : request.params) params.emplace(name, value);
  return params;
}

void Reply(httplib::Response& response, const ApiResponse& api) {
  response.status = api.status;
  response.set_content(api.body, "application/json");
}

}  // namespace

Status ParseListenAddress(const std::string& text, std::string& host, int& port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("listen address '" + text +
                                   "' must be host:port, e.g. 127.0.0.1:8080");
  }
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string_view digits = std::string_view(text).substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535) {
    return Status::InvalidArgument("listen address '" + text + "' has no valid port (0-65535)");
  }
  return Status::OK();
}

struct HttpServer::Impl {
  store::Store* store;
  HttpServerOptions options;
  httplib::Server server;
  std::thread thread;
};

HttpServer::HttpServer(store::Store* store, HttpServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->options = std::move(options);
  httplib::Server& server = impl_->server;
  server.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  });
  store::Store* s = store;
  server.Get("/api/health", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("{\"status\":\"ok\"}", "application/json");
  });
  server.Get("/api/search", [s](const httplib::Request& request, httplib::Response& response) {
    Reply(response, HandleSearch(*s, ToParams(request), NowMillis()));
  });
  server.Get("/api/histogram", [s](const httplib::Request& request, httplib::Response& response) {
    Reply(response, HandleHistogram(*s, ToParams(request), NowMillis()));
  });
  auto snapshots = impl_->options.sources;
  server.Get("/api/sources", [snapshots](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        SourcesJson(snapshots ? snapshots() : std::vector<sources::SourceStatusSnapshot>{}),
        "application/json");
  });
  server.Get("/metrics", [s, snapshots](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        PrometheusMetrics(snapshots ? snapshots() : std::vector<sources::SourceStatusSnapshot>{},
                          s->stats()),
        "text/plain; version=0.0.4");
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (response.body.empty()) {
      response.set_content(ErrorJson(response.status == 404 ? "not found" : "request failed"),
                           "application/json");
    }
  });
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Start() {
  std::string host;
  int port = 0;
  TH_RETURN_IF_ERROR(ParseListenAddress(impl_->options.listen, host, port));
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : port;
  if (port != 0 && !impl_->server.bind_to_port(host, port)) bound = -1;
  if (bound <= 0) {
    return Status::Unavailable("Cannot listen on " + impl_->options.listen +
                               " (in use, or not an address of this machine)");
  }
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  // The socket already listens (connections queue); wait for the accept loop so that an
  // early Stop() cannot race with it starting.
  for (int i = 0; i < 1000 && !impl_->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return bound;
}

void HttpServer::Stop() {
  if (impl_ == nullptr) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace trailhound::server
