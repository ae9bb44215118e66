// LocalHttpServer: a real HTTP server on 127.0.0.1 and a free port, run on its own
// thread, for tests that need an HTTP peer we control (IMDS, ECS, STS replies,
// error documents, slow or oversized responses). Built on cpp-httplib.
// Usage: register handlers on server() first, then Start(); the destructor stops
// the server and joins its thread.
// Thread safety: handlers run on the server's worker threads.
#pragma once

#include <httplib.h>

#include <string>
#include <thread>

#include "core/status.h"

namespace trailhound::testing {

class LocalHttpServer {
 public:
  // Nagle is off: with it, every reply on a kept-alive connection waits ~40 ms.
  LocalHttpServer() { server_.set_tcp_nodelay(true); }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;
  ~LocalHttpServer() { Stop(); }

  httplib::Server& server() { return server_; }

  // Binds 127.0.0.1 on a free port and starts serving; returns once it accepts connections.
  Status Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return Status::IoError("LocalHttpServer: cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return server_.is_running() ? Status::OK()
                                : Status::Unavailable("LocalHttpServer did not start");
  }

  void Stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace trailhound::testing
