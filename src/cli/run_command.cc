#include "cli/run_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aws/credentials_environment.h"
#include "cli/signal_waiter.h"
#include "cli/source_options.h"
#include "config/config_loader.h"
#include "server/http_server.h"
#include "sinks/store_sink.h"
#include "sources/sqs_s3/doctor.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"

namespace trailhound::cli {
namespace {

struct RunArgs {
  std::string config;
  std::string data_dir;
  std::string listen;
};

[[noreturn]] void Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.ToString());
  throw CLI::RuntimeError(1);
}

void Run(const RunArgs& args) {
  SignalWaiter signals;  // before any thread starts
  auto config = config::LoadConfigFile(args.config);
  if (!config.ok()) Fail(config.status());
  if (!args.data_dir.empty()) config->data_dir = args.data_dir;
  if (!args.listen.empty()) config->server.listen = args.listen;

  store::StoreOptions store_options;
  store_options.data_dir = config->data_dir;
  store_options.retention_days = config->store.retention_days;
  store_options.flush_interval_ms = config->store.flush_interval_secs * 1000;
  store_options.max_memtable_bytes = static_cast<uint64_t>(config->store.max_memtable_mb) << 20;
  auto store = store::Store::Open(store_options);
  if (!store.ok()) Fail(store.status());
  sinks::StoreSink sink(store->get());

  std::vector<std::unique_ptr<sources::SqsSource>> running;
  const aws::CredentialsEnvironment env = aws::ProcessCredentialsEnvironment();
  for (const config::SourceConfig& source : config->sources) {
    auto created = sources::SqsSource::Create(SourceOptions(source), &sink, env);
    if (!created.ok()) Fail(created.status());
    running.push_back(std::move(*created));
  }

  auto token = config::LoadServerToken(config->server);
  if (!token.ok()) Fail(token.status());
  server::HttpServerOptions server_options;
  server_options.listen = config->server.listen;
  server_options.token = std::move(*token);
  for (const config::SourceConfig& source : config->sources) {
    server_options.source_settings[source.name] = config::SourceSettings(source);
  }
  server_options.test_source =
      [&config, &env](const std::string& name) -> std::optional<sources::DoctorReport> {
    for (const config::SourceConfig& source : config->sources) {
      if (source.name == name) return sources::RunDoctor(SourceOptions(source), env);
    }
    return std::nullopt;
  };
  server_options.sources = [&running] {
    std::vector<sources::SourceStatusSnapshot> snapshots;
    for (const auto& source : running) snapshots.push_back(source->status());
    return snapshots;
  };
  server::HttpServer server(store->get(), server_options);
  auto port = server.Start();
  if (!port.ok()) Fail(port.status());
  for (auto& source : running) source->Start();
  const std::string host = config->server.listen.substr(0, config->server.listen.rfind(':'));
  fmt::print("trailhound: running {} source{} into '{}'; API on http://{}:{}/\n", running.size(),
             running.size() == 1 ? "" : "s", config->data_dir, host, *port);
  std::fflush(stdout);

  int signal = signals.Wait();
  fmt::print("trailhound: {} received; draining the sources\n",
             signal == SIGTERM ? "SIGTERM" : "SIGINT");
  std::fflush(stdout);
  std::vector<std::thread> stopping;
  for (auto& source : running) stopping.emplace_back([&source] { source->Stop(); });
  for (auto& thread : stopping) thread.join();
  server.Stop();
  fmt::print("trailhound: stopped cleanly\n");
}

}  // namespace

void AddRunCommand(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "Run every configured source, the store and the HTTP server until SIGTERM");
  cmd->add_option("--config", args->config, "The YAML configuration file")->required();
  cmd->add_option("--data-dir", args->data_dir, "Overrides the config's data_dir");
  cmd->add_option("--listen", args->listen, "Overrides the config's server.listen");
  cmd->callback([args] { Run(*args); });
}

}  // namespace trailhound::cli
