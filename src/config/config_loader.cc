#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "aws/sqs_queue_url.h"

namespace trailhound::config {

namespace {

// Where a node is, for errors: "file:12".
std::string At(std::string_view origin, const YAML::Node& node) {
  return std::string(origin) + ":" + std::to_string(node.Mark().line + 1);
}

Status Error(std::string_view origin, const YAML::Node& node, const std::string& what) {
  return Status::InvalidArgument(At(origin, node) + ": " + what);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// One key of a section: how to read it into T, how to show its default, what it means.
template <typename T>
struct Field {
  std::string_view key;
  std::string_view doc;
  std::function<Status(const YAML::Node&, T&, std::string_view origin)> read;
  std::function<std::string(const T&)> show;
};

template <typename T>
Field<T> Text(std::string_view key, std::string T::*member, std::string_view doc) {
  return {key, doc,
          [key, member](const YAML::Node& node, T& out, std::string_view origin) -> Status {
            if (!node.IsScalar()) {
              return Error(origin, node, "'" + std::string(key) + "' must be a string");
            }
            out.*member = node.Scalar();
            return Status::OK();
          },
          [member](const T& value) { return value.*member; }};
}

template <typename T>
Field<T> SecretText(std::string_view key, Secret T::*member, std::string_view doc) {
  return {key, doc,
          [key, member](const YAML::Node& node, T& out, std::string_view origin) -> Status {
            if (!node.IsScalar()) {
              return Error(origin, node, "'" + std::string(key) + "' must be a string");
            }
            out.*member = Secret(node.Scalar());
            return Status::OK();
          },
          [member](const T& value) {
            return (value.*member).empty() ? std::string() : std::string("<redacted>");
          }};
}

template <typename T, typename Int>
Field<T> Number(std::string_view key, Int T::*member, int64_t min, int64_t max,
                std::string_view doc) {
  return {
      key, doc,
      [key, member, min, max](const YAML::Node& node, T& out, std::string_view origin) -> Status {
        int64_t value = 0;
        if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value) || value < min ||
            value > max) {
          return Error(origin, node,
                       "'" + std::string(key) + "' must be a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max));
        }
        out.*member = static_cast<Int>(value);
        return Status::OK();
      },
      [member](const T& value) { return std::to_string(value.*member); }};
}

template <typename T>
const std::vector<Field<T>>& Fields();

template <>
const std::vector<Field<ServerConfig>>& Fields() {
  static const std::vector<Field<ServerConfig>> fields = {
      Text("listen", &ServerConfig::listen,
           "host:port of the HTTP API and web UI; keep 127.0.0.1 unless a token is set"),
      SecretText("token", &ServerConfig::token,
                 "bearer token required by the API and UI; prefer token_file or token_env"),
      Text("token_file", &ServerConfig::token_file, "a file holding the bearer token"),
      Text("token_env", &ServerConfig::token_env,
           "an environment variable holding the bearer token"),
  };
  return fields;
}

template <>
const std::vector<Field<StoreConfig>>& Fields() {
  static const std::vector<Field<StoreConfig>> fields = {
      Number("retention_days", &StoreConfig::retention_days, 0, 36500,
             "delete events older than this many days; 0 keeps them forever"),
      Number("flush_interval_secs", &StoreConfig::flush_interval_secs, 1, 86400,
             "write buffered events into segments at least this often"),
      Number("max_memtable_mb", &StoreConfig::max_memtable_mb, 1, 65536,
             "buffered raw JSON that forces a flush; writers wait beyond twice this"),
  };
  return fields;
}

template <>
const std::vector<Field<aws::CredentialsConfig>>& Fields() {
  using C = aws::CredentialsConfig;
  static const std::vector<Field<C>> fields = {
      Text("access_key_id", &C::access_key_id,
           "access key id of an IAM user (the classic set-up) or a temporary key"),
      SecretText("secret_access_key", &C::secret_access_key,
                 "the secret key inline; prefer secret_access_key_file or _env"),
      Text("secret_access_key_file", &C::secret_access_key_file,
           "a file holding the secret access key"),
      Text("secret_access_key_env", &C::secret_access_key_env,
           "an environment variable holding the secret access key"),
      SecretText("session_token", &C::session_token, "session token of temporary keys, inline"),
      Text("session_token_file", &C::session_token_file, "a file holding the session token"),
      Text("session_token_env", &C::session_token_env,
           "an environment variable holding the session token"),
      Text("profile", &C::profile, "a profile of ~/.aws/credentials or ~/.aws/config"),
      Text("role_arn", &C::role_arn, "an IAM role to assume with the credentials above"),
      Text("external_id", &C::external_id, "the external ID the role's trust policy requires"),
      Text("role_session_name", &C::role_session_name,
           "session name in the role's CloudTrail events (default trailhound-<time>)"),
      Number("duration_secs", &C::duration_secs, 0, 43200,
             "lifetime of the role's credentials; 0 for the STS default (3600)"),
      Text("web_identity_token_file", &C::web_identity_token_file,
           "an OIDC token file for AssumeRoleWithWebIdentity (EKS IRSA)"),
  };
  return fields;
}

template <>
const std::vector<Field<SourceConfig>>& Fields() {
  using S = SourceConfig;
  static const std::vector<Field<S>> fields = {
      Text("name", &S::name, "unique name of the source; stored as each event's _source"),
      Text("type", &S::type, "what the source reads: aws_cloudtrail"),
      Text("method", &S::method, "how: sqs (S3 notifications through an SQS queue)"),
      Text("queue_url", &S::queue_url, "the SQS queue URL (required)"),
      Text("region", &S::region, "the queue's region; derived from queue_url when empty"),
      Text("bucket_region", &S::bucket_region,
           "the log bucket's region; detected (and remembered) when empty"),
      Text("endpoint_url", &S::endpoint_url,
           "SQS and S3 endpoint override for emulators and VPC endpoints"),
      Text("s3_endpoint_url", &S::s3_endpoint_url, "S3 endpoint override; default endpoint_url"),
      Number("pollers", &S::pollers, 1, 64, "concurrent ReceiveMessage long polls (20 s, 10 msgs)"),
      Number("max_objects_in_flight", &S::max_objects_in_flight, 1, 1024,
             "S3 objects fetched and decoded at once"),
      Number("max_object_mb", &S::max_object_mb, 1, 1 << 20,
             "larger objects are refused (compressed size)"),
      Number("max_decompressed_mb", &S::max_decompressed_mb, 1, 1 << 22,
             "bomb guard: decoded bytes allowed per object"),
      Number("visibility_timeout_secs", &S::visibility_timeout_secs, 5, 43200,
             "how long each visibility extension hides a message being processed"),
      Number("wait_time_secs", &S::wait_time_secs, 0, 20,
             "long-poll wait of each ReceiveMessage (20 keeps API calls and cost low)"),
  };
  return fields;
}

template <typename T>
Status ReadSection(const YAML::Node& node, std::string_view section, std::string_view origin,
                   T& out, const std::set<std::string>& nested = {}) {
  if (!node.IsMap()) return Error(origin, node, "'" + std::string(section) + "' must be a map");
  const auto& fields = Fields<T>();
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (nested.contains(key)) continue;  // read by the caller
    auto it =
        std::find_if(fields.begin(), fields.end(), [&](const Field<T>& f) { return f.key == key; });
    if (it == fields.end()) {
      std::string message = "unknown key '" + key + "' in " + std::string(section);
      std::string_view best;
      size_t best_distance = 3;
      for (const auto& f : fields) {
        size_t d = EditDistance(key, f.key);
        if (d < best_distance) best = f.key, best_distance = d;
      }
      for (const std::string& n : nested) {
        if (EditDistance(key, n) < best_distance) best = n, best_distance = EditDistance(key, n);
      }
      if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
      return Error(origin, entry.first, message);
    }
    if (entry.second.IsNull()) continue;  // "key:" with nothing keeps the default
    TH_RETURN_IF_ERROR(it->read(entry.second, out, origin));
  }
  return Status::OK();
}

Result<Config> ParseRoot(const YAML::Node& root, std::string_view origin) {
  Config config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) return Error(origin, root, "the configuration must be a map of keys");
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& value = entry.second;
    if (key == "data_dir") {
      if (!value.IsScalar()) return Error(origin, value, "'data_dir' must be a path");
      config.data_dir = value.Scalar();
    } else if (key == "server") {
      TH_RETURN_IF_ERROR(ReadSection(value, "server", origin, config.server));
    } else if (key == "store") {
      TH_RETURN_IF_ERROR(ReadSection(value, "store", origin, config.store));
    } else if (key == "sources") {
      if (!value.IsSequence()) {
        return Error(origin, value, "'sources' must be a list (each item starts with '- ')");
      }
      for (size_t i = 0; i < value.size(); ++i) {
        const YAML::Node item = value[i];
        const std::string section = "sources[" + std::to_string(i) + "]";
        SourceConfig source;
        TH_RETURN_IF_ERROR(ReadSection(item, section, origin, source, {"credentials"}));
        if (item["credentials"] && !item["credentials"].IsNull()) {
          TH_RETURN_IF_ERROR(ReadSection(item["credentials"], section + ".credentials", origin,
                                         source.credentials));
        }
        config.sources.push_back(std::move(source));
      }
    } else {
      std::string message = "unknown top-level key '" + key + "'";
      for (std::string_view known : {"data_dir", "server", "store", "sources"}) {
        if (EditDistance(key, known) <= 2)
          message += " (did you mean '" + std::string(known) + "'?)";
      }
      return Error(origin, entry.first,
                   message + "; the keys are data_dir, server, store and sources");
    }
  }
  return config;
}

