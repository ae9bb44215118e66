// Time arguments of searches (`--from -24h`, `from=2024-05-01T00:00:00Z` in the API): an
// instant given as ISO 8601 (time_value.h), "now", or relative to now as -<N><unit> with
// unit s, m, h, d or w ("-15m", "-24h", "-90d"). Pure functions; errors are kInvalidArgument
// naming the text and the accepted forms.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace trailhound::query {

// Milliseconds since the epoch for `text`, with relative forms counted back from `now_ms`.
Result<int64_t> ParseTimeArgument(std::string_view text, int64_t now_ms);

}  // namespace trailhound::query
