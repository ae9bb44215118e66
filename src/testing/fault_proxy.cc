#include "testing/fault_proxy.h"

#include <httplib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace trailhound::testing {

namespace {

constexpr char kConfigPath[] = "/__fault/config";
constexpr char kStatsPath[] = "/__fault/stats";

uint64_t Counter(const nlohmann::json& stats, const char* name) {
  auto it = stats.find(name);
  return it != stats.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

}  // namespace

uint64_t FaultProxyStats::GetObjectRequests(std::string_view bucket, std::string_view key) const {
  auto it = get_object.find(std::string(bucket) + "/" + std::string(key));
  return it != get_object.end() ? it->second : 0;
}

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(std::string_view upstream_endpoint,
                                                      const FaultProxyOptions& options) {
  TH_ASSIGN_OR_RETURN(std::string script,
                      SourcePath(options.source_dir, "scripts/services/fault-proxy.mjs"));
  Command command;
  command.name = "fault-proxy";
  command.argv = {"node", script, "--port", "0", "--upstream", std::string(upstream_endpoint)};
  // The script's own watchdog, in addition to PR_SET_PDEATHSIG.
  command.argv.insert(command.argv.end(), {"--parent-pid", std::to_string(getpid())});
  if (options.log) command.argv.push_back("--log");
  command.timeout = options.start_timeout;
  TH_ASSIGN_OR_RETURN(auto process, ServiceProcess::Start(command));
  return std::unique_ptr<FaultProxy>(new FaultProxy(std::move(process)));
}

Status FaultProxy::Configure(const FaultProxyConfig& config) {
  nlohmann::json body = {
      {"slowdown_fraction", config.slowdown_fraction},
      {"reset_before_response_fraction", config.reset_before_response_fraction},
      {"reset_mid_body_fraction", config.reset_mid_body_fraction},
      {"throttles", nlohmann::json::array()},
      {"bucket_regions", nlohmann::json::object()},
  };
  for (const FaultProxyThrottle& throttle : config.throttles) {
    body["throttles"].push_back(
        {{"key_contains", throttle.key_contains}, {"bytes_per_sec", throttle.bytes_per_sec}});
  }
  for (const auto& [bucket, region] : config.bucket_regions)
    body["bucket_regions"][bucket] = region;

  httplib::Client client("127.0.0.1", port());
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  auto response = client.Post(kConfigPath, body.dump(), "application/json");
  if (!response) {
    return Status::Unavailable("fault-proxy at " + endpoint() + " does not answer POST " +
                               kConfigPath + ": " + httplib::to_string(response.error()));
  }
  if (response->status != 200) {
    return Status::InvalidArgument("fault-proxy rejected its configuration (HTTP " +
                                   std::to_string(response->status) + "): " + response->body);
  }
  return Status::OK();
}

Result<FaultProxyStats> FaultProxy::Stats() const {
  httplib::Client client("127.0.0.1", port());
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  auto response = client.Get(kStatsPath);
  if (!response) {
    return Status::Unavailable("fault-proxy at " + endpoint() + " does not answer GET " +
                               kStatsPath + ": " + httplib::to_string(response.error()));
  }
  auto json = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status != 200 || !json.is_object()) {
    return Status::Internal("fault-proxy answered GET " + std::string(kStatsPath) + " with HTTP " +
                            std::to_string(response->status) + ": " + response->body);
  }
  FaultProxyStats stats;
  stats.requests = Counter(json, "requests");
  stats.s3_requests = Counter(json, "s3_requests");
  stats.forwarded = Counter(json, "forwarded");
  stats.slowdowns = Counter(json, "slowdowns");
  stats.resets_before_response = Counter(json, "resets_before_response");
  stats.resets_mid_body = Counter(json, "resets_mid_body");
  stats.redirects = Counter(json, "redirects");
  stats.throttled = Counter(json, "throttled");
  stats.upstream_errors = Counter(json, "upstream_errors");
  if (auto it = json.find("get_object"); it != json.end() && it->is_object()) {
    for (const auto& [name, count] : it->items()) {
      if (count.is_number_unsigned()) stats.get_object[name] = count.get<uint64_t>();
    }
  }
  if (auto it = json.find("reset_mid_body_keys"); it != json.end() && it->is_array()) {
    for (const auto& name : *it) {
      if (name.is_string()) stats.reset_mid_body_keys.push_back(name.get<std::string>());
    }
  }
  return stats;
}

}  // namespace trailhound::testing
