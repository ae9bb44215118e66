// GzipCompress: compresses a whole buffer into one gzip member, as CloudTrail delivers its
// .json.gz files. Used to write fixtures (tests, benchmarks, the demo's simulated delivery);
// the read path is StreamDecompressor. Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace trailhound::codecs {

// `level` is zlib's 0 (store) to 9 (best); 6 is gzip's default. Fails with kInternal only if
// zlib itself fails (out of memory).
Result<std::string> GzipCompress(std::string_view data, int level = 6);

}  // namespace trailhound::codecs