template <typename T>
void ReferenceTable(std::string_view title, std::string& out) {
  T defaults;
  out += "### " + std::string(title) + "\n\n| key | default | meaning |\n|---|---|---|\n";
  for (const auto& field : Fields<T>()) {
    std::string shown = field.show(defaults);
    out += "| `" + std::string(field.key) + "` | " + (shown.empty() ? "" : "`" + shown + "`") +
           " | " + std::string(field.doc) + " |\n";
  }
  out += "\n";
}

// `indent` key: value lines of `value`; with only_changed, just the keys that differ from
// their defaults.
template <typename T>
void Describe(const T& value, const std::string& indent, std::string& out,
              bool only_changed = false) {
  const T defaults;
  for (const auto& field : Fields<T>()) {
    std::string shown = field.show(value);
    if (shown.empty() || (only_changed && shown == field.show(defaults))) continue;
    out += indent + std::string(field.key) + ": " + shown + "\n";
  }
}

}  // namespace

Result<Config> ParseConfig(std::string_view yaml, std::string_view origin) {
  // yaml-cpp reports errors by exception; they end here.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return ParseRoot(root, origin);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string(origin) + ":" + std::to_string(e.mark.line + 1) +
                                   ": not valid YAML: " + e.msg);
  }
}

Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("Cannot read the configuration file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  TH_ASSIGN_OR_RETURN(Config config, ParseConfig(text.str(), path));
  TH_RETURN_IF_ERROR(ValidateConfig(config).Annotate(path));
  return config;
}

