#include "cli/serve_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <memory>
#include <string>

#include "server/http_server.h"
#include "store/store.h"

namespace trailhound::cli {
namespace {

struct ServeArgs {
  std::string data_dir = "./data";
  std::string listen = "127.0.0.1:8080";
};

[[noreturn]] void Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.ToString());
  throw CLI::RuntimeError(1);
}

// Blocks SIGINT and SIGTERM in every thread started after this, and waits for one of them.
class SignalWaiter {
 public:
  SignalWaiter() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  int Wait() {
    int signal = 0;
    sigwait(&set_, &signal);
    return signal;
  }

 private:
  sigset_t set_;
};

void Serve(const ServeArgs& args) {
  SignalWaiter signals;  // before any thread starts, so that they all inherit the mask
  store::StoreOptions options;
  options.data_dir = args.data_dir;
  auto store = store::Store::Open(options);
  if (!store.ok()) Fail(store.status());
  server::HttpServerOptions server_options;
  server_options.listen = args.listen;
  server::HttpServer server(store->get(), server_options);
  auto port = server.Start();
  if (!port.ok()) Fail(port.status());
  std::string host = args.listen.substr(0, args.listen.rfind(':'));
  fmt::print("trailhound: serving the store in '{}' ({} events) on http://{}:{}/\n", args.data_dir,
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
  cmd->add_option("--data-dir", args->data_dir, "The store's directory")->capture_default_str();
  cmd->add_option("--listen", args->listen, "host:port to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->callback([args] { Serve(*args); });
}

}  // namespace trailhound::cli
