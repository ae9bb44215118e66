#include "server/access.h"

#include <gtest/gtest.h>

namespace trailhound::server {
namespace {

AccessRequest Request(std::string_view method, std::string_view path) {
  AccessRequest request;
  request.method = method;
  request.path = path;
  return request;
}
AccessRequest Get(std::string_view path) { return Request("GET", path); }

TEST(Access, WithoutATokenEverythingReadsButStateChangesNeedTheCsrfHeader) {
  AccessControl open{Secret()};
  EXPECT_FALSE(open.token_required());
  EXPECT_EQ(open.Check(Get("/api/search")), AccessDecision::kAllow);
  AccessRequest post = Request("POST", "/api/session");
  EXPECT_EQ(open.Check(post), AccessDecision::kForbidden);
  post.csrf = "1";
  EXPECT_EQ(open.Check(post), AccessDecision::kAllow);
}

TEST(Access, ProtectedPaths) {
  EXPECT_TRUE(IsProtectedPath("/api/search"));
  EXPECT_TRUE(IsProtectedPath("/api/sources/x"));
  EXPECT_TRUE(IsProtectedPath("/metrics"));
  EXPECT_TRUE(IsProtectedPath("/api"));
  EXPECT_FALSE(IsProtectedPath("/api/health"));
  EXPECT_FALSE(IsProtectedPath("/api/session"));
  EXPECT_FALSE(IsProtectedPath("/"));
  EXPECT_FALSE(IsProtectedPath("/js/app.js"));
  EXPECT_FALSE(IsProtectedPath("/apis"));
}

TEST(Access, BearerOrCookieProveTheToken) {
  AccessControl access{Secret("t0ken")};
  AccessRequest request = Get("/api/search");
  EXPECT_EQ(access.Check(request), AccessDecision::kUnauthenticated);
  request.authorization = "Bearer t0ken";
  EXPECT_EQ(access.Check(request), AccessDecision::kAllow);
  request.authorization = "Bearer t0ke";
  EXPECT_EQ(access.Check(request), AccessDecision::kUnauthenticated);
  request.authorization = "Basic t0ken";
  EXPECT_EQ(access.Check(request), AccessDecision::kUnauthenticated);
  request.authorization = "";
  std::string cookie = access.SessionCookie();
  std::string pair = cookie.substr(0, cookie.find(';'));
  std::string header = "theme=dark; " + pair + "; other=1";
  request.cookie = header;
  EXPECT_EQ(access.Check(request), AccessDecision::kAllow);
  // A cookie of another token does not work.
  AccessControl other{Secret("another")};
  std::string other_cookie = other.SessionCookie();
  std::string other_pair = other_cookie.substr(0, other_cookie.find(';'));
  request.cookie = other_pair;
  EXPECT_EQ(access.Check(request), AccessDecision::kUnauthenticated);
}

TEST(Access, StateChangesFromAnotherOriginAreForbidden) {
  AccessControl access{Secret("t0ken")};
  AccessRequest request = Request("DELETE", "/api/session");
  request.csrf = "1";
  request.host = "127.0.0.1:8080";
  request.origin = "http://127.0.0.1:8080";
  EXPECT_EQ(access.Check(request), AccessDecision::kAllow);
  request.origin = "http://attacker.example";
  EXPECT_EQ(access.Check(request), AccessDecision::kForbidden);
  request.origin = "null";
  EXPECT_EQ(access.Check(request), AccessDecision::kForbidden);
}

TEST(Access, CookieValueFindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("a=1; trailhound_session=xyz; b=2", "trailhound_session"), "xyz");
  EXPECT_EQ(CookieValue("trailhound_session_x=1", "trailhound_session"), "");
  EXPECT_EQ(CookieValue("", "trailhound_session"), "");
}

}  // namespace
}  // namespace trailhound::server
