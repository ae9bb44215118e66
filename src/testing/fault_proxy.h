// FaultProxy: scripts/services/fault-proxy.mjs on 127.0.0.1 and a free port, in front of
// an S3 + SQS endpoint (a Fauxqs), for tests of how Trailhound copes with a misbehaving S3:
// it forwards every request and, on S3 requests only (SQS and SNS calls pass untouched),
// injects the faults Configure() asks for — 503 SlowDown, connection resets before the
// response or mid-body, throttled GetObject bodies, 301 PermanentRedirect for a bucket in
// another region. Faults hit an exact, evenly spread fraction of requests, not a random one,
// so a test sees the same faults on every run. The destructor stops the proxy; it also dies
// with the thread that started it (see ServiceProcess).
// Thread safety: the accessors, Configure() and Stats() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "testing/service_process.h"

namespace trailhound::testing {

struct FaultProxyOptions {
  // Repository root holding scripts/; empty: $TRAILHOUND_SOURCE_DIR.
  std::string source_dir;
  // How long the proxy may take to be ready (it takes ~0.1 s).
  std::chrono::milliseconds start_timeout{15000};
  // Log every request and injected fault on the proxy's stderr (see process().Stderr()).
  bool log = false;
};

// GetObject bodies of keys containing `key_contains` are sent at `bytes_per_sec`.
struct FaultProxyThrottle {
  std::string key_contains;
  uint64_t bytes_per_sec = 0;
};

// The whole fault configuration; the default injects nothing. Fractions are in [0, 1].
struct FaultProxyConfig {
  // S3 requests answered 503 <Code>SlowDown</Code>.
  double slowdown_fraction = 0;
  // Of the S3 requests not slowed down, connections reset (TCP RST) before any response byte.
  double reset_before_response_fraction = 0;
  // Of the GetObject requests forwarded with a 2xx answer, connections reset after the
  // headers and half of the body.
  double reset_mid_body_fraction = 0;
  std::vector<FaultProxyThrottle> throttles;
  // Bucket (or "*" for every bucket) → the region it lives in: S3 requests signed for
  // another region get 301 PermanentRedirect with x-amz-bucket-region, as from S3.
  std::map<std::string, std::string> bucket_regions;
};

// Counters since the proxy started.
struct FaultProxyStats {
  uint64_t requests = 0;     // every proxied request (not the control API)
  uint64_t s3_requests = 0;  // of which S3 ones
  uint64_t forwarded = 0;    // sent upstream (S3 or not)
  uint64_t slowdowns = 0;
  uint64_t resets_before_response = 0;
  uint64_t resets_mid_body = 0;
  uint64_t redirects = 0;
  uint64_t throttled = 0;
  uint64_t upstream_errors = 0;  // the upstream could not be reached (answered 502)
  // "bucket/key" → GetObject requests that arrived, faulted or not.
  std::map<std::string, uint64_t> get_object;
  // "bucket/key" of each GetObject reset mid-body, in order.
  std::vector<std::string> reset_mid_body_keys;

  uint64_t resets() const { return resets_before_response + resets_mid_body; }
  // GetObject requests for `bucket`/`key` so far.
  uint64_t GetObjectRequests(std::string_view bucket, std::string_view key) const;
};

class FaultProxy {
 public:
  // Starts the proxy in front of `upstream_endpoint` ("http://127.0.0.1:<port>"). Fails with
  // kNotFound when node or the script is missing.
  static Result<std::unique_ptr<FaultProxy>> Start(std::string_view upstream_endpoint,
                                                   const FaultProxyOptions& options = {});

  // "http://127.0.0.1:<port>": use it as an S3 (and SQS) endpoint URL.
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int port() const { return process_->port(); }
  pid_t pid() const { return process_->pid(); }

  // Replaces the fault configuration (FaultProxyConfig{} switches every fault off) and
  // restarts the fault spreads. kInvalidArgument when the proxy rejects it.
  Status Configure(const FaultProxyConfig& config);
  Result<FaultProxyStats> Stats() const;

  ServiceProcess& process() { return *process_; }

 private:
  explicit FaultProxy(std::unique_ptr<ServiceProcess> process) : process_(std::move(process)) {}

  std::unique_ptr<ServiceProcess> process_;
};

}  // namespace trailhound::testing
