#include "cli/status_command.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "config/config_loader.h"

namespace trailhound::cli {
namespace {

struct StatusArgs {
  std::string url;
  std::string config;
  int timeout_secs = 5;
};

struct Endpoint {
  std::string scheme_host_port;  // "http://127.0.0.1:8080"
  std::string path_prefix;       // "" or "/trailhound"
};

Result<Endpoint> ParseUrl(std::string url) {
  if (url.find("://") == std::string::npos) url = "http://" + url;
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return Status::InvalidArgument("--url '" + url + "' is not an http:// or https:// URL");
  }
  const size_t authority = url.find("://") + 3;
  const size_t slash = url.find('/', authority);
  Endpoint endpoint;
  endpoint.scheme_host_port = url.substr(0, slash);
  if (slash != std::string::npos) endpoint.path_prefix = url.substr(slash);
  while (endpoint.path_prefix.ends_with('/')) endpoint.path_prefix.pop_back();
  if (endpoint.scheme_host_port.size() == authority) {
    return Status::InvalidArgument("--url '" + url + "' names no host");
  }
  return endpoint;
}

// "0.0.0.0:8080" (listen on every address) is reached at 127.0.0.1.
std::string UrlOfListen(std::string listen) {
  for (std::string_view any : {"0.0.0.0:", "[::]:", ":"}) {
    if (listen.starts_with(any)) {
      listen = "127.0.0.1:" + listen.substr(any.size());
      break;
    }
  }
  return "http://" + listen;
}

std::string Text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string Epm(const nlohmann::json& value) {
  if (!value.is_number()) return "-";
  double epm = value.get<double>();
  if (std::floor(epm) == epm) return fmt::format("{}", static_cast<int64_t>(epm));
  return fmt::format("{:.1f}", epm);
}

// Splits `text` into lines of at most `width` columns at spaces; a longer word gets a line
// of its own. Columns are counted as bytes that do not continue a UTF-8 sequence.
std::vector<std::string> Wrap(std::string_view text, size_t width) {
  auto columns = [](std::string_view s) {
    return static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  };
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    if (!word.empty()) {
      if (!line.empty() && columns(line) + 1 + columns(word) > width) {
        lines.push_back(std::move(line));
        line.clear();
      }
      if (!line.empty()) line += ' ';
      line += word;
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string Why(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "connection refused or host unreachable";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::Read:
      return "no answer before the read timeout";
    case httplib::Error::Write:
      return "the connection broke while sending";
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
    case httplib::Error::SSLLoadingCerts:
      return "TLS failed (certificate or protocol)";
    default:
      return httplib::to_string(error);
  }
}

size_t TerminalWidth() {
  if (const char* columns = std::getenv("COLUMNS")) {
    int value = std::atoi(columns);
    if (value >= 40) return static_cast<size_t>(value);
  }
  return 120;
}

void ShowStatus(const StatusArgs& args) {
  std::string url = args.url;
  if (url.empty() && !args.config.empty()) {
    auto config = config::LoadConfigFile(args.config);
    if (!config.ok()) {
      fmt::print(stderr, "trailhound: {}\n", config.status().ToString());
      throw CLI::RuntimeError(1);
    }
    url = UrlOfListen(config->server.listen);
  }
  if (url.empty()) url = "http://127.0.0.1:8080";
  auto sources = FetchSources(url, args.timeout_secs);
  if (!sources.ok()) {
    fmt::print(stderr, "trailhound: {}\n", sources.status().message());
    throw CLI::RuntimeError(1);
  }
  fmt::print("{}", FormatSourcesTable(*sources, TerminalWidth()));
}

}  // namespace

Result<nlohmann::json> FetchSources(const std::string& url, int timeout_secs) {
  auto endpoint = ParseUrl(url);
  if (!endpoint.ok()) return endpoint.status();
  httplib::Client client(endpoint->scheme_host_port);
  if (!client.is_valid()) {
    return Status::InvalidArgument("--url '" + url + "' is not a valid http(s) URL");
  }
  client.set_connection_timeout(timeout_secs, 0);
  client.set_read_timeout(timeout_secs, 0);
  const std::string target = endpoint->scheme_host_port + endpoint->path_prefix + "/api/sources";
  httplib::Result response = client.Get(endpoint->path_prefix + "/api/sources");
  if (!response) {
    return Status::Unavailable(fmt::format(
        "Cannot reach {}: {}. Is `trailhound run` running there? Pass --url (or --config) if "
        "it listens elsewhere.",
        target, Why(response.error())));
  }
  if (response->status != 200) {
    return Status::FailedPrecondition(
        fmt::format("{} answered HTTP {}: is this a Trailhound server?", target, response->status));
  }
  nlohmann::json sources =
      nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (sources.is_discarded() || !sources.is_array()) {
    return Status::FailedPrecondition(target + " did not answer with a JSON array of sources");
  }
  return sources;
}

std::string FormatSourcesTable(const nlohmann::json& sources, size_t width) {
  if (sources.empty()) {
    return "No event sources: sources run under `trailhound run --config FILE` (`trailhound "
           "serve` has none).\n";
  }
  struct Row {
    std::string name, status, epm, error, hint;
  };
  std::vector<Row> rows;
  Row header{"NAME", "STATUS", "EPM", "LAST ERROR", ""};
  size_t name_width = header.name.size(), status_width = header.status.size(),
         epm_width = header.epm.size();
  for (const nlohmann::json& source : sources) {
    if (!source.is_object()) continue;
    Row row{Text(source.value("name", nlohmann::json())),
            Text(source.value("status", nlohmann::json())),
            Epm(source.value("epm", nlohmann::json())),
            Text(source.value("last_error", nlohmann::json())),
            Text(source.value("hint", nlohmann::json()))};
    if (row.error.empty()) row.error = "-";
    name_width = std::max(name_width, row.name.size());
    status_width = std::max(status_width, row.status.size());
    epm_width = std::max(epm_width, row.epm.size());
    rows.push_back(std::move(row));
  }
  const size_t indent = name_width + status_width + epm_width + 6;
  // Too narrow a column for the error: it goes on the lines below, indented by 4.
  const bool below = width < indent + 40;
  const size_t error_indent = below ? 4 : indent;
  const size_t error_width = width > error_indent + 20 ? width - error_indent : 20;
  const std::string pad(error_indent, ' ');

  std::string out = fmt::format("{:<{}}  {:<{}}  {:>{}}  {}\n", header.name, name_width,
                                header.status, status_width, header.epm, epm_width, header.error);
  for (const Row& row : rows) {
    out += fmt::format("{:<{}}  {:<{}}  {:>{}}", row.name, name_width, row.status, status_width,
                       row.epm, epm_width);
    out += below ? "\n" : "  ";
    std::vector<std::string> lines = Wrap(row.error, error_width);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (below || i > 0) out += pad;
      out += lines[i] + "\n";
    }
    if (lines.empty()) out += "\n";
    if (!row.hint.empty()) {
      std::vector<std::string> hint = Wrap(row.hint, error_width - 6);
      for (size_t i = 0; i < hint.size(); ++i) {
        out += pad + (i == 0 ? "hint: " : "      ") + hint[i] + "\n";
      }
    }
  }
  return out;
}

void AddStatusCommand(CLI::App& app) {
  auto args = std::make_shared<StatusArgs>();
  auto* command = app.add_subcommand(
      "status",
      "Show the event sources of a running `trailhound run`: status, EPM, last error "
      "and the hint that names the fix");
  command->add_option("--url", args->url,
                      "Base URL of the Trailhound HTTP API (default http://127.0.0.1:8080)");
  command->add_option("--config", args->config,
                      "Take the address from this configuration's server.listen");
  command->add_option("--timeout-secs", args->timeout_secs, "Connect and read timeout")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  command->callback([args] { ShowStatus(*args); });
}

}  // namespace trailhound::cli
