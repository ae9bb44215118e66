#include "testing/fauxqs.h"

#include <httplib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace trailhound::testing {

Result<std::unique_ptr<Fauxqs>> Fauxqs::Start(const FauxqsOptions& options) {
  TH_ASSIGN_OR_RETURN(std::string script,
                      SourcePath(options.source_dir, "scripts/services/fauxqs-server.mjs"));
  auto package = SourcePath(options.source_dir, "node_modules/fauxqs/package.json");
  if (!package.ok()) {
    return package.status().Annotate(
        "The fauxqs npm package is not installed (run scripts/bootstrap, which runs npm ci)");
  }
  Command command;
  command.name = "fauxqs";
  command.argv = {"node", script, "--port", "0", "--region", options.region};
  // The script's own watchdog, in addition to PR_SET_PDEATHSIG.
  command.argv.insert(command.argv.end(), {"--parent-pid", std::to_string(getpid())});
  command.timeout = options.start_timeout;
  TH_ASSIGN_OR_RETURN(auto process, ServiceProcess::Start(command));
  return std::unique_ptr<Fauxqs>(new Fauxqs(std::move(process), options.region));
}

std::string Fauxqs::QueueUrl(std::string_view name, std::string_view region) const {
  return "http://sqs." + std::string(region) + ".localhost:" + std::to_string(port()) +
         "/000000000000/" + std::string(name);
}

Status Fauxqs::Health() const {
  httplib::Client client("127.0.0.1", port());
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  auto response = client.Get("/health");
  if (!response) {
    return Status::Unavailable("fauxqs at " + endpoint() + " does not answer GET /health: " +
                               httplib::to_string(response.error()));
  }
  auto body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status != 200 || !body.is_object() || body.value("status", "") != "ok") {
    return Status::Unavailable("fauxqs at " + endpoint() + " answered GET /health with HTTP " +
                               std::to_string(response->status) + ": " + response->body);
  }
  return Status::OK();
}

}  // namespace trailhound::testing