Status ValidateConfig(const Config& config) {
  if (config.data_dir.empty()) return Status::InvalidArgument("data_dir must not be empty");
  const int tokens = !config.server.token.empty() + !config.server.token_file.empty() +
                     !config.server.token_env.empty();
  if (tokens > 1) {
    return Status::InvalidArgument("server: set only one of token, token_file and token_env");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < config.sources.size(); ++i) {
    const SourceConfig& source = config.sources[i];
    const std::string where = "sources[" + std::to_string(i) + "]";
    if (source.name.empty()) return Status::InvalidArgument(where + " needs a 'name'");
    const std::string named = where + " ('" + source.name + "')";
    if (!names.insert(source.name).second) {
      return Status::InvalidArgument(named + ": another source has the same name");
    }
    if (source.type != "aws_cloudtrail") {
      return Status::InvalidArgument(named + ": type '" + source.type +
                                     "' is not supported; use aws_cloudtrail");
    }
    if (source.method != "sqs") {
      return Status::InvalidArgument(named + ": method '" + source.method +
                                     "' is not supported; use sqs");
    }
    if (source.queue_url.empty()) {
      return Status::InvalidArgument(named +
                                     " needs a 'queue_url' (the SQS queue URL, "
                                     "https://sqs.<region>.amazonaws.com/<account>/<queue>)");
    }
    aws::SqsQueueUrlOptions url_options;
    url_options.region = source.region;
    url_options.endpoint_url = source.endpoint_url;
    if (auto url = aws::ParseSqsQueueUrl(source.queue_url, url_options); !url.ok()) {
      return url.status().Annotate(named + ": queue_url");
    }
    if (Status s = aws::ValidateCredentialsConfig(source.credentials); !s.ok()) {
      return s.Annotate(named + ": credentials");
    }
  }
  return Status::OK();
}

