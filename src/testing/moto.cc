#include "testing/moto.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

namespace trailhound::testing {
namespace {

// A policy document written to a temp file for moto-iam.py; removed when destroyed.
class PolicyFile {
 public:
  static Result<PolicyFile> Write(std::string_view json) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string path = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") +
                       "/trailhound-policy-XXXXXX";
    int fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) return Status::IoError("Cannot create \"" + path + "\": " + std::strerror(errno));
    PolicyFile file(path);
    size_t done = 0;
    while (done < json.size()) {
      ssize_t n = write(fd, json.data() + done, json.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        int err = errno;
        close(fd);
        return Status::IoError("Cannot write \"" + path + "\": " + std::strerror(err));
      }
      done += static_cast<size_t>(n);
    }
    close(fd);
    return file;
  }
  PolicyFile(PolicyFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  PolicyFile& operator=(PolicyFile&&) = delete;
  PolicyFile(const PolicyFile&) = delete;
  PolicyFile& operator=(const PolicyFile&) = delete;
  ~PolicyFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit PolicyFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// {"access_key_id": ..., "secret_access_key": ...} printed by moto-iam.py.
Result<aws::Credentials> ParseKeys(const std::string& text, std::string source) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("access_key_id") || !json["access_key_id"].is_string() ||
      !json.contains("secret_access_key") || !json["secret_access_key"].is_string()) {
    return Status::Internal("moto-iam.py printed no access key for " + source);
  }
  aws::Credentials credentials;
  credentials.access_key_id = json["access_key_id"].get<std::string>();
  credentials.secret_access_key = Secret(json["secret_access_key"].get<std::string>());
  credentials.source = std::move(source);
  return credentials;
}

}  // namespace

Result<std::unique_ptr<Moto>> Moto::Start(int no_auth_actions) {
  MotoOptions options;
  options.no_auth_actions = no_auth_actions;
  return Start(options);
}

Result<std::unique_ptr<Moto>> Moto::Start(const MotoOptions& options) {
  if (options.no_auth_actions < 3) {
    return Status::InvalidArgument("Moto needs no_auth_actions >= 3 to create its admin, not " +
                                   std::to_string(options.no_auth_actions));
  }
  TH_ASSIGN_OR_RETURN(std::string server_script,
                      SourcePath(options.source_dir, "scripts/services/moto-server.py"));
  TH_ASSIGN_OR_RETURN(std::string iam_script,
                      SourcePath(options.source_dir, "scripts/services/moto-iam.py"));
  Command command;
  command.name = "moto";
  command.argv = {"python3", server_script, "--port", "0"};
  command.argv.insert(command.argv.end(),
                      {"--no-auth-actions", std::to_string(options.no_auth_actions)});
  // The script's own watchdog, in addition to PR_SET_PDEATHSIG.
  command.argv.insert(command.argv.end(), {"--parent-pid", std::to_string(getpid())});
  command.timeout = options.start_timeout;
  TH_ASSIGN_OR_RETURN(auto process, ServiceProcess::Start(command));
  std::unique_ptr<Moto> moto(new Moto(std::move(process), options, std::move(iam_script)));

  TH_ASSIGN_OR_RETURN(std::string keys, moto->RunIam({"bootstrap-admin"}, /*as_admin=*/false));
  TH_ASSIGN_OR_RETURN(moto->admin_, ParseKeys(keys, "moto user admin"));
  return moto;
}

Result<std::string> Moto::RunIam(std::vector<std::string> args, bool as_admin) {
  Command command;
  command.name = "moto-iam.py " + args.front();
  command.argv = {"python3", iam_script_, "--endpoint", endpoint(), "--region", options_.region};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  // Hermetic: no profile or config file of the user running the tests.
  command.env = {{"AWS_CONFIG_FILE", "/dev/null"}, {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}};
  if (as_admin) {
    command.env.emplace_back("AWS_ACCESS_KEY_ID", admin_.access_key_id);
    command.env.emplace_back("AWS_SECRET_ACCESS_KEY", admin_.secret_access_key.Reveal());
  }
  command.timeout = std::chrono::seconds(60);
  TH_ASSIGN_OR_RETURN(CommandOutput output, RunCommand(command));
  if (output.exit_status != 0) {
    std::string err = output.stderr_text;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return Status::Unavailable(command.name + " exited with status " +
                               std::to_string(output.exit_status) + ": " + err);
  }
  return std::move(output.stdout_text);
}

Result<aws::Credentials> Moto::CreateUser(std::string_view name, std::string_view policy_json) {
  TH_ASSIGN_OR_RETURN(PolicyFile policy, PolicyFile::Write(policy_json));
  TH_ASSIGN_OR_RETURN(std::string keys,
                      RunIam({"create-user", std::string(name), "--policy-file", policy.path()}));
  return ParseKeys(keys, "moto user " + std::string(name));
}

Result<std::string> Moto::CreateRole(std::string_view name, std::string_view trust_policy_json,
                                     std::string_view policy_json) {
  TH_ASSIGN_OR_RETURN(PolicyFile trust, PolicyFile::Write(trust_policy_json));
  TH_ASSIGN_OR_RETURN(PolicyFile policy, PolicyFile::Write(policy_json));
  TH_ASSIGN_OR_RETURN(std::string arn,
                      RunIam({"create-role", std::string(name), "--trust-policy-file", trust.path(),
                              "--policy-file", policy.path()}));
  while (!arn.empty() && (arn.back() == '\n' || arn.back() == '\r')) arn.pop_back();
  if (arn.rfind("arn:", 0) != 0) {
    return Status::Internal("moto-iam.py create-role printed no ARN: " + arn);
  }
  return arn;
}

Status Moto::PutUserPolicy(std::string_view user, std::string_view policy_json) {
  TH_ASSIGN_OR_RETURN(PolicyFile policy, PolicyFile::Write(policy_json));
  return RunIam({"put-user-policy", std::string(user), "--policy-file", policy.path()}).status();
}

Status Moto::DeleteUserPolicy(std::string_view user) {
  return RunIam({"delete-user-policy", std::string(user)}).status();
}

}  // namespace trailhound::testing
