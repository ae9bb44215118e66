// The pieces of credential documents that several providers share: the JSON document
// served by the ECS container endpoint and by EC2 instance metadata
// ({"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}), and the ISO-8601
// timestamps AWS uses for expirations ("2024-05-01T12:00:00Z", fractions allowed).
// Errors: kCorruption naming `what` (the document's origin); never a secret value.
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "core/result.h"

namespace trailhound::aws {

// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" into a UTC time point.
Result<std::chrono::system_clock::time_point> ParseAwsTimestamp(std::string_view text);

// "2024-05-01T12:00:00Z".
std::string FormatAwsTimestamp(std::chrono::system_clock::time_point time);

// Parses a credentials JSON document. `what` names its origin in errors
// ("container credentials from http://169.254.170.2/v2/credentials/..."), `source`
// goes into Credentials::source. AccessKeyId and SecretAccessKey are required;
// Token and Expiration are optional.
Result<Credentials> ParseCredentialsJson(std::string_view body, std::string_view what,
                                         std::string_view source);

}  // namespace trailhound::aws
