#include "server/http_server.h"

#include <httplib.h>

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/access.h"
#include "server/search_api.h"
#include "server/sources_api.h"
#include "server/ui_assets.h"

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
  if (!api.attachment.empty()) {
    response.set_header("Content-Disposition", "attachment; filename=\"" + api.attachment + "\"");
  }
  response.set_content(api.body, api.content_type.c_str());
}

AccessRequest ToAccessRequest(const httplib::Request& request, const std::string* headers) {
  return AccessRequest{request.method, request.path, headers[0], headers[1],
                       headers[2],     headers[3],   headers[4]};
}

// Serves the UI's embedded files; "/" is index.html. Unknown paths outside /api get the
// index too, so that a reload of any UI address works.
void ServeAsset(const httplib::Request& request, httplib::Response& response) {
  const UiAsset* asset = FindUiAsset(request.path == "/" ? "/index.html" : request.path);
  if (asset == nullptr && request.path.find('.') == std::string::npos) {
    asset = FindUiAsset("/index.html");
  }
  if (asset == nullptr) {
    response.status = 404;
    response.set_content(ErrorJson("not found"), "application/json");
    return;
  }
  response.set_content(std::string(asset->bytes), std::string(UiContentType(asset->path)));
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

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

struct HttpServer::Impl {
  store::Store* store;
  HttpServerOptions options;
  std::unique_ptr<AccessControl> access;
  httplib::Server server;
  std::thread thread;
};

HttpServer::HttpServer(store::Store* store, HttpServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->options = std::move(options);
  httplib::Server& server = impl_->server;
  // cpp-httplib 0.11 lets an idle keep-alive connection finish its wait before stop()
  // returns, so this bounds how long SIGTERM takes while a browser has the UI open (5 s by
  // default). A browser re-opens the connection after a second of quiet; on a local
  // network that costs well under a millisecond.
  server.set_keep_alive_timeout(1);
  server.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  });
  impl_->access = std::make_unique<AccessControl>(impl_->options.token);
  const AccessControl* access = impl_->access.get();
  server.set_pre_routing_handler(
      [access](const httplib::Request& request, httplib::Response& response) {
        const std::string headers[] = {
            request.get_header_value("Authorization"), request.get_header_value("Cookie"),
            request.get_header_value(std::string(kCsrfHeader)), request.get_header_value("Origin"),
            request.get_header_value("Host")};
        AccessDecision decision = access->Check(ToAccessRequest(request, headers));
        if (decision == AccessDecision::kAllow) return httplib::Server::HandlerResponse::Unhandled;
        response.status = decision == AccessDecision::kUnauthenticated ? 401 : 403;
        if (response.status == 401) response.set_header("WWW-Authenticate", "Bearer");
        response.set_content(ErrorJson(std::string(AccessControl::Explain(decision))),
                             "application/json");
        return httplib::Server::HandlerResponse::Handled;
      });

  store::Store* s = store;
  server.Get("/api/health", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("{\"status\":\"ok\"}", "application/json");
  });
  server.Get("/api/session",
             [access](const httplib::Request& request, httplib::Response& response) {
               const std::string headers[] = {request.get_header_value("Authorization"),
                                              request.get_header_value("Cookie"), "", "", ""};
               nlohmann::json body = {
                   {"auth_required", access->token_required()},
                   {"authenticated", access->Authenticated(ToAccessRequest(request, headers))}};
               response.set_content(body.dump(), "application/json");
             });
  server.Post("/api/session",
              [access](const httplib::Request& request, httplib::Response& response) {
                if (!access->token_required()) {
                  response.status = 204;
                  return;
                }
                nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
                std::string token;
                if (body.is_object() && body.contains("token") && body["token"].is_string()) {
                  token = body["token"].get<std::string>();
                }
                if (!access->TokenMatches(token)) {
                  // Slows down guessing; the token itself should be long and random.
                  std::this_thread::sleep_for(std::chrono::milliseconds(250));
                  response.status = 401;
                  response.set_content(ErrorJson("wrong token"), "application/json");
                  return;
                }
                response.status = 204;
                response.set_header("Set-Cookie", access->SessionCookie());
              });
  server.Delete("/api/session", [](const httplib::Request&, httplib::Response& response) {
    response.status = 204;
    response.set_header("Set-Cookie", AccessControl::ClearedSessionCookie());
  });
  server.Get("/api/search", [s](const httplib::Request& request, httplib::Response& response) {
    Reply(response, HandleSearch(*s, ToParams(request), NowMillis()));
  });
  server.Get("/api/histogram", [s](const httplib::Request& request, httplib::Response& response) {
    Reply(response, HandleHistogram(*s, ToParams(request), NowMillis()));
  });
  server.Get("/api/fields", [s](const httplib::Request& request, httplib::Response& response) {
    Reply(response, HandleFields(*s, ToParams(request), NowMillis()));
  });
  auto snapshots = impl_->options.sources;
  server.Get("/api/sources", [snapshots](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        SourcesJson(snapshots ? snapshots() : std::vector<sources::SourceStatusSnapshot>{}),
        "application/json");
  });
  const auto* settings = &impl_->options.source_settings;
  server.Get(R"(/api/sources/([^/]+))", [snapshots, settings](const httplib::Request& request,
                                                              httplib::Response& response) {
    const std::string name = request.matches[1];
    for (const auto& snapshot :
         snapshots ? snapshots() : std::vector<sources::SourceStatusSnapshot>{}) {
      if (snapshot.name != name) continue;
      auto it = settings->find(name);
      response.set_content(
          SourceDetailJson(snapshot, it == settings->end() ? SourceSettingsList{} : it->second),
          "application/json");
      return;
    }
    response.status = 404;
    response.set_content(ErrorJson("no source named '" + name + "'"), "application/json");
  });
  auto test_source = impl_->options.test_source;
  server.Post(R"(/api/sources/([^/]+)/test)", [test_source](const httplib::Request& request,
                                                            httplib::Response& response) {
    const std::string name = request.matches[1];
    std::optional<sources::DoctorReport> report;
    if (test_source) report = test_source(name);
    if (!report) {
      response.status = 404;
      response.set_content(ErrorJson("no source named '" + name + "'"), "application/json");
      return;
    }
    response.set_content(DoctorReportJson(*report), "application/json");
  });
  server.Get("/metrics", [s, snapshots](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        PrometheusMetrics(snapshots ? snapshots() : std::vector<sources::SourceStatusSnapshot>{},
                          s->stats()),
        "text/plain; version=0.0.4");
  });
  server.Get(R"(/(?!api/|api$|metrics$).*)", ServeAsset);
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
  if (!IsLoopbackHost(host) && !impl_->access->token_required()) {
    return Status::FailedPrecondition(
        "Refusing to listen on " + impl_->options.listen +
        " without a token: anyone who can reach it could read every event. Set "
        "server.token_file (or token / token_env), or listen on 127.0.0.1");
  }
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
