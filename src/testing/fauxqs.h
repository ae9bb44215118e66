// Fauxqs: the fauxqs S3 + SNS + SQS emulator (npm fauxqs@1.9.2, see
// shared/SERVICES.md) on 127.0.0.1 and a free port, run through
// scripts/services/fauxqs-server.mjs for one test or fixture. No authentication:
// any signature is accepted, the region comes from the SigV4 credential scope.
// SQS speaks only the JSON protocol, posted to "/". The destructor stops the
// server; it also dies with the thread that started it (see ServiceProcess).
// Thread safety: the accessors and Health() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/status.h"
#include "testing/service_process.h"

namespace trailhound::testing {

struct FauxqsOptions {
  // Region of requests whose Authorization header names none.
  std::string region = "us-east-1";
  // Repository root holding scripts/ and node_modules/; empty: $TRAILHOUND_SOURCE_DIR.
  std::string source_dir;
  // How long the server may take to be ready (it takes ~0.5 s).
  std::chrono::milliseconds start_timeout{15000};
};

class Fauxqs {
 public:
  // Fails with kNotFound when node, the script or node_modules/fauxqs is missing.
  static Result<std::unique_ptr<Fauxqs>> Start(const FauxqsOptions& options = {});

  // "http://127.0.0.1:<port>": S3 path-style, SNS and SQS all on it.
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int port() const { return process_->port(); }
  pid_t pid() const { return process_->pid(); }
  const std::string& region() const { return region_; }

  // The URL fauxqs returns for a queue created in `region`:
  // "http://sqs.<region>.localhost:<port>/000000000000/<name>". fauxqs matches queue
  // URLs as exact strings; glibc does not resolve *.localhost, so send requests to
  // endpoint() and pass this URL in the body.
  std::string QueueUrl(std::string_view name, std::string_view region) const;
  std::string QueueUrl(std::string_view name) const { return QueueUrl(name, region_); }

  // OK when GET /health answers 200 {"status":"ok"}; kUnavailable otherwise.
  Status Health() const;

  ServiceProcess& process() { return *process_; }

 private:
  Fauxqs(std::unique_ptr<ServiceProcess> process, std::string region)
      : process_(std::move(process)), region_(std::move(region)) {}

  std::unique_ptr<ServiceProcess> process_;
  std::string region_;
};

}  // namespace trailhound::testing
