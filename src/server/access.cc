#include "server/access.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>

namespace trailhound::server {

namespace {

constexpr std::string_view kSessionLabel = "trailhound-session-v1";

std::array<unsigned char, SHA256_DIGEST_LENGTH> Digest(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

bool EqualConstantTime(std::string_view a, std::string_view b) {
  auto da = Digest(a);
  auto db = Digest(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

bool ChangesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// "http://host:port" or "https://host:port" → "host:port".
std::string_view OriginHost(std::string_view origin) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme)) return origin.substr(scheme.size());
  }
  return {};
}

}  // namespace

AccessControl::AccessControl(Secret token) : token_(std::move(token)) {
  if (token_.empty()) return;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const std::string& key = token_.Reveal();
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(kSessionLabel.data()), kSessionLabel.size(), mac,
       &length);
  session_value_ = Hex(mac, length);
}

bool IsProtectedPath(std::string_view path) {
  if (path == "/api/health" || path == "/api/session") return false;
  return path == "/api" || path.starts_with("/api/") || path == "/metrics";
}

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
  }
  return {};
}

bool AccessControl::TokenMatches(std::string_view candidate) const {
  return !token_.empty() && EqualConstantTime(candidate, token_.Reveal());
}

bool AccessControl::Authenticated(const AccessRequest& request) const {
  if (token_.empty()) return true;
  constexpr std::string_view kBearer = "Bearer ";
  if (request.authorization.starts_with(kBearer) &&
      TokenMatches(request.authorization.substr(kBearer.size()))) {
    return true;
  }
  std::string_view cookie = CookieValue(request.cookie, kSessionCookie);
  return !cookie.empty() && EqualConstantTime(cookie, session_value_);
}

AccessDecision AccessControl::Check(const AccessRequest& request) const {
  if (ChangesState(request.method)) {
    if (request.csrf != "1") return AccessDecision::kForbidden;
    if (!request.origin.empty() && OriginHost(request.origin) != request.host) {
      return AccessDecision::kForbidden;
    }
  }
  if (IsProtectedPath(request.path) && !Authenticated(request)) {
    return AccessDecision::kUnauthenticated;
  }
  return AccessDecision::kAllow;
}

std::string AccessControl::SessionCookie() const {
  return std::string(kSessionCookie) + "=" + session_value_ + "; Path=/; HttpOnly; SameSite=Strict";
}

std::string AccessControl::ClearedSessionCookie() {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

std::string_view AccessControl::Explain(AccessDecision decision) {
  switch (decision) {
    case AccessDecision::kAllow:
      return "";
    case AccessDecision::kUnauthenticated:
      return "this server requires a token: send 'Authorization: Bearer <token>' or log in "
             "through the web UI";
    case AccessDecision::kForbidden:
      return "requests that change state need the header 'X-Trailhound-Request: 1' and must "
             "come from this server's own pages";
  }
  return "";
}

}  // namespace trailhound::server
