#include "aws/s3_response.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <pugixml.hpp>

namespace trailhound::aws {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

template <typename Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Exactly `n` decimal digits at `pos`.
std::optional<int> Digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  std::string_view part = text.substr(pos, n);
  for (char c : part) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return ParseInt<int>(part);
}

std::optional<TimePoint> MakeTime(int year, int month, int day, int hour, int minute, int second) {
  namespace chr = std::chrono;
  chr::year_month_day date{chr::year(year), chr::month(static_cast<unsigned>(month)),
                           chr::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return TimePoint(chr::sys_days(date)) + chr::hours(hour) + chr::minutes(minute) +
         chr::seconds(second);
}

std::string StripQuotes(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status NotS3(std::string_view what, std::string_view reason) {
  return Status::Corruption(fmt::format("Unexpected {} document: {}", what, reason));
}

}  // namespace

Result<S3ListPage> ParseListObjectsV2(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return NotS3("ListObjectsV2", "not XML");
  pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) return NotS3("ListObjectsV2", "no <ListBucketResult>");
  const bool url_encoded = std::string_view(root.child_value("EncodingType")) == "url";
  auto decoded = [url_encoded](const char* text) {
    return url_encoded ? S3UrlDecode(text) : std::string(text);
  };

  S3ListPage page;
  page.is_truncated = std::string_view(root.child_value("IsTruncated")) == "true";
  page.next_continuation_token = root.child_value("NextContinuationToken");
  for (pugi::xml_node contents : root.children("Contents")) {
    S3ListedObject object;
    object.key = decoded(contents.child_value("Key"));
    if (object.key.empty()) return NotS3("ListObjectsV2", "a <Contents> without a <Key>");
    object.size_bytes = ParseInt<uint64_t>(contents.child_value("Size")).value_or(0);
    object.etag = StripQuotes(contents.child_value("ETag"));
    object.last_modified = ParseIso8601Time(contents.child_value("LastModified"));
    object.storage_class = contents.child_value("StorageClass");
    page.objects.push_back(std::move(object));
  }
  for (pugi::xml_node prefixes : root.children("CommonPrefixes")) {
    page.common_prefixes.push_back(decoded(prefixes.child_value("Prefix")));
  }
  if (page.is_truncated && page.next_continuation_token.empty()) {
    return NotS3("ListObjectsV2", "truncated without a <NextContinuationToken>");
  }
  return page;
}

Result<std::string> ParseBucketLocation(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return NotS3("GetBucketLocation", "not XML");
  pugi::xml_node root = doc.child("LocationConstraint");
  if (!root) return NotS3("GetBucketLocation", "no <LocationConstraint>");
  std::string_view location = root.child_value();
  if (location.empty()) return std::string("us-east-1");
  if (location == "EU") return std::string("eu-west-1");
  return std::string(location);
}

std::string WrongRegionHint(const HttpResponse& response, std::string_view current_region) {
  std::string region(response.Header("x-amz-bucket-region"));
  if (region.empty() && !response.body.empty()) {
    pugi::xml_document doc;
    if (doc.load_buffer(response.body.data(), response.body.size())) {
      region = doc.child("Error").child_value("Region");
    }
  }
  return region == current_region ? std::string() : region;
}

S3ObjectInfo ParseObjectInfo(const HttpResponse& response) {
  S3ObjectInfo info;
  info.content_length_bytes = ParseInt<uint64_t>(response.Header("Content-Length")).value_or(0);
  info.size_bytes = info.content_length_bytes;
  // "bytes 0-99/1234" (or "bytes */1234"): the total follows the '/'.
  std::string_view range = response.Header("Content-Range");
  if (size_t slash = range.rfind('/'); slash != std::string_view::npos) {
    if (auto total = ParseInt<uint64_t>(range.substr(slash + 1))) info.size_bytes = *total;
  }
  info.etag = StripQuotes(response.Header("ETag"));
  info.content_type = response.Header("Content-Type");
  info.content_encoding = response.Header("Content-Encoding");
  info.last_modified = ParseHttpDate(response.Header("Last-Modified"));
  return info;
}

std::optional<TimePoint> ParseIso8601Time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z]
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  auto hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  auto time = MakeTime(*year, *month, *day, *hour, *minute, *second);
  if (!time) return std::nullopt;
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    int64_t millis = 0;
    int digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
    *time += std::chrono::milliseconds(millis);
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return std::nullopt;
  return time;
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  // "Wed, 12 Oct 2009 17:50:00 GMT": the day name is ignored.
  size_t comma = text.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  text.remove_prefix(comma + 2);
  if (text.size() != 24 || text[2] != ' ' || text[6] != ' ' || text[11] != ' ' || text[14] != ':' ||
      text[17] != ':' || text.substr(20) != " GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (text.substr(3, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  auto day = Digits(text, 0, 2), year = Digits(text, 7, 4);
  auto hour = Digits(text, 12, 2), minute = Digits(text, 15, 2), second = Digits(text, 18, 2);
  if (month == 0 || !day || !year || !hour || !minute || !second) return std::nullopt;
  return MakeTime(*year, month, *day, *hour, *minute, *second);
}

std::string S3UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace trailhound::aws
