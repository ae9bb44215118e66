// libFuzzer target for the SQS message-body decoder (src/sources/sqs_s3/notification.h).
// Properties besides crashes and ASan/UBSan reports:
// - Decode() returns a notification or fails with kInvalidArgument, kCorruption or
//   kResourceExhausted, the message naming the message id;
// - a notification has objects exactly when its kind is kObjects, each with a non-empty bucket
//   and key, no (bucket, key) twice, and a subscribe URL only for subscription confirmations;
// - a reused decoder gives the same answer twice (no state leaks between messages);
// - DecodeS3EventKey() output is valid UTF-8, never longer than its input, and equal to the
//   input when the input has no '%' or '+'.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>
#include <utility>

#include "codecs/utf8.h"
#include "sources/sqs_s3/notification.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trailhound::StatusCode;
  namespace sources = trailhound::sources;
  using Kind = sources::Notification::Kind;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  static sources::NotificationDecoder decoder;
  auto got = decoder.Decode(input, "fuzz");
  auto again = decoder.Decode(input, "fuzz");
  if (got.ok() != again.ok()) std::abort();
  if (!got.ok()) {
    StatusCode code = got.status().code();
    if (code != StatusCode::kInvalidArgument && code != StatusCode::kCorruption &&
        code != StatusCode::kResourceExhausted) {
      std::abort();
    }
    if (!got.status().message().starts_with("message 'fuzz' ")) std::abort();
    if (got.status().code() != again.status().code() ||
        got.status().message() != again.status().message()) {
      std::abort();
    }
  } else {
    if ((got->kind == Kind::kObjects) == got->objects.empty()) std::abort();
    if (!got->subscribe_url.empty() && got->kind != Kind::kSubscriptionConfirmation) std::abort();
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& ref : got->objects) {
      if (ref.bucket.empty() || ref.key.empty()) std::abort();
      if (!seen.emplace(ref.bucket, ref.key).second) std::abort();
    }
    if (got->kind != again->kind || got->objects != again->objects ||
        got->detail != again->detail) {
      std::abort();
    }
  }

  auto key = sources::DecodeS3EventKey(input);
  if (key.ok()) {
    if (trailhound::codecs::FindInvalidUtf8(*key) != std::string_view::npos) std::abort();
    if (key->size() > input.size()) std::abort();
    if (input.find_first_of("%+") == std::string_view::npos && *key != input) std::abort();
  } else if (key.status().code() != StatusCode::kInvalidArgument) {
    std::abort();
  }
  return 0;
}
