#include "transforms/normalize/cloudtrail_normalizer.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

#include "transforms/normalize/iso8601.h"

namespace trailhound::transforms {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

template <typename T>
struct StringField {
  std::string_view name;
  std::string T::*member;
};

constexpr StringField<Event> kEventStrings[] = {
    {"eventVersion", &Event::event_version},
    {"eventID", &Event::event_id},
    {"eventName", &Event::event_name},
    {"eventSource", &Event::event_source},
    {"eventType", &Event::event_type},
    {"eventCategory", &Event::event_category},
    {"awsRegion", &Event::aws_region},
    {"sourceIPAddress", &Event::source_ip_address},
    {"userAgent", &Event::user_agent},
    {"errorCode", &Event::error_code},
    {"errorMessage", &Event::error_message},
    {"recipientAccountId", &Event::recipient_account_id},
    {"requestID", &Event::request_id},
    {"sharedEventID", &Event::shared_event_id},
    {"vpcEndpointId", &Event::vpc_endpoint_id},
};

constexpr StringField<UserIdentity> kIdentityStrings[] = {
    {"type", &UserIdentity::type},
    {"arn", &UserIdentity::arn},
    {"accountId", &UserIdentity::account_id},
    {"principalId", &UserIdentity::principal_id},
    {"userName", &UserIdentity::user_name},
    {"accessKeyId", &UserIdentity::access_key_id},
    {"invokedBy", &UserIdentity::invoked_by},
};

template <typename T, size_t N>
std::string* FindString(const StringField<T> (&table)[N], T& owner, std::string_view key) {
  for (const auto& f : table) {
    if (f.name == key) return &(owner.*f.member);
  }
  return nullptr;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    const char y = (b[i] >= 'A' && b[i] <= 'Z') ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

bool IsNumberText(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  return true;
}

// A string value as its text; a number or boolean as its JSON text; anything else leaves `out`
// empty. Errors only for malformed JSON.
error_code ReadText(od::value value, std::string* out) {
  od::json_type type;
  if (auto e = value.type().get(type)) return e;
  switch (type) {
    case od::json_type::string: {
      std::string_view s;
      if (auto e = value.get_string().get(s)) return e;
      out->assign(s);
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      std::string_view token = value.raw_json_token();
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t' ||
                                token.back() == '\n' || token.back() == '\r')) {
        token.remove_suffix(1);
      }
      if (!IsNumberText(token)) return simdjson::NUMBER_ERROR;
      out->assign(token);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = value.get_bool().get(b)) return e;
      out->assign(b ? "true" : "false");
      return simdjson::SUCCESS;
    }
    default:
      out->clear();
      return simdjson::SUCCESS;
  }
}

// JSON true/false, or a string equal to `yes` / `no` ignoring ASCII case (the AWS docs show
// MFAUsed "YES" as well as "Yes"); anything else is nullopt.
error_code ReadBool(od::value value, std::string_view yes, std::string_view no,
                    std::optional<bool>* out) {
  *out = std::nullopt;
  od::json_type type;
  if (auto e = value.type().get(type)) return e;
  if (type == od::json_type::boolean) {
    bool b;
    if (auto e = value.get_bool().get(b)) return e;
    *out = b;
  } else if (type == od::json_type::string) {
    std::string_view s;
    if (auto e = value.get_string().get(s)) return e;
    if (EqualsIgnoreCase(s, yes)) *out = true;
    if (EqualsIgnoreCase(s, no)) *out = false;
  }
  return simdjson::SUCCESS;
}

// Calls on_field(key, value) for each field when `value` is an object; other types are ignored.
template <typename OnField>
error_code ForEachField(od::value value, OnField on_field) {
  od::json_type type;
  if (auto e = value.type().get(type)) return e;
  if (type != od::json_type::object) return simdjson::SUCCESS;
  od::object object;
  if (auto e = value.get_object().get(object)) return e;
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return e;
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (auto e = on_field(key, field.value())) return e;
  }
  return simdjson::SUCCESS;
}

