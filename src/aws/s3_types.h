// The values S3Client takes and returns: object metadata, list requests and
// pages, byte ranges, upload options. Plain value types, safe to copy and to
// move between threads; they own all their strings.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trailhound::aws {

// What GetObject and HeadObject report about an object.
struct S3ObjectInfo {
  // The whole object's size (from Content-Range for a ranged GetObject).
  uint64_t size_bytes = 0;
  // The bytes in this response's body (the range's length for a ranged GetObject).
  uint64_t content_length_bytes = 0;
  std::string etag{};  // without the surrounding quotes
  std::string content_type{};
  std::string content_encoding{};  // "gzip" when the uploader set it; often absent
  std::optional<std::chrono::system_clock::time_point> last_modified{};
};

// Bytes `first` to `last` inclusive, or from `first` to the end when `last` is absent.
struct S3ByteRange {
  uint64_t first = 0;
  std::optional<uint64_t> last{};
};

struct S3GetOptions {
  // Only these bytes of the object (HTTP Range); the whole object when absent.
  std::optional<S3ByteRange> range{};
};

struct S3PutOptions {
  // Always sent: some emulators reject a PUT without one.
  std::string content_type = "application/octet-stream";
  // Stored and returned on GetObject, e.g. "gzip"; not sent when empty.
  std::string content_encoding{};
};

struct S3ListRequest {
  std::string bucket{};
  // Only keys that start with this.
  std::string prefix{};
  // Roll keys up to the first delimiter after the prefix into common_prefixes ("/" for folders).
  std::string delimiter{};
  // Only keys after this one (lexicographically); used by the first page only.
  std::string start_after{};
  // The previous page's next_continuation_token; "" for the first page.
  std::string continuation_token{};
  // Keys per page, 1 to 1000; 0 lets S3 choose (1000).
  int max_keys = 0;
};

struct S3ListedObject {
  std::string key{};  // decoded
  uint64_t size_bytes = 0;
  std::string etag{};  // without the surrounding quotes
  std::optional<std::chrono::system_clock::time_point> last_modified{};
  std::string storage_class{};  // "STANDARD", "GLACIER", ...
};

struct S3ListPage {
  std::vector<S3ListedObject> objects{};
  std::vector<std::string> common_prefixes{};
  // More keys follow; pass next_continuation_token to get them.
  bool is_truncated = false;
  std::string next_continuation_token{};
};

}  // namespace trailhound::aws
