// Tests of the libcurl transport against real local servers (LocalHttpServer, a raw
// socket server for replies httplib cannot produce, and an HTTPS server with a
// certificate made by the openssl CLI).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "aws/http.h"
#include "testing/local_http_server.h"

namespace trailhound::aws {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using trailhound::testing::LocalHttpServer;

// Holds server handlers until the test ends (its destructor opens the gate, so declare
// it after the server: it is destroyed first and the server's threads can finish).
class Gate {
 public:
  ~Gate() { Open(); }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A socket server on 127.0.0.1 that answers every connection with one canned reply
// and records the request head; for replies httplib cannot produce (100 Continue
// blocks) and for seeing the exact request line (proxy requests).
class RawHttpServer {
 public:
  explicit RawHttpServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 8) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "RawHttpServer cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~RawHttpServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = recv(conn, buf, sizeof(buf), 0);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(head);
      }
      (void)send(conn, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      shutdown(conn, SHUT_RDWR);
      close(conn);
    }
  }

  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

// Sets an environment variable for the lifetime of the guard.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A port on 127.0.0.1 where nothing listens.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

HttpRequest Get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

TEST(FindHeader, IsCaseInsensitiveAndEmptyWhenAbsent) {
  HttpHeaders headers = {{"x-amz-request-id", "ABC"}, {"Content-Type", "text/xml"}};
  EXPECT_EQ(FindHeader(headers, "X-Amz-Request-Id"), "ABC");
  EXPECT_EQ(FindHeader(headers, "content-type"), "text/xml");
  EXPECT_EQ(FindHeader(headers, "x-amz-id-2"), "");
}

