// GET /metrics: the sources' status and the store's statistics in the Prometheus text
// exposition format 0.0.4 (docs/API.md). Every family has HELP and TYPE lines; names are
// trailhound_<thing>_<unit>[_total]; label sets are bounded (source names come from the
// configuration, error codes are capped per source by SourceStatus, states and kinds are
// closed sets); label values are escaped as the format requires (\\, \", \n).
// A pure function of its arguments; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sources/sqs_s3/source_status.h"
#include "store/store.h"

namespace trailhound::server {

std::string PrometheusMetrics(const std::vector<sources::SourceStatusSnapshot>& sources,
                              const store::StoreStats& store);

// A label value escaped for the text format: backslash, double quote and line feed.
std::string EscapeLabelValue(std::string_view value);

}  // namespace trailhound::server
