// Parsers for what S3 answers: the ListObjectsV2 and GetBucketLocation documents,
// object metadata headers, the region a wrong-region error names, and the two
// date formats S3 uses (ISO 8601 in XML, RFC 7231 HTTP dates in headers).
// Errors: kCorruption for a document that is not what S3 sends, naming what is
// missing. Thread safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/http.h"
#include "aws/s3_types.h"
#include "core/result.h"

namespace trailhound::aws {

// A <ListBucketResult> document. Keys and prefixes are URL-decoded when the document
// says <EncodingType>url</EncodingType>.
Result<S3ListPage> ParseListObjectsV2(std::string_view xml);

// The region of a <LocationConstraint> document: empty → "us-east-1", "EU" → "eu-west-1".
Result<std::string> ParseBucketLocation(std::string_view xml);

// The region a failed response says the bucket is in (the x-amz-bucket-region header,
// else the <Region> of an error document), or "" when it names none or `current_region`.
std::string WrongRegionHint(const HttpResponse& response, std::string_view current_region);

// Size, ETag, content type and encoding, and last-modified time from GetObject or
// HeadObject response headers.
S3ObjectInfo ParseObjectInfo(const HttpResponse& response);

// "2009-10-12T17:50:30.000Z" (fraction and 'Z' optional).
std::optional<std::chrono::system_clock::time_point> ParseIso8601Time(std::string_view text);
// "Wed, 12 Oct 2009 17:50:00 GMT".
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text);

// Percent-decoding with '+' as a space, as S3 uses for encoding-type=url and in event
// notifications. Invalid escapes are kept as they are.
std::string S3UrlDecode(std::string_view text);

}  // namespace trailhound::aws