std::vector<std::pair<std::string, std::string>> SourceSettings(const SourceConfig& source) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const auto& field : Fields<SourceConfig>()) {
    settings.emplace_back(std::string(field.key), field.show(source));
  }
  for (const auto& field : Fields<aws::CredentialsConfig>()) {
    std::string shown = field.show(source.credentials);
    if (shown.empty() || shown == field.show(aws::CredentialsConfig{})) continue;
    settings.emplace_back("credentials." + std::string(field.key), std::move(shown));
  }
  return settings;
}

Result<Secret> LoadServerToken(const ServerConfig& server) {
  std::string token;
  if (!server.token.empty()) return server.token;
  if (!server.token_file.empty()) {
    std::ifstream in(server.token_file);
    if (!in) {
      return Status::InvalidArgument("server.token_file '" + server.token_file +
                                     "' cannot be read");
    }
    std::stringstream text;
    text << in.rdbuf();
    token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (token.empty()) {
      return Status::InvalidArgument("server.token_file '" + server.token_file + "' is empty");
    }
  } else if (!server.token_env.empty()) {
    const char* value = std::getenv(server.token_env.c_str());
    if (value == nullptr || *value == '\0') {
      return Status::InvalidArgument("server.token_env: the environment variable '" +
                                     server.token_env + "' is not set or empty");
    }
    token = value;
  }
  return Secret(std::move(token));
}

std::string ConfigReference() {
  std::string out =
      "### Top level\n\n| key | default | meaning |\n|---|---|---|\n"
      "| `data_dir` | `./data` | where the store keeps its files (one writer at a time) |\n"
      "| `server` | | the HTTP server (below) |\n| `store` | | the embedded store (below) |\n"
      "| `sources` | | a list of event sources (below) |\n\n";
  ReferenceTable<ServerConfig>("server", out);
  ReferenceTable<StoreConfig>("store", out);
  ReferenceTable<SourceConfig>("sources[]", out);
  ReferenceTable<aws::CredentialsConfig>("sources[].credentials (empty: the default AWS chain)",
                                         out);
  return out;
}

std::string DescribeConfig(const Config& config) {
  std::string out = "data_dir: " + config.data_dir + "\nserver:\n";
  Describe(config.server, "  ", out);
  out += "store:\n";
  Describe(config.store, "  ", out);
  out += "sources:\n";
  for (const SourceConfig& source : config.sources) {
    std::string body;
    Describe(source, "    ", body);
    if (body.size() > 2) body[2] = '-';  // "  - name: ..." for the first line
    out += body;
    std::string credentials;
    Describe(source.credentials, "      ", credentials, /*only_changed=*/true);
    out += credentials.empty() ? "    credentials: (the default AWS chain)\n"
                               : "    credentials:\n" + credentials;
  }
  return out;
}

}  // namespace trailhound::config
