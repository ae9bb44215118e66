// Event: one audit-log record as it travels from the decoder to the store — the verbatim JSON
// (the source of truth, never rewritten) plus the typed fields the store indexes and the
// detector reads most. A typed field is "" / nullopt when the record lacks it or holds null, an
// object or an array (a number or boolean in a string field becomes its JSON text); the raw
// JSON always keeps the original. Filled by transforms/normalize.
// Thread safety: a plain value type. Ownership: the Event owns all its strings (no views into
// parser or network buffers) and one copy of its input's AckToken.
// Memory: sizeof(Event) is 944 bytes on x86-64 libstdc++ (28 std::string of 32 bytes), plus
// the raw JSON (1.1 KiB on average over the Panther corpus, up to a few KiB), plus heap for
// typed strings longer than 15 bytes (ARNs, user agents, ids: typically 0.3–0.6 KiB): about
// 2.5 KiB per CloudTrail event in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ack_token.h"

namespace trailhound {

// What kind of activity an event records (OCSF-style category names).
// persistent format: do not renumber
enum class EventCategory : uint8_t {
  kUnknown = 0,
  kCloudServiceActivity = 1,  // "Cloud Service Activity": every CloudTrail record
};

// "Cloud Service Activity", ...; "Unknown" for kUnknown and values out of range.
std::string_view CategoryName(EventCategory category);

// The fields of CloudTrail's userIdentity block (and its sessionContext) that we index.
struct UserIdentity {
  std::string type;                      // userIdentity.type: Root, IAMUser, AssumedRole, ...
  std::string arn;                       // userIdentity.arn
  std::string account_id;                // userIdentity.accountId
  std::string principal_id;              // userIdentity.principalId
  std::string user_name;                 // userIdentity.userName
  std::string access_key_id;             // userIdentity.accessKeyId
  std::string invoked_by;                // userIdentity.invokedBy (an AWS service principal)
  std::string session_issuer_user_name;  // userIdentity.sessionContext.sessionIssuer.userName
  std::string session_issuer_arn;        // userIdentity.sessionContext.sessionIssuer.arn
};

struct Event {
  // --- Envelope (ours) ---
  int64_t _time = 0;             // ms since the Unix epoch (UTC): eventTime, else the fallback
  bool time_is_fallback = true;  // _time is the caller's fallback (eventTime missing or invalid)
  std::string _source;           // the configured name of the event source ("cloudtrail-main")
  EventCategory _category = EventCategory::kUnknown;  // kCloudServiceActivity for CloudTrail
  std::string raw;  // the verbatim record JSON, byte for byte as received
  AckToken ack;     // acknowledges the input this event came from; resolve after the store write

  // --- Typed CloudTrail fields (JSON name in the comment) ---
  std::string event_version;      // eventVersion, "1.08"
  std::string event_time;         // eventTime exactly as given (even when unparseable)
  std::string event_id;           // eventID: the deduplication key (with recipient_account_id)
  std::string event_name;         // eventName, "ConsoleLogin"
  std::string event_source;       // eventSource, "signin.amazonaws.com"
  std::string event_type;         // eventType: AwsApiCall, AwsConsoleSignIn, ...
  std::string event_category;     // eventCategory: Management, Data, Insight
  std::string aws_region;         // awsRegion
  std::string source_ip_address;  // sourceIPAddress (an IP or a service name)
  std::string user_agent;         // userAgent
  std::string error_code;         // errorCode, "AccessDenied"; "" when the call succeeded
  std::string error_message;      // errorMessage
  std::optional<bool> read_only;  // readOnly
  std::optional<bool> management_event;  // managementEvent
  std::string recipient_account_id;      // recipientAccountId
  std::string request_id;                // requestID
  std::string shared_event_id;           // sharedEventID
  std::string vpc_endpoint_id;           // vpcEndpointId
  UserIdentity user_identity;            // userIdentity.*
  // Whether the caller used MFA: userIdentity.sessionContext.attributes.mfaAuthenticated
  // ("true"/"false"); for eventName ConsoleLogin, additionalEventData.MFAUsed ("Yes"/"No")
  // takes precedence when present. nullopt when neither is present or recognised.
  std::optional<bool> mfa_authenticated;
  std::string tls_version;  // tlsDetails.tlsVersion, "TLSv1.2"
};

}  // namespace trailhound
