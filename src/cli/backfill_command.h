// `trailhound backfill --source NAME --bucket B [--prefix P] --from DATE --to DATE
// [--accounts A,B] [--regions R,S] [--config FILE] [--data-dir DIR] [--jobs N]`: reads the
// CloudTrail log files of the given days straight from the bucket (sources/sqs_s3/backfill.h)
// with the source's credentials and endpoints, into the store, with a progress bar (objects,
// events, ETA). Resumable: <data_dir>/backfill/<source>.json records the finished day
// prefixes; Ctrl-C stops after the objects in work. Exit status 1 when an object failed.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddBackfillCommand(CLI::App& app);

}  // namespace trailhound::cli
