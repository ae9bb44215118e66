#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

namespace trailhound::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kUpperHex = "0123456789ABCDEF";
constexpr std::string_view kLowerHex = "0123456789abcdef";
constexpr std::chrono::seconds kMaxPresignExpiry = std::chrono::hours(24 * 7);

// Lower-case names of the headers that are never signed (see sigv4.h).
constexpr std::array<std::string_view, 12> kUnsignedHeaders = {"authorization",
                                                               "connection",
                                                               "expect",
                                                               "keep-alive",
                                                               "proxy-authenticate",
                                                               "proxy-authorization",
                                                               "te",
                                                               "trailer",
                                                               "transfer-encoding",
                                                               "upgrade",
                                                               "user-agent",
                                                               "x-amzn-trace-id"};

using Digest = std::array<unsigned char, 32>;

// ---------------------------------------------------------------------------------------
// Characters and encoding.

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLower(x) == ToLower(y);
         });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendEncodedByte(unsigned char c, bool keep_slash, std::string& out) {
  if (IsUnreserved(c) || (keep_slash && c == '/')) {
    out += static_cast<char>(c);
  } else {
    out += '%';
    out += kUpperHex[c >> 4];
    out += kUpperHex[c & 0xF];
  }
}

void AppendUriEncoded(std::string_view input, bool keep_slash, std::string& out) {
  for (char c : input) AppendEncodedByte(static_cast<unsigned char>(c), keep_slash, out);
}

// Appends a query key or value as SigV4 signs it: percent-decoded ('+' is a space), then
// UriEncode()d. A '%' that does not start a valid escape stands for itself.
void AppendReencodedQueryPart(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == '+') {
      c = ' ';
    } else if (c == '%' && i + 2 < raw.size()) {
      const int hi = HexValue(raw[i + 1]);
      const int lo = HexValue(raw[i + 2]);
      if (hi >= 0 && lo >= 0) {
        c = static_cast<unsigned char>(hi * 16 + lo);
        i += 2;
      }
    }
    AppendEncodedByte(c, /*keep_slash=*/false, out);
  }
}

void AppendHex(const Digest& digest, std::string& out) {
  for (unsigned char b : digest) {
    out += kLowerHex[b >> 4];
    out += kLowerHex[b & 0xF];
  }
}

// Appends the header value trimmed, with each run of whitespace collapsed to one space.
void AppendTrimmedValue(std::string_view value, std::string& out) {
  bool pending_space = false;
  bool wrote = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = wrote;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
    wrote = true;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// ---------------------------------------------------------------------------------------
// Hashing (OpenSSL libcrypto).

bool Sha256(std::string_view data, Digest& out) {
  unsigned int length = 0;
  return EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr) == 1 &&
         length == out.size();
}

bool HmacSha256(std::string_view key, std::string_view data, Digest& out) {
  unsigned int length = 0;
  return HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
              &length) != nullptr &&
         length == out.size();
}

std::string_view AsView(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// ---------------------------------------------------------------------------------------
// URL.

struct UrlParts {
  std::string_view scheme;
  std::string_view host;  // without userinfo and port; IPv6 addresses keep their brackets
  std::string_view port;  // "" when absent
  std::string_view path;  // "" or starting with '/'
  std::string_view query;
  bool has_query = false;
  std::string_view before_fragment;  // the URL without "#fragment"
  std::string_view fragment;         // including '#', or ""
};

// `url` fit for an error message: without query, fragment and userinfo, which may carry
// credentials (a presigned URL's X-Amz-Security-Token, "user:password@").
std::string UrlForMessage(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t authority = scheme_end + 3;
  const size_t at = url.substr(0, url.find('/', authority)).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(url.substr(at + 1));
}

Result<UrlParts> ParseUrl(std::string_view url) {
  auto invalid = [url](std::string_view why) {
    return Status::InvalidArgument("Cannot sign request to \"" + UrlForMessage(url) +
                                   "\": " + std::string(why));
  };
  UrlParts parts;
  const size_t hash = url.find('#');
  parts.before_fragment = url.substr(0, hash);
  if (hash != std::string_view::npos) parts.fragment = url.substr(hash);
  std::string_view rest = parts.before_fragment;

  const size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return invalid("not an absolute URL");
  }
  parts.scheme = rest.substr(0, scheme_end);
  rest.remove_prefix(scheme_end + 3);

  const size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
    parts.host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("bad port");
      parts.port = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    parts.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) parts.port = authority.substr(colon + 1);
  }
  if (parts.host.empty() || parts.host == "[]") return invalid("no host");
  if (!std::all_of(parts.port.begin(), parts.port.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return invalid("bad port");
  }

  const size_t question = rest.find('?');
  parts.path = rest.substr(0, question);
  if (question != std::string_view::npos) {
    parts.has_query = true;
    parts.query = rest.substr(question + 1);
  }
  return parts;
}