error_code ReadSessionContext(od::value value, UserIdentity* identity,
                              std::optional<bool>* mfa_attribute) {
  return ForEachField(value, [&](std::string_view key, od::value v) -> error_code {
    if (key == "attributes") {
      return ForEachField(v, [&](std::string_view k, od::value a) -> error_code {
        if (k == "mfaAuthenticated") return ReadBool(a, "true", "false", mfa_attribute);
        return simdjson::SUCCESS;
      });
    }
    if (key == "sessionIssuer") {
      return ForEachField(v, [&](std::string_view k, od::value s) -> error_code {
        if (k == "userName") return ReadText(s, &identity->session_issuer_user_name);
        if (k == "arn") return ReadText(s, &identity->session_issuer_arn);
        return simdjson::SUCCESS;
      });
    }
    return simdjson::SUCCESS;
  });
}

error_code ReadUserIdentity(od::value value, UserIdentity* identity,
                            std::optional<bool>* mfa_attribute) {
  return ForEachField(value, [&](std::string_view key, od::value v) -> error_code {
    if (std::string* s = FindString(kIdentityStrings, *identity, key)) return ReadText(v, s);
    if (key == "sessionContext") return ReadSessionContext(v, identity, mfa_attribute);
    return simdjson::SUCCESS;
  });
}

}  // namespace

Result<Event> CloudTrailNormalizer::Normalize(std::string_view record_json,
                                              std::string_view source_name,
                                              int64_t fallback_time_ms) {
  const size_t padded_size = record_json.size() + simdjson::SIMDJSON_PADDING;
  if (padded_.size() < padded_size) padded_.resize(padded_size);
  if (!record_json.empty()) std::memcpy(padded_.data(), record_json.data(), record_json.size());

  Event event;
  event._source.assign(source_name);
  event._category = EventCategory::kCloudServiceActivity;

  std::optional<bool> mfa_attribute;  // userIdentity.sessionContext.attributes.mfaAuthenticated
  std::optional<bool> mfa_used;       // additionalEventData.MFAUsed
  auto on_field = [&](std::string_view key, od::value v) -> error_code {
    if (std::string* s = FindString(kEventStrings, event, key)) return ReadText(v, s);
    if (key == "eventTime") return ReadText(v, &event.event_time);
    if (key == "userIdentity") return ReadUserIdentity(v, &event.user_identity, &mfa_attribute);
    if (key == "readOnly") return ReadBool(v, "true", "false", &event.read_only);
    if (key == "managementEvent") return ReadBool(v, "true", "false", &event.management_event);
    if (key == "tlsDetails") {
      return ForEachField(v, [&](std::string_view k, od::value t) -> error_code {
        return k == "tlsVersion" ? ReadText(t, &event.tls_version) : simdjson::SUCCESS;
      });
    }
    if (key == "additionalEventData") {
      return ForEachField(v, [&](std::string_view k, od::value a) -> error_code {
        return k == "MFAUsed" ? ReadBool(a, "Yes", "No", &mfa_used) : simdjson::SUCCESS;
      });
    }
    return simdjson::SUCCESS;
  };

  od::document doc;
  od::object root;
  error_code error = parser_.iterate(padded_.data(), record_json.size(), padded_.size()).get(doc);
  if (!error) error = doc.get_object().get(root);
  if (!error) {
    for (auto field_result : root) {
      od::field field;
      if ((error = std::move(field_result).get(field))) break;
      std::string_view key;
      if ((error = field.unescaped_key().get(key))) break;
      if ((error = on_field(key, field.value()))) break;
    }
  }
  if (error) {
    return Status::Corruption(fmt::format("Record of source '{}' is not a JSON object: {}",
                                          source_name, simdjson::error_message(error)));
  }

  event.raw.assign(record_json);
  event.mfa_authenticated =
      event.event_name == "ConsoleLogin" && mfa_used.has_value() ? mfa_used : mfa_attribute;
  if (std::optional<int64_t> ms = ParseIso8601Millis(event.event_time)) {
    event._time = *ms;
    event.time_is_fallback = false;
  } else {
    event._time = fallback_time_ms;
    event.time_is_fallback = true;
  }
  return event;
}

}  // namespace trailhound::transforms
