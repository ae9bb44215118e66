// GET /api/sources (docs/API.md): a JSON array with one object per event source — name,
// status, epm, last_error, hint, last_error_at, epm_series, counters, errors, lag, queue,
// recent_errors, started_at. The shape is an interface other tools rely on: add keys, never
// rename or remove them. A pure function of status snapshots; never includes a secret (error
// messages and hints are secret-free by construction); invalid UTF-8 in a message is
// replaced, never thrown. GET /metrics is metrics.h.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "server/metrics.h"  // PrometheusMetrics, served beside the sources endpoint
#include "sources/sqs_s3/doctor.h"
#include "sources/sqs_s3/source_status.h"

namespace trailhound::server {

std::string SourcesJson(const std::vector<sources::SourceStatusSnapshot>& sources);

// GET /api/sources/{name}: the source's object as in the list plus "config", its settings
// (config/config_loader.h SourceSettings: secrets already "<redacted>") as an object of
// strings.
using SourceSettingsList = std::vector<std::pair<std::string, std::string>>;
// POST /api/sources/{name}/test: {"source","ok","checks":[{"id","title","result","detail",
// "fix"}]} (result: pass, warn, fail, skip).
std::string DoctorReportJson(const sources::DoctorReport& report);

std::string SourceDetailJson(const sources::SourceStatusSnapshot& source,
                             const SourceSettingsList& settings);

}  // namespace trailhound::server
