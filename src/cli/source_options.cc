#include "cli/source_options.h"

namespace trailhound::cli {

sources::SqsSourceOptions SourceOptions(const config::SourceConfig& source) {
  sources::SqsSourceOptions options;
  options.name = source.name;
  options.queue_url = source.queue_url;
  options.region = source.region;
  options.bucket_region = source.bucket_region;
  options.endpoint_url = source.endpoint_url;
  options.s3_endpoint_url = source.s3_endpoint_url;
  options.credentials = source.credentials;
  options.pollers = source.pollers;
  options.max_objects_in_flight = source.max_objects_in_flight;
  options.max_object_bytes = static_cast<uint64_t>(source.max_object_mb) << 20;
  options.max_decompressed_bytes = static_cast<uint64_t>(source.max_decompressed_mb) << 20;
  options.visibility_timeout_secs = static_cast<int>(source.visibility_timeout_secs);
  options.wait_time_secs = source.wait_time_secs;
  return options;
}

}  // namespace trailhound::cli