// The Host header value for `url`: the host lower-cased, with a non-default port.
std::string HostHeaderValue(const UrlParts& url) {
  std::string host;
  host.reserve(url.host.size() + 1 + url.port.size());
  for (char c : url.host) host += ToLower(c);
  std::string_view port = url.port;
  while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  const bool default_port = port.empty() ||
                            (EqualsIgnoreCase(url.scheme, "http") && port == "80") ||
                            (EqualsIgnoreCase(url.scheme, "https") && port == "443");
  if (!default_port) {
    host += ':';
    host += port;
  }
  return host;
}

// ---------------------------------------------------------------------------------------
// Canonical request pieces.

void AppendCanonicalUri(std::string_view path, const SigningOptions& options, std::string& out) {
  const size_t start = out.size();
  auto append_piece = [&](std::string_view piece) {
    if (options.double_encode_path) {
      AppendUriEncoded(piece, /*keep_slash=*/true, out);
    } else {
      out += piece;
    }
  };
  if (!options.normalize_path) {
    append_piece(path);
  } else if (!path.empty()) {
    // Resolve "." and ".." and drop empty segments; the survivors are views into `path`.
    std::vector<std::string_view> segments;
    size_t pos = 0;
    while (pos <= path.size()) {
      size_t slash = path.find('/', pos);
      if (slash == std::string_view::npos) slash = path.size();
      const std::string_view segment = path.substr(pos, slash - pos);
      if (segment == "..") {
        if (!segments.empty()) segments.pop_back();
      } else if (!segment.empty() && segment != ".") {
        segments.push_back(segment);
      }
      pos = slash + 1;
    }
    if (path.front() == '/') out += '/';
    for (size_t i = 0; i < segments.size(); ++i) {
      if (i > 0) out += '/';
      append_piece(segments[i]);
    }
    if (path.back() == '/' && !segments.empty()) out += '/';
  }
  if (out.size() == start) out += '/';
}

struct QueryParam {
  std::string key;  // UriEncode()d
  std::string value;
  friend bool operator<(const QueryParam& a, const QueryParam& b) {
    return std::tie(a.key, a.value) < std::tie(b.key, b.value);
  }
};

void ParseQuery(std::string_view query, std::vector<QueryParam>& params) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view piece = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    QueryParam& param = params.emplace_back();
    AppendReencodedQueryPart(piece.substr(0, eq), param.key);
    if (eq != std::string_view::npos) AppendReencodedQueryPart(piece.substr(eq + 1), param.value);
  }
}

void AppendCanonicalQuery(std::vector<QueryParam>& params, std::string& out) {
  std::sort(params.begin(), params.end());
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += '&';
    out += params[i].key;
    out += '=';
    out += params[i].value;
  }
}

struct CanonicalHeaders {
  std::string lines;  // "name:value\n" for each signed header
  std::string names;  // "host;x-amz-date"
};

