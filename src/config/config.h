// Config: everything `trailhound run` reads from its one YAML file (DESIGN.md
// "Configuration"): the data directory, the HTTP server, the store and the event sources.
// Every setting has a default and a one-line doc (config_schema.h prints them as the
// reference, docs/configuration.md). Plain value types; secrets are Secret and never printed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aws/credentials_config.h"

namespace trailhound::config {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // host:port of the HTTP API and web UI
  // The bearer token the API and UI require; one of the three, or none (loopback only).
  Secret token;
  std::string token_file;
  std::string token_env;
};

struct StoreConfig {
  int64_t retention_days = 0;         // delete events older than this many days; 0 keeps all
  int64_t flush_interval_secs = 300;  // write buffered events to segments at least this often
  int64_t max_memtable_mb = 256;      // buffered raw JSON before a flush is forced
};

struct SourceConfig {
  std::string name;  // unique; stored as each event's _source
  std::string type = "aws_cloudtrail";
  std::string method = "sqs";
  std::string queue_url;                  // the SQS queue CloudTrail's notifications reach
  std::string region;                     // of the queue; derived from queue_url when empty
  std::string bucket_region;              // of the log bucket; detected when empty
  std::string endpoint_url;               // SQS and S3 endpoint override (emulators, VPC endpoints)
  std::string s3_endpoint_url;            // S3 only; defaults to endpoint_url
  aws::CredentialsConfig credentials;     // empty: the default AWS credential chain
  int pollers = 2;                        // concurrent ReceiveMessage long polls
  int max_objects_in_flight = 32;         // S3 objects fetched and decoded at once
  int64_t max_object_mb = 1024;           // larger objects are refused (compressed size)
  int64_t max_decompressed_mb = 8192;     // bomb guard: decoded bytes per object
  int64_t visibility_timeout_secs = 300;  // how long a message stays hidden per extension
  int wait_time_secs = 20;                // long-poll wait of each ReceiveMessage
};

struct Config {
  std::string data_dir = "./data";
  ServerConfig server;
  StoreConfig store;
  std::vector<SourceConfig> sources;
};

}  // namespace trailhound::config
