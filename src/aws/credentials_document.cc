#include "aws/credentials_document.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace trailhound::aws {
namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
bool ReadNumber(std::string_view text, size_t& pos, size_t digits, int& out) {
  if (pos + digits > text.size()) return false;
  const char* begin = text.data() + pos;
  auto [ptr, ec] = std::from_chars(begin, begin + digits, out);
  if (ec != std::errc() || ptr != begin + digits) return false;
  pos += digits;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::string StringField(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseAwsTimestamp(std::string_view text) {
  using namespace std::chrono;
  auto bad = [&] {
    return Status::Corruption(fmt::format("'{}' is not an ISO-8601 timestamp", text));
  };
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!ReadNumber(text, pos, 4, y) || !Expect(text, pos, '-') || !ReadNumber(text, pos, 2, mo) ||
      !Expect(text, pos, '-') || !ReadNumber(text, pos, 2, d)) {
    return bad();
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return bad();
  }
  ++pos;
  if (!ReadNumber(text, pos, 2, h) || !Expect(text, pos, ':') || !ReadNumber(text, pos, 2, mi) ||
      !Expect(text, pos, ':') || !ReadNumber(text, pos, 2, s)) {
    return bad();
  }
  nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!ReadNumber(text, pos, 2, oh) || !Expect(text, pos, ':') || !ReadNumber(text, pos, 2, om)) {
      return bad();
    }
    offset = minutes(sign * (oh * 60 + om));
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();
  year_month_day date{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return bad();
  auto time = sys_days(date) + hours(h) + minutes(mi) + seconds(s) + fraction - offset;
  return time_point_cast<system_clock::duration>(time);
}

std::string FormatAwsTimestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto secs = floor<seconds>(time);
  auto days = floor<std::chrono::days>(secs);
  year_month_day date{days};
  hh_mm_ss<seconds> tod{secs - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count());
}

Result<Credentials> ParseCredentialsJson(std::string_view body, std::string_view what,
                                         std::string_view source) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    // The body may hold a secret; report only its size.
    return Status::Corruption(fmt::format("{} is not a JSON object ({} bytes)", what, body.size()));
  }
  // IMDS reports failures in "Code"; ECS error bodies carry "code"/"message".
  std::string code = StringField(doc, "Code");
  if (!code.empty() && code != "Success") {
    return Status::Unavailable(
        fmt::format("{} reports Code '{}': {}", what, code, StringField(doc, "Message")));
  }
  Credentials credentials;
  credentials.access_key_id = StringField(doc, "AccessKeyId");
  credentials.secret_access_key = Secret(StringField(doc, "SecretAccessKey"));
  credentials.session_token = Secret(StringField(doc, "Token"));
  credentials.source = std::string(source);
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    std::string error_code = StringField(doc, "code");
    std::string message = StringField(doc, "message");
    if (!error_code.empty() || !message.empty()) {
      return Status::Unavailable(
          fmt::format("{} answered an error: {} {}", what, error_code, message));
    }
    return Status::Corruption(fmt::format("{} has no AccessKeyId or SecretAccessKey field", what));
  }
  std::string expiration = StringField(doc, "Expiration");
  if (!expiration.empty()) {
    auto time = ParseAwsTimestamp(expiration);
    if (!time.ok()) return time.status().Annotate(fmt::format("{}: Expiration", what));
    credentials.expiration = *time;
  }
  return credentials;
}

}  // namespace trailhound::aws