// `extra_host` (may be empty) is signed as the Host header of a request that has none.
CanonicalHeaders BuildCanonicalHeaders(const HttpHeaders& headers, std::string_view extra_host) {
  struct Entry {
    std::string name;  // lower-case
    std::string_view value;
  };
  std::vector<Entry> entries;
  entries.reserve(headers.size() + 1);
  for (const HttpHeader& header : headers) {
    Entry entry;
    entry.name.reserve(header.name.size());
    for (char c : Trim(header.name)) entry.name += ToLower(c);
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), entry.name) !=
        kUnsignedHeaders.end()) {
      continue;
    }
    entry.value = header.value;
    entries.push_back(std::move(entry));
  }
  if (!extra_host.empty()) entries.push_back(Entry{"host", extra_host});
  // Stable: the values of a repeated header keep their request order.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.name < b.name; });

  CanonicalHeaders result;
  for (size_t i = 0; i < entries.size(); ++i) {
    const bool repeat = i > 0 && entries[i].name == entries[i - 1].name;
    if (repeat) {
      result.lines += ',';
    } else {
      if (i > 0) {
        result.lines += '\n';
        result.names += ';';
      }
      result.lines += entries[i].name;
      result.lines += ':';
      result.names += entries[i].name;
    }
    AppendTrimmedValue(entries[i].value, result.lines);
  }
  if (!entries.empty()) result.lines += '\n';
  return result;
}

// The value of the first header called `name` (case-insensitive), or null.
const HttpHeader* FindHeaderEntry(const HttpHeaders& headers, std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoreCase(Trim(header.name), name)) return &header;
  }
  return nullptr;
}

void RemoveHeaders(HttpHeaders& headers, std::string_view name) {
  std::erase_if(headers,
                [name](const HttpHeader& h) { return EqualsIgnoreCase(Trim(h.name), name); });
}

// The payload line of the canonical request. A caller's x-amz-content-sha256 header wins
// unless `ignore_header`.
Status PayloadHash(const HttpRequest& request, const SigningOptions& options, bool ignore_header,
                   std::string& out) {
  if (!ignore_header) {
    if (const HttpHeader* header = FindHeaderEntry(request.headers, "x-amz-content-sha256")) {
      out = Trim(header->value);
      return Status::OK();
    }
  }
  if (options.payload == PayloadSigning::kUnsigned) {
    out = kUnsignedPayload;
  } else if (request.body.empty()) {
    out = kEmptySha256;
  } else {
    Digest digest;
    if (!Sha256(request.body, digest)) return Status::Internal("SHA-256 of the body failed");
    out.clear();
    AppendHex(digest, out);
  }
  return Status::OK();
}

// "YYYYMMDDTHHMMSSZ".
Result<std::string> FormatAmzDate(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss clock(seconds - day);
  const int year = static_cast<int>(date.year());
  if (year < 1970 || year > 9999) {
    return Status::InvalidArgument("Cannot sign a request dated outside 1970-9999");
  }
  std::string out(16, '0');
  auto put = [&out](size_t pos, size_t width, unsigned value) {
    for (size_t i = 0; i < width; ++i, value /= 10) {
      out[pos + width - 1 - i] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, 4, static_cast<unsigned>(year));
  put(4, 2, static_cast<unsigned>(date.month()));
  put(6, 2, static_cast<unsigned>(date.day()));
  out[8] = 'T';
  put(9, 2, static_cast<unsigned>(clock.hours().count()));
  put(11, 2, static_cast<unsigned>(clock.minutes().count()));
  put(13, 2, static_cast<unsigned>(clock.seconds().count()));
  out[15] = 'Z';
  return out;
}

Status ValidateArguments(const Credentials& credentials, const SigningOptions& options) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::InvalidArgument("Cannot sign a request without an access key and secret");
  }
  if (options.region.empty() || options.service.empty()) {
    return Status::InvalidArgument("Cannot sign a request without a region and service");
  }
  return Status::OK();
}

// Everything a signature needs, computed before anything is written to the request.
struct Prepared {
  UrlParts url;
  std::string amz_date;
  std::string credential_scope;
};

