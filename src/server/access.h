// AccessControl: who may use the HTTP API and web UI (docs/API.md "Access"). Without a token
// everything is open (the server then listens on loopback only); with one, every /api/* path
// but /api/health and /api/session, and /metrics, needs `Authorization: Bearer <token>` or
// the session cookie, which is HMAC-SHA256(token, a fixed label) — stateless, and void as
// soon as the token changes. Requests that change state (POST, PUT, PATCH, DELETE) must carry
// `X-Trailhound-Request: 1` and, when the browser sends Origin, come from the server's own
// origin: CSRF protection that needs no per-session state. Decisions are pure functions of
// the request so they are tested without sockets. Thread safety: immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "core/secret.h"

namespace trailhound::server {

inline constexpr std::string_view kSessionCookie = "trailhound_session";
inline constexpr std::string_view kCsrfHeader = "X-Trailhound-Request";

// The parts of a request access control looks at.
struct AccessRequest {
  std::string_view method;         // "GET", "POST", ...
  std::string_view path;           // "/api/search"
  std::string_view authorization;  // the Authorization header, or ""
  std::string_view cookie;         // the Cookie header, or ""
  std::string_view csrf;           // the X-Trailhound-Request header, or ""
  std::string_view origin;         // the Origin header, or ""
  std::string_view host;           // the Host header, or ""
};

enum class AccessDecision {
  kAllow,
  kUnauthenticated,  // 401: no or wrong token / cookie
  kForbidden,        // 403: a state change without the CSRF header, or from another origin
};

class AccessControl {
 public:
  explicit AccessControl(Secret token);

  bool token_required() const { return !token_.empty(); }
  AccessDecision Check(const AccessRequest& request) const;
  // Whether the request proves the token (bearer or cookie); true when none is required.
  bool Authenticated(const AccessRequest& request) const;
  // Compares in constant time (digests of both), whatever the lengths.
  bool TokenMatches(std::string_view candidate) const;
  // The Set-Cookie value that logs a browser in / out.
  std::string SessionCookie() const;
  static std::string ClearedSessionCookie();
  // The reason for a refusal, for the JSON error body.
  static std::string_view Explain(AccessDecision decision);

 private:
  Secret token_;
  std::string session_value_;  // hex HMAC-SHA256(token, label); "" without a token
};

// Whether `path` needs the token (the API and /metrics, but not /api/health,
// /api/session or the UI's static files).
bool IsProtectedPath(std::string_view path);
// The value of cookie `name` in a Cookie header, or "".
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace trailhound::server
