// AWS Signature Version 4: Authorization-header signing and presigned URLs.
// Each stage (canonical request, string to sign, signature) is exposed so that
// tests can check it against the AWS test suite byte for byte.
// S3 differs from other services: its path is encoded once (as sent) and never
// normalized, and it signs `x-amz-content-sha256` (often UNSIGNED-PAYLOAD).
// Errors: kInvalidArgument for a request that cannot be signed (bad URL).
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http.h"
#include "core/result.h"

namespace trailhound::aws {

// How the request is canonicalised (the AWS rules, as the AWS test suites and botocore
// apply them):
// - Path: "" signs as "/". With `normalize_path`, empty and "." segments are dropped and
//   ".." removes the segment before it; a trailing '/' survives only when the path ends
//   with '/' ("/a/." becomes "/a", as botocore does). With `double_encode_path` the path
//   is UriEncode()d as it stands in the URL ("%20" signs as "%2520"); without it the path
//   is signed exactly as given, so an S3 key must already be UriEncode(key, true)d.
// - Query: each '&'-separated parameter is percent-decoded ('+' decodes to a space, as in
//   form encoding), UriEncode()d again and sorted by encoded key, then encoded value; a
//   parameter without '=' has an empty value and empty pieces ("a=1&&b=2") are skipped.
// - Headers: names lower-cased; values trimmed with every run of whitespace (including the
//   line breaks of folded values) collapsed to one space; repeated names joined with ','
//   in request order. Never signed, because proxies and HTTP clients add or rewrite them:
//   Authorization, Connection, Expect, Keep-Alive, Proxy-Authenticate,
//   Proxy-Authorization, TE, Trailer, Transfer-Encoding, Upgrade, User-Agent,
//   X-Amzn-Trace-Id.
// - Host: the request's Host header, else the URL's host lower-cased, with its port unless
//   it is the scheme's default (http 80, https 443).

enum class PayloadSigning {
  kSignBody,  // hex SHA-256 of the body
  kUnsigned,  // the literal "UNSIGNED-PAYLOAD" (S3 only)
};

struct SigningOptions {
  std::string region;                          // credential scope region, e.g. "ap-northeast-3"
  std::string service;                         // credential scope service, e.g. "sqs", "s3", "sts"
  std::chrono::system_clock::time_point time;  // X-Amz-Date
  // Remove "." and ".." segments and duplicate slashes from the path (false for S3).
  bool normalize_path = true;
  // Percent-encode the already-encoded path once more (false for S3).
  bool double_encode_path = true;
  PayloadSigning payload = PayloadSigning::kSignBody;
  // Add and sign the x-amz-content-sha256 header (S3 requires it), replacing any present.
  // Without it, an x-amz-content-sha256 header the caller set (a precomputed hash of a
  // large body) is signed and used as the payload hash as is. Ignored by PresignUrl.
  bool add_content_sha256_header = false;
  // Sign without the session token and append it afterwards (a few services' presigning).
  bool omit_session_token = false;
};

struct SignatureStages {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;         // lower-case hex
  std::string signed_headers;    // "host;x-amz-date"
  std::string credential_scope;  // "20150830/us-east-1/service/aws4_request"
  std::string authorization;     // the Authorization header value (header signing only)
};

// Signs `request` in place: adds X-Amz-Date, Host (when absent), X-Amz-Security-Token
// (with a session token), x-amz-content-sha256 (when asked) and Authorization. Headers of
// those names that are already present are replaced, so a retried request can be signed
// again. The request is left untouched when the arguments are invalid.
Result<SignatureStages> SignRequest(HttpRequest& request, const Credentials& credentials,
                                    const SigningOptions& options);

// The presigned form of `request`: its URL plus X-Amz-Algorithm, X-Amz-Credential,
// X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires, (X-Amz-Security-Token) and
// X-Amz-Signature query parameters. `stages` (may be null) receives each stage.
// Every header of `request` (see above) is signed, so the URL must be used with them.
// The payload follows `options.payload`: S3 presigned URLs use kUnsigned.
// REQUIRES: 1 s <= expires <= 7 days (AWS's limit), else kInvalidArgument.
Result<std::string> PresignUrl(const HttpRequest& request, const Credentials& credentials,
                               const SigningOptions& options, std::chrono::seconds expires,
                               SignatureStages* stages = nullptr);

// Percent-encoding as SigV4 defines it: every byte except A-Z a-z 0-9 - _ . ~ is
// encoded as %XX (upper-case hex); '/' is kept when `keep_slash`.
std::string UriEncode(std::string_view input, bool keep_slash);

}  // namespace trailhound::aws