Result<Prepared> Prepare(std::string_view url, const Credentials& credentials,
                         const SigningOptions& options) {
  TH_RETURN_IF_ERROR(ValidateArguments(credentials, options));
  Prepared prepared;
  TH_ASSIGN_OR_RETURN(prepared.url, ParseUrl(url));
  TH_ASSIGN_OR_RETURN(prepared.amz_date, FormatAmzDate(options.time));
  std::string& scope = prepared.credential_scope;
  scope.reserve(8 + options.region.size() + options.service.size() + 16);
  scope.append(prepared.amz_date, 0, 8);
  scope += '/';
  scope += options.region;
  scope += '/';
  scope += options.service;
  scope += "/aws4_request";
  return prepared;
}

// Fills canonical_request, string_to_sign and signature of `stages` from the pieces.
Status Sign(std::string_view method, const Prepared& prepared, std::string_view canonical_query,
            const CanonicalHeaders& headers, std::string_view payload_hash,
            const Credentials& credentials, const SigningOptions& options,
            SignatureStages& stages) {
  std::string& request = stages.canonical_request;
  request.clear();
  request.reserve(method.size() + prepared.url.path.size() * 3 + canonical_query.size() +
                  headers.lines.size() + headers.names.size() + payload_hash.size() + 8);
  request += method;
  request += '\n';
  AppendCanonicalUri(prepared.url.path, options, request);
  request += '\n';
  request += canonical_query;
  request += '\n';
  request += headers.lines;
  request += '\n';
  request += headers.names;
  request += '\n';
  request += payload_hash;

  Digest digest;
  if (!Sha256(request, digest)) return Status::Internal("SHA-256 of the canonical request failed");
  std::string& to_sign = stages.string_to_sign;
  to_sign.clear();
  to_sign += kAlgorithm;
  to_sign += '\n';
  to_sign += prepared.amz_date;
  to_sign += '\n';
  to_sign += prepared.credential_scope;
  to_sign += '\n';
  AppendHex(digest, to_sign);

  // kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
  std::string secret = "AWS4" + credentials.secret_access_key.Reveal();
  Digest key;
  const bool ok = HmacSha256(secret, std::string_view(prepared.amz_date).substr(0, 8), key) &&
                  HmacSha256(AsView(key), options.region, key) &&
                  HmacSha256(AsView(key), options.service, key) &&
                  HmacSha256(AsView(key), "aws4_request", key) &&
                  HmacSha256(AsView(key), to_sign, digest);
  OPENSSL_cleanse(secret.data(), secret.size());
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) return Status::Internal("HMAC-SHA256 failed while signing");
  stages.signature.clear();
  AppendHex(digest, stages.signature);
  stages.signed_headers = headers.names;
  stages.credential_scope = prepared.credential_scope;
  return Status::OK();
}

}  // namespace

std::string UriEncode(std::string_view input, bool keep_slash) {
  std::string out;
  out.reserve(input.size());
  AppendUriEncoded(input, keep_slash, out);
  return out;
}

Result<SignatureStages> SignRequest(HttpRequest& request, const Credentials& credentials,
                                    const SigningOptions& options) {
  TH_ASSIGN_OR_RETURN(const Prepared prepared, Prepare(request.url, credentials, options));
  const std::string& token = credentials.session_token.Reveal();

  std::string payload_hash;
  TH_RETURN_IF_ERROR(
      PayloadHash(request, options, options.add_content_sha256_header, payload_hash));

  // From here on the request changes. Views into its headers are taken afterwards.
  HttpHeaders& headers = request.headers;
  RemoveHeaders(headers, "authorization");
  RemoveHeaders(headers, "x-amz-date");
  if (!token.empty()) RemoveHeaders(headers, "x-amz-security-token");
  if (options.add_content_sha256_header) RemoveHeaders(headers, "x-amz-content-sha256");
  if (FindHeaderEntry(headers, "host") == nullptr) {
    headers.push_back({"Host", HostHeaderValue(prepared.url)});
  }
  if (!token.empty() && !options.omit_session_token) {
    headers.push_back({"X-Amz-Security-Token", token});
  }
  headers.push_back({"X-Amz-Date", prepared.amz_date});
  if (options.add_content_sha256_header) {
    headers.push_back({"x-amz-content-sha256", payload_hash});
  }

  std::vector<QueryParam> params;
  ParseQuery(prepared.url.query, params);
  std::string canonical_query;
  AppendCanonicalQuery(params, canonical_query);
  const CanonicalHeaders canonical_headers = BuildCanonicalHeaders(headers, {});

  SignatureStages stages;
  TH_RETURN_IF_ERROR(Sign(request.method, prepared, canonical_query, canonical_headers,
                          payload_hash, credentials, options, stages));

  std::string& authorization = stages.authorization;
  authorization.reserve(kAlgorithm.size() + credentials.access_key_id.size() +
                        stages.credential_scope.size() + stages.signed_headers.size() + 100);
  authorization += kAlgorithm;
  authorization += " Credential=";
  authorization += credentials.access_key_id;
  authorization += '/';
  authorization += stages.credential_scope;
  authorization += ", SignedHeaders=";
  authorization += stages.signed_headers;
  authorization += ", Signature=";
  authorization += stages.signature;

  if (!token.empty() && options.omit_session_token) {
    headers.push_back({"X-Amz-Security-Token", token});
  }
  headers.push_back({"Authorization", authorization});
  return stages;
}

