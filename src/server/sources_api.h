// The sources endpoints of the HTTP API (docs/API.md): GET /api/sources → a JSON array with
// one object per source (name, status, epm, last_error, hint, counters, lag, queue depth,
// recent errors), and GET /metrics → Prometheus text (metrics.h). Pure functions of status
// snapshots; never include a secret (errors and hints are secret-free by construction).
#pragma once

#include <string>
#include <vector>

#include "sources/sqs_s3/source_status.h"
#include "store/store.h"

namespace trailhound::server {

std::string SourcesJson(const std::vector<sources::SourceStatusSnapshot>& sources);

// Prometheus text exposition format 0.0.4.
std::string PrometheusMetrics(const std::vector<sources::SourceStatusSnapshot>& sources,
                              const store::StoreStats& store);

}  // namespace trailhound::server