TEST(CurlHttpTransport, ReturnsStatusHeadersAndBody) {
  LocalHttpServer server;
  server.server().Get("/object", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_header("x-amz-request-id", "REQ123");
    res.set_content("hello", "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  auto transport = MakeCurlHttpTransport();
  auto r = transport->Send(Get(server.url() + "/object"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->Header("X-Amz-Request-Id"), "REQ123");
  EXPECT_EQ(r->Header("content-type"), "text/plain");
}

TEST(CurlHttpTransport, ReusesConnectionsAcrossRequestsAndThreads) {
  LocalHttpServer server;
  server.server().set_keep_alive_max_count(1000);
  server.server().set_tcp_nodelay(true);  // else Nagle + delayed ACK cost 40 ms per reply
  std::mutex mu;
  std::set<int> client_ports;  // one per TCP connection
  server.server().Get("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    client_ports.insert(req.remote_port);
    res.set_content("ok", "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  auto transport = MakeCurlHttpTransport();

  for (int i = 0; i < 10; ++i) {
    auto r = transport->Send(Get(server.url() + "/"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  EXPECT_EQ(client_ports.size(), 1u);

  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) {
        auto r = transport->Send(Get(server.url() + "/"));
        if (!r.ok() || r->status != 200) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(client_ports.size(), static_cast<size_t>(kThreads));
}

TEST(CurlHttpTransport, SendsBodiesFromMemoryWithoutExpectOrDefaultContentType) {
  LocalHttpServer server;
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Seen-Method", req.method);
    res.set_header("Seen-Content-Type", req.get_header_value("Content-Type"));
    res.set_header("Seen-Expect", req.has_header("Expect") ? "yes" : "no");
    res.set_header("Seen-Length", req.get_header_value("Content-Length"));
    res.set_content(req.body, "text/plain");
  };
  server.server().Put("/k", echo);
  server.server().Post("/", echo);
  server.server().Delete("/k", echo);
  ASSERT_TRUE(server.Start().ok());
  auto transport = MakeCurlHttpTransport();

  HttpRequest put;
  put.method = "PUT";
  put.url = server.url() + "/k";
  put.body = std::string(200000, 'x');  // large enough that curl would send Expect
  put.headers = {{"Content-Type", "application/octet-stream"}};
  auto r = transport->Send(put);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Header("Seen-Method"), "PUT");
  EXPECT_EQ(r->Header("Seen-Expect"), "no");
  EXPECT_EQ(r->Header("Seen-Content-Type"), "application/octet-stream");
  EXPECT_EQ(r->body, put.body);

  HttpRequest post;
  post.method = "POST";
  post.url = server.url() + "/";
  post.body = R"({"QueueUrl":"q"})";
  r = transport->Send(post);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Header("Seen-Content-Type"), "");  // not application/x-www-form-urlencoded
  EXPECT_EQ(r->body, post.body);

  HttpRequest empty_put;
  empty_put.method = "PUT";
  empty_put.url = server.url() + "/k";
  r = transport->Send(empty_put);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Header("Seen-Length"), "0");

  HttpRequest del;
  del.method = "DELETE";
  del.url = server.url() + "/k";
  r = transport->Send(del);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Header("Seen-Method"), "DELETE");
}

TEST(CurlHttpTransport, HeadReturnsHeadersWithoutWaitingForABody) {
  LocalHttpServer server;
  server.server().Get("/k", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("x-amz-bucket-region", "eu-west-1");
    res.set_content(std::string(1000, 'x'), "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions options;
  options.read_timeout_ms = 2000;
  auto transport = MakeCurlHttpTransport(options);
  HttpRequest head = Get(server.url() + "/k");
  head.method = "HEAD";
  auto start = steady_clock::now();
  auto r = transport->Send(head);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("x-amz-bucket-region"), "eu-west-1");
  EXPECT_EQ(r->Header("Content-Length"), "1000");
  EXPECT_TRUE(r->body.empty());
}

TEST(CurlHttpTransport, DoesNotFollowRedirects) {
  LocalHttpServer server;
  server.server().Get("/k", [](const httplib::Request&, httplib::Response& res) {
    res.status = 307;
    res.set_header("Location", "http://127.0.0.1:1/elsewhere");
    res.set_header("x-amz-bucket-region", "eu-west-1");
  });
  ASSERT_TRUE(server.Start().ok());
  auto r = MakeCurlHttpTransport()->Send(Get(server.url() + "/k"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 307);
  EXPECT_EQ(r->Header("x-amz-bucket-region"), "eu-west-1");
}

TEST(CurlHttpTransport, KeepsOnlyTheLastHeaderBlock) {
  RawHttpServer server(
      "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
      "HTTP/1.1 200 OK\r\nX-Final: yes\r\nContent-Length: 4\r\n\r\ndone");
  auto r = MakeCurlHttpTransport()->Send(Get(server.url() + "/"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("X-Final"), "yes");
  EXPECT_EQ(r->Header("X-Interim"), "");
  EXPECT_EQ(r->body, "done");
}

TEST(CurlHttpTransport, KeepsDotSegmentsInThePath) {
  RawHttpServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  auto r = MakeCurlHttpTransport()->Send(Get(server.url() + "/bucket/a/../b/./c"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(server.requests()[0].starts_with("GET /bucket/a/../b/./c HTTP/1.1\r\n"))
      << server.requests()[0];
}

TEST(CurlHttpTransport, ReadTimeoutWhenTheServerSendsNothing) {
  LocalHttpServer server;
  Gate gate;
  server.server().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    gate.Wait();
    res.set_content("late", "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions options;
  options.read_timeout_ms = 300;
  auto start = steady_clock::now();
  auto r = MakeCurlHttpTransport(options)->Send(Get(server.url() + "/slow"));
  auto elapsed = steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  EXPECT_TRUE(r.status().IsRetriable());
  EXPECT_NE(r.status().message().find("read timeout"), std::string::npos);
  EXPECT_GE(elapsed, milliseconds(300));
  EXPECT_LT(elapsed, milliseconds(2500));  // checked about once a second
  gate.Open();
}

TEST(CurlHttpTransport, ReadTimeoutWhenTheBodyStalls) {
  LocalHttpServer server;
  Gate gate;
  server.server().Get("/stall", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&](size_t offset, httplib::DataSink& sink) {
      if (offset == 0) {
        sink.write("first chunk", 11);
        return true;
      }
      gate.Wait();
      sink.done();
      return true;
    });
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions options;
  options.read_timeout_ms = 300;
  std::string received;
  BodySink sink = [&](std::string_view chunk) {
    received += chunk;
    return Status::OK();
  };
  auto r = MakeCurlHttpTransport(options)->Send(Get(server.url() + "/stall"), &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  EXPECT_EQ(received, "first chunk");
  gate.Open();
}

TEST(CurlHttpTransport, TotalTimeoutBoundsTheWholeRequest) {
  LocalHttpServer server;
  Gate gate;
  server.server().Get("/drip", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&](size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(milliseconds(50));  // never idle for the read timeout
      sink.write("x", 1);
      return true;
    });
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions options;
  options.read_timeout_ms = 5000;
  options.total_timeout_ms = 400;
  BodySink sink = [](std::string_view) { return Status::OK(); };
  auto start = steady_clock::now();
  auto r = MakeCurlHttpTransport(options)->Send(Get(server.url() + "/drip"), &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  EXPECT_LT(steady_clock::now() - start, milliseconds(2000));
}

TEST(CurlHttpTransport, ConnectionRefusedIsUnavailableAndNamesMethodAndUrlOnly) {
  const int port = ClosedPort();
  HttpRequest request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:" + std::to_string(port) +
                "/bucket/key?X-Amz-Signature=deadbeef&X-Amz-Security-Token=TOKENVALUE";
  request.headers = {{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDSECRETVALUE"},
                     {"X-Amz-Security-Token", "SESSIONSECRET"}};
  request.body = "data";
  auto r = MakeCurlHttpTransport()->Send(request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  EXPECT_TRUE(r.status().IsRetriable());
  const std::string text = r.status().ToString();
  EXPECT_NE(text.find("PUT http://127.0.0.1:" + std::to_string(port) + "/bucket/key"),
            std::string::npos)
      << text;
  for (const char* secret : {"deadbeef", "TOKENVALUE", "AKIDSECRETVALUE", "SESSIONSECRET"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
  }
}

TEST(CurlHttpTransport, BufferedBodyOverTheLimitIsResourceExhausted) {
  LocalHttpServer server;
  server.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(200000, 'x'), "application/octet-stream");
  });
  server.server().Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
      if (offset >= 200000) {
        sink.done();
        return true;
      }
      std::string chunk(10000, 'x');
      sink.write(chunk.data(), chunk.size());
      return true;
    });
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions options;
  options.max_response_bytes = 100000;
  auto transport = MakeCurlHttpTransport(options);
  for (const char* path : {"/big", "/big-chunked"}) {
    auto r = transport->Send(Get(server.url() + path));
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
    EXPECT_FALSE(r.status().IsRetriable());
  }
}

TEST(CurlHttpTransport, StreamsSuccessfulBodiesToTheSinkBeyondTheBufferLimit) {
  LocalHttpServer server;
  const std::string object(3 << 20, 'z');
  server.server().Get("/obj", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(object, "application/octet-stream");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions options;
  options.max_response_bytes = 1 << 20;
  std::string received;
  int chunks = 0;
  BodySink sink = [&](std::string_view chunk) {
    received += chunk;
    ++chunks;
    return Status::OK();
  };
  auto r = MakeCurlHttpTransport(options)->Send(Get(server.url() + "/obj"), &sink);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(received, object);
  EXPECT_GT(chunks, 1);
}

TEST(CurlHttpTransport, BuffersErrorBodiesInsteadOfStreamingThem) {
  LocalHttpServer server;
  server.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("<Error><Code>NoSuchKey</Code></Error>", "application/xml");
  });
  ASSERT_TRUE(server.Start().ok());
  bool called = false;
  BodySink sink = [&](std::string_view) {
    called = true;
    return Status::OK();
  };
  auto r = MakeCurlHttpTransport()->Send(Get(server.url() + "/missing"), &sink);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "<Error><Code>NoSuchKey</Code></Error>");
  EXPECT_FALSE(called);
}

TEST(CurlHttpTransport, ASinkErrorAbortsTheTransferAndIsReturned) {
  LocalHttpServer server;
  server.server().Get("/obj", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1 << 20, 'z'), "application/octet-stream");
  });
  ASSERT_TRUE(server.Start().ok());
  BodySink sink = [](std::string_view) { return Status::Cancelled("shutting down"); };
  auto r = MakeCurlHttpTransport()->Send(Get(server.url() + "/obj"), &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(r.status().message(), "shutting down");
}

TEST(CurlHttpTransport, PerCallOptionsReplaceTheDefaults) {
  LocalHttpServer server;
  server.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(5000, 'x'), "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpOptions small;
  small.max_response_bytes = 1000;
  auto transport = MakeCurlHttpTransport(small);
  EXPECT_FALSE(transport->Send(Get(server.url() + "/big")).ok());
  HttpOptions large;
  auto r = transport->Send(Get(server.url() + "/big"), nullptr, &large);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body.size(), 5000u);
}

TEST(CurlHttpTransport, ResolvesDotLocalhostNamesToLoopback) {
  LocalHttpServer server;
  server.server().Get("/000000000000/q", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.get_header_value("Host"), "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  const std::string host = "sqs.us-east-1.localhost:" + std::to_string(server.port());
  auto r = MakeCurlHttpTransport()->Send(Get("http://" + host + "/000000000000/q"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, host);
}

TEST(CurlHttpTransport, HonoursProxyEnvironmentVariables) {
  RawHttpServer proxy("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nproxied");
  LocalHttpServer direct;
  direct.server().Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("direct", "text/plain");
  });
  ASSERT_TRUE(direct.Start().ok());
  ScopedEnv http_proxy("http_proxy", proxy.url().c_str());
  ScopedEnv no_proxy("no_proxy", "127.0.0.1");
  auto transport = MakeCurlHttpTransport();

  auto r = transport->Send(Get("http://bucket.s3.example.invalid/AWSLogs/key.json.gz"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "proxied");
  ASSERT_EQ(proxy.requests().size(), 1u);
  // The proxy receives the absolute-form request target.
  EXPECT_TRUE(proxy.requests()[0].starts_with(
      "GET http://bucket.s3.example.invalid/AWSLogs/key.json.gz HTTP/1.1\r\n"))
      << proxy.requests()[0];

  r = transport->Send(Get(direct.url() + "/"));  // excluded by no_proxy
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "direct");
  EXPECT_EQ(proxy.requests().size(), 1u);
}

// An HTTPS server on 127.0.0.1 with a fresh self-signed certificate for "localhost"
// and 127.0.0.1, made with the openssl CLI.
class TlsServer {
 public:
  TlsServer() {
    char tmpl[] = "/tmp/trailhound-tls-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
        " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return;
    server_ = std::make_unique<httplib::SSLServer>((dir_ + "/cert.pem").c_str(),
                                                   (dir_ + "/key.pem").c_str());
    if (!server_->is_valid()) return;
    server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("secure", "text/plain");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return;
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  }
  ~TlsServer() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  bool running() const { return server_ && server_->is_running(); }
  std::string ca_file() const { return dir_ + "/cert.pem"; }
  std::string url(const std::string& host) const {
    return "https://" + host + ":" + std::to_string(port_) + "/";
  }

 private:
  std::string dir_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(CurlHttpTransport, VerifiesTlsCertificatesAndHostNames) {
  TlsServer server;
  ASSERT_TRUE(server.running()) << "could not start an HTTPS server (is the openssl CLI there?)";

  auto r = MakeCurlHttpTransport()->Send(Get(server.url("127.0.0.1")));
  ASSERT_FALSE(r.ok()) << "a self-signed certificate was accepted";
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();

  HttpOptions trusted;
  trusted.ca_file = server.ca_file();
  auto transport = MakeCurlHttpTransport(trusted);
  for (const char* host : {"127.0.0.1", "localhost"}) {
    r = transport->Send(Get(server.url(host)));
    ASSERT_TRUE(r.ok()) << host << ": " << r.status().ToString();
    EXPECT_EQ(r->body, "secure");
  }

  // Trusted CA, but the certificate does not name this host.
  r = transport->Send(Get(server.url("s3.us-east-1.localhost")));
  ASSERT_FALSE(r.ok()) << "a certificate for another host name was accepted";
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();

  HttpOptions unverified;
  unverified.verify_tls = false;
  r = MakeCurlHttpTransport(unverified)->Send(Get(server.url("127.0.0.1")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

}  // namespace
}  // namespace trailhound::aws
