// The SqsSource options of a configured source (config.h → sqs_source.h), for `run`,
// `doctor` and `backfill`. Thread safety: a pure function.
#pragma once

#include "config/config.h"
#include "sources/sqs_s3/sqs_source.h"

namespace trailhound::cli {

sources::SqsSourceOptions SourceOptions(const config::SourceConfig& source);

}  // namespace trailhound::cli
