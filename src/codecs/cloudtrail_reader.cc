#include "codecs/cloudtrail_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <utility>

#include "codecs/records_splitter.h"
#include "codecs/utf8.h"

namespace trailhound::codecs {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr std::string_view kInsightEventType = "AwsCloudTrailInsight";

// Root keys that only digest files have.
bool IsDigestKey(std::string_view key) {
  return key == "digestStartTime" || key == "digestEndTime" || key == "digestS3Bucket" ||
         key == "digestS3Object" || key == "digestPublicKeyFingerprint" || key == "logFiles";
}

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. Checked on the raw text
// (not by converting) so that big integers and out-of-range exponents, which are valid JSON,
// are accepted; the store keeps the verbatim text anyway.
bool IsJsonNumber(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);  // raw_json_token includes the whitespace after the token
  }
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

simdjson::error_code ValidateValue(ondemand::value value);

// Visits every field; `on_field` sees each key and decides how to validate its value.
template <typename OnField>
simdjson::error_code ValidateFields(ondemand::object object, OnField on_field) {
  for (auto field_result : object) {
    ondemand::field field;
    if (auto error = std::move(field_result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    if (auto error = on_field(key, field.value())) return error;
  }
  return simdjson::SUCCESS;
}

// Walks the whole value: on-demand parsing only validates what is visited.
simdjson::error_code ValidateValue(ondemand::value value) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      return ValidateFields(object,
                            [](std::string_view, ondemand::value v) { return ValidateValue(v); });
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value v;
        if (auto error = std::move(element).get(v)) return error;
        if (auto error = ValidateValue(v)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: {
      std::string_view s;
      return value.get_string().get(s);  // decodes escapes, so bad escapes fail here
    }
    case ondemand::json_type::number:
      return IsJsonNumber(value.raw_json_token()) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    case ondemand::json_type::boolean: {
      bool b;
      return value.get_bool().get(b);
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

}  // namespace

struct CloudTrailReader::Impl final : RecordsSplitter::Handler {
  Impl(std::string name, const CloudTrailReaderOptions& opts, CloudTrailRecordCallback cb)
      : source_name(std::move(name)),
        options(opts),
        callback(std::move(cb)),
        key_kind(ClassifyCloudTrailKey(source_name).kind),
        parser(std::max<size_t>(opts.max_record_bytes, 4096)),
        splitter(source_name, opts.max_record_bytes, simdjson::SIMDJSON_PADDING, this),
        decompressor(source_name, opts.decompress,
                     [this](std::string_view decoded) { return splitter.Feed(decoded); }) {}

  Status OnRecord(std::string_view text, uint64_t index, uint64_t offset) override {
    bool is_insight = false;
    size_t error_at = 0;  // offset of the error within the record
    const simdjson::error_code error = Validate(text, &is_insight, &error_at);
    if (error) {
      return SkipOrStop(Status::Corruption(fmt::format(
          "Invalid CloudTrail record {} in {} at decoded byte {} (the record starts at byte {}): "
          "{}",
          index, source_name, offset + error_at, offset, simdjson::error_message(error))));
    }
    Status s = callback(CloudTrailRecord{text, index, offset, is_insight});
    if (!s.ok()) return s;
    saw_insight = saw_insight || is_insight;
    ++stats.records_delivered;
    return Status::OK();
  }

  Status OnOversizedRecord(uint64_t index, uint64_t offset) override {
    return SkipOrStop(Status::ResourceExhausted(
        fmt::format("CloudTrail record {} in {} at decoded byte {} is larger than "
                    "max_record_bytes ({} bytes)",
                    index, source_name, offset, options.max_record_bytes)));
  }

  void OnTopLevelKey(std::string_view key) override {
    saw_digest_key = saw_digest_key || IsDigestKey(key);
  }

  // Validates the whole record and finds its eventType. On error, `*error_at` is the best
  // known offset of the problem inside `text` (0 when simdjson does not say).
  simdjson::error_code Validate(std::string_view text, bool* is_insight, size_t* error_at) {
    ondemand::document doc;
    simdjson::error_code error =
        parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc);
    if (!error) {
      ondemand::object root;
      error = doc.get_object().get(root);
      if (!error) {
        error = ValidateFields(root, [&](std::string_view key, ondemand::value v) {
          if (key != "eventType") return ValidateValue(v);
          ondemand::json_type type;
          if (auto e = v.type().get(type)) return e;
          if (type != ondemand::json_type::string) return ValidateValue(v);
          std::string_view event_type;
          if (auto e = v.get_string().get(event_type)) return e;
          *is_insight = event_type == kInsightEventType;
          return simdjson::SUCCESS;
        });
      }
      const char* at = nullptr;
      if (error && doc.current_location().get(at) == simdjson::SUCCESS && at >= text.data() &&
          at <= text.data() + text.size()) {
        *error_at = static_cast<size_t>(at - text.data());
      }
    }
    if (error == simdjson::UTF8_ERROR) {
      const size_t bad = FindInvalidUtf8(text);
      if (bad != std::string_view::npos) *error_at = bad;
    }
    return error;
  }

  Status SkipOrStop(Status status) {
    ++stats.records_invalid;
    if (!options.skip_invalid_records) return status;
    if (first_invalid.ok()) first_invalid = std::move(status);
    return Status::OK();
  }

  void UpdateStats() {
    stats.compressed_bytes = decompressor.compressed_bytes();
    stats.decoded_bytes = decompressor.decoded_bytes();
    stats.gzip = decompressor.encoding() == ContentEncoding::kGzip;
    if (splitter.saw_records_array()) {
      stats.kind = saw_insight || key_kind == CloudTrailObjectKind::kInsight
                       ? CloudTrailObjectKind::kInsight
                       : CloudTrailObjectKind::kLog;
    }
  }

  Status Finish() {
    Status s = decompressor.Finish();
    if (s.ok()) s = splitter.Finish();
    UpdateStats();
    if (!s.ok()) return s;
    if (!splitter.saw_records_array()) {
      if (saw_digest_key || key_kind == CloudTrailObjectKind::kDigest) {
        stats.kind = CloudTrailObjectKind::kDigest;
        return Status::OK();
      }
      return Status::Corruption(
          fmt::format("{} is not a CloudTrail log file: its root object has no \"Records\" array",
                      source_name));
    }
    if (!first_invalid.ok()) {
      return Status(
          first_invalid.code(),
          fmt::format("{} ({} of {} records skipped, {} delivered)", first_invalid.message(),
                      stats.records_invalid, splitter.records_seen(), stats.records_delivered));
    }
    return Status::OK();
  }

  const std::string source_name;
  const CloudTrailReaderOptions options;
  const CloudTrailRecordCallback callback;
  const CloudTrailObjectKind key_kind;
  ondemand::parser parser;  // one per reader; its buffers grow up to max_record_bytes
  RecordsSplitter splitter;
  StreamDecompressor decompressor;  // feeds `splitter`, so it is declared after it
  CloudTrailReadStats stats;
  Status first_invalid;  // the first skipped record's error
  bool saw_insight = false;
  bool saw_digest_key = false;
  bool finished = false;
};

CloudTrailReader::CloudTrailReader(std::string source_name, const CloudTrailReaderOptions& options,
                                   CloudTrailRecordCallback callback)
    : impl_(std::make_unique<Impl>(std::move(source_name), options, std::move(callback))) {}

CloudTrailReader::~CloudTrailReader() = default;

Status CloudTrailReader::Feed(std::string_view object_bytes) {
  Status s = impl_->decompressor.Feed(object_bytes);
  impl_->UpdateStats();
  return s;
}

Status CloudTrailReader::Finish() {
  if (impl_->finished) return Status::Internal("Finish called twice on " + impl_->source_name);
  impl_->finished = true;
  return impl_->Finish();
}

const CloudTrailReadStats& CloudTrailReader::stats() const { return impl_->stats; }

Status ReadCloudTrailObject(std::string_view object_bytes, std::string_view source_name,
                            const CloudTrailReaderOptions& options,
                            const CloudTrailRecordCallback& callback, CloudTrailReadStats* stats) {
  CloudTrailReader reader(std::string(source_name), options, callback);
  Status s = reader.Feed(object_bytes);
  if (s.ok()) s = reader.Finish();
  if (stats != nullptr) *stats = reader.stats();
  return s;
}

}  // namespace trailhound::codecs
