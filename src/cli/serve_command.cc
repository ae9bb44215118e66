#include "cli/serve_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <string>

#include "cli/data_dir.h"
#include "cli/signal_waiter.h"
#include "config/config.h"
#include "config/config_loader.h"
#include "server/http_server.h"
#include "store/store.h"

namespace trailhound::cli {
namespace {

struct ServeArgs {
  std::string config;
  std::string data_dir;
  std::string listen;
};

[[noreturn]] void Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.ToString());
  throw CLI::RuntimeError(1);
}

void Serve(const ServeArgs& args) {
  SignalWaiter signals;  // before any thread starts, so that they all inherit the mask
  std::optional<config::Config> config;
  auto data_dir = ResolveDataDir(args.config, args.data_dir, &config);
  if (!data_dir.ok()) Fail(data_dir.status());
  std::string listen = !args.listen.empty() ? args.listen
                       : config             ? config->server.listen
                                            : config::ServerConfig{}.listen;
  store::StoreOptions options;
  options.data_dir = *data_dir;
  if (config) {
    options.retention_days = config->store.retention_days;
    options.flush_interval_ms = config->store.flush_interval_secs * 1000;
    options.max_memtable_bytes = static_cast<uint64_t>(config->store.max_memtable_mb) << 20;
  }
  auto store = store::Store::Open(options);
  if (!store.ok()) Fail(store.status());
  server::HttpServerOptions server_options;
  server_options.listen = listen;
  if (config) {
    auto token = config::LoadServerToken(config->server);
    if (!token.ok()) Fail(token.status());
    server_options.token = std::move(*token);
  }
  server::HttpServer server(store->get(), server_options);
  auto port = server.Start();
  if (!port.ok()) Fail(port.status());
  std::string host = listen.substr(0, listen.rfind(':'));
  fmt::print("trailhound: serving the store in '{}' ({} events) on http://{}:{}/\n", *data_dir,
             (*store)->stats().events, host, *port);
  std::fflush(stdout);
  int signal = signals.Wait();
  fmt::print("trailhound: {} received, stopping\n", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Stop();
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd =
      app.add_subcommand("serve", "Serve the HTTP API over a store, without sources (docs/API.md)");
  cmd->add_option("--config", args->config,
                  "A configuration file (data_dir, server.listen, store settings)");
  cmd->add_option("--data-dir", args->data_dir,
                  "The store's directory (default: the config's data_dir, else ./data)");
  cmd->add_option("--listen", args->listen,
                  "host:port to listen on (default: the config's server.listen, else "
                  "127.0.0.1:8080; port 0: any free port)");
  cmd->callback([args] { Serve(*args); });
}

}  // namespace trailhound::cli
