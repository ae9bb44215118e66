// Locating invalid UTF-8. simdjson validates UTF-8 but only says "invalid"; this finds the
// first offending byte so that an error can name its offset. Strict like simdjson (RFC 3629):
// no overlong forms, no surrogates, nothing above U+10FFFF. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace trailhound::codecs {

// The offset of the first byte that starts an invalid or truncated UTF-8 sequence, or
// std::string_view::npos when `text` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace trailhound::codecs