Result<std::string> PresignUrl(const HttpRequest& request, const Credentials& credentials,
                               const SigningOptions& options, std::chrono::seconds expires,
                               SignatureStages* stages_out) {
  if (expires < std::chrono::seconds(1) || expires > kMaxPresignExpiry) {
    return Status::InvalidArgument("Cannot presign \"" + UrlForMessage(request.url) + "\" for " +
                                   std::to_string(expires.count()) +
                                   " s: the expiry must be 1 s to 7 days");
  }
  TH_ASSIGN_OR_RETURN(const Prepared prepared, Prepare(request.url, credentials, options));
  const std::string& token = credentials.session_token.Reveal();

  std::string payload_hash;
  TH_RETURN_IF_ERROR(PayloadHash(request, options, /*ignore_header=*/false, payload_hash));

  std::string host;
  if (FindHeaderEntry(request.headers, "host") == nullptr) host = HostHeaderValue(prepared.url);
  const CanonicalHeaders canonical_headers = BuildCanonicalHeaders(request.headers, host);

  // The authentication parameters, encoded, in the order they are appended to the URL.
  std::string credential = credentials.access_key_id;
  credential += '/';
  credential += prepared.credential_scope;
  std::vector<QueryParam> auth = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", UriEncode(credential, false)},
      {"X-Amz-Date", prepared.amz_date},
      {"X-Amz-SignedHeaders", UriEncode(canonical_headers.names, false)},
      {"X-Amz-Expires", std::to_string(expires.count())},
  };
  // With omit_session_token the token (last) is appended to the URL but not signed.
  size_t signed_auth = auth.size();
  if (!token.empty()) {
    auth.push_back({"X-Amz-Security-Token", UriEncode(token, false)});
    if (!options.omit_session_token) ++signed_auth;
  }

  std::vector<QueryParam> params;
  ParseQuery(prepared.url.query, params);
  params.insert(params.end(), auth.begin(), auth.begin() + static_cast<ptrdiff_t>(signed_auth));
  std::string canonical_query;
  AppendCanonicalQuery(params, canonical_query);

  SignatureStages stages;
  TH_RETURN_IF_ERROR(Sign(request.method, prepared, canonical_query, canonical_headers,
                          payload_hash, credentials, options, stages));

  std::string url;
  url.reserve(request.url.size() + canonical_query.size() + 100);
  url += prepared.url.before_fragment;
  if (!prepared.url.has_query) {
    url += '?';
  } else if (!url.ends_with('?') && !url.ends_with('&')) {
    url += '&';
  }
  for (const QueryParam& param : auth) {
    url += param.key;
    url += '=';
    url += param.value;
    url += '&';
  }
  url += "X-Amz-Signature=";
  url += stages.signature;
  url += prepared.url.fragment;

  if (stages_out != nullptr) *stages_out = std::move(stages);
  return url;
}

}  // namespace trailhound::aws
