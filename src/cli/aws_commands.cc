#include "cli/aws_commands.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/aws_client.h"
#include "aws/credentials_config.h"
#include "aws/credentials_environment.h"
#include "aws/http.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "aws/sts.h"
#include "core/result.h"

namespace trailhound::cli {
namespace {

// Options every `aws` command shares.
struct AwsFlags {
  std::string region;        // signing region; derived from the queue URL when possible
  std::string endpoint_url;  // one endpoint for every service (emulators, VPC endpoints)
  std::string profile;
  std::string role_arn;
  std::string external_id;
};

void AddAwsFlags(CLI::App* cmd, AwsFlags* flags) {
  cmd->add_option("--region", flags->region, "AWS region to sign for and call");
  cmd->add_option("--endpoint-url", flags->endpoint_url,
                  "Send every call to this URL (emulators, VPC endpoints)");
  cmd->add_option("--profile", flags->profile, "A profile of ~/.aws/credentials or ~/.aws/config");
  cmd->add_option("--role-arn", flags->role_arn, "Assume this IAM role first");
  cmd->add_option("--external-id", flags->external_id, "External ID for --role-arn");
}

struct Clients {
  aws::CredentialsEnvironment env;
  std::shared_ptr<aws::AwsRequestSender> sender;
};

Result<Clients> MakeClients(const AwsFlags& flags) {
  Clients clients;
  clients.env = aws::ProcessCredentialsEnvironment();
  clients.env.default_region = flags.region;
  clients.env.sts_endpoint_url = flags.endpoint_url;
  aws::CredentialsConfig config;
  config.profile = flags.profile;
  config.role_arn = flags.role_arn;
  config.external_id = flags.external_id;
  TH_ASSIGN_OR_RETURN(auto credentials, aws::MakeCredentialsProvider(config, clients.env));
  clients.sender =
      std::make_shared<aws::AwsRequestSender>(clients.env.transport, std::move(credentials));
  return clients;
}

int Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.ToString());
  return 1;
}

// "s3://bucket/key/prefix" → {bucket, key}.
Result<std::pair<std::string, std::string>> ParseS3Url(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (!url.starts_with(kScheme) || url.size() == kScheme.size()) {
    return Status::InvalidArgument(fmt::format("'{}' is not an s3://bucket/key URL", url));
  }
  url.remove_prefix(kScheme.size());
  size_t slash = url.find('/');
  if (slash == std::string_view::npos) return std::pair{std::string(url), std::string()};
  return std::pair{std::string(url.substr(0, slash)), std::string(url.substr(slash + 1))};
}

aws::S3Options S3OptionsFor(const AwsFlags& flags) {
  aws::S3Options options;
  options.endpoint_url = flags.endpoint_url;
  if (!flags.region.empty()) options.region = flags.region;
  return options;
}

int Whoami(const AwsFlags& flags) {
  auto clients = MakeClients(flags);
  if (!clients.ok()) return Fail(clients.status());
  auto sts = aws::MakeStsClient(clients->env, clients->sender->credentials(),
                                aws::StsRegion(clients->env, flags.region));
  if (!sts.ok()) return Fail(sts.status());
  auto identity = (*sts)->GetCallerIdentity();
  if (!identity.ok()) return Fail(identity.status());
  fmt::print("account: {}\narn:     {}\nuser id: {}\nvia:     {}\n", identity->account,
             identity->arn, identity->user_id, clients->sender->credentials()->Describe());
  return 0;
}

int Receive(const AwsFlags& flags, const std::string& queue_url, int max_messages, int wait_secs,
            bool delete_after) {
  auto clients = MakeClients(flags);
  if (!clients.ok()) return Fail(clients.status());
  aws::SqsOptions options;
  options.endpoint_url = flags.endpoint_url;
  options.region = flags.region;
  aws::SqsClient sqs(clients->sender, options);
  aws::SqsReceiveOptions receive;
  receive.max_messages = max_messages;
  receive.wait_time_secs = wait_secs;
  auto messages = sqs.ReceiveMessage(queue_url, receive);
  if (!messages.ok()) return Fail(messages.status());
  for (const auto& m : *messages) {
    nlohmann::json line = {
        {"message_id", m.message_id}, {"receive_count", m.receive_count}, {"body", m.body}};
    if (m.sent_time) {
      line["sent_ms"] =
          std::chrono::duration_cast<std::chrono::milliseconds>(m.sent_time->time_since_epoch())
              .count();
    }
    fmt::print("{}\n", line.dump());
    if (delete_after) {
      Status s = sqs.DeleteMessage(queue_url, m.receipt_handle);
      if (!s.ok()) return Fail(s);
    }
  }
  fmt::print(stderr, "trailhound: {} message(s) received{}\n", messages->size(),
             delete_after ? " and deleted" : "");
  return 0;
}

int Get(const AwsFlags& flags, const std::string& url) {
  auto location = ParseS3Url(url);
  if (!location.ok()) return Fail(location.status());
  auto clients = MakeClients(flags);
  if (!clients.ok()) return Fail(clients.status());
  aws::S3Client s3(clients->sender, S3OptionsFor(flags));
  aws::BodySink sink = [](std::string_view chunk) {
    if (std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size()) {
      return Status::IoError("cannot write to stdout");
    }
    return Status::OK();
  };
  auto info = s3.GetObject(location->first, location->second, sink);
  if (!info.ok()) return Fail(info.status());
  std::fflush(stdout);
  fmt::print(stderr, "trailhound: {} bytes from {}\n", info->size_bytes, url);
  return 0;
}

int List(const AwsFlags& flags, const std::string& url) {
  auto location = ParseS3Url(url);
  if (!location.ok()) return Fail(location.status());
  auto clients = MakeClients(flags);
  if (!clients.ok()) return Fail(clients.status());
  aws::S3Client s3(clients->sender, S3OptionsFor(flags));
  aws::S3ListRequest request;
  request.bucket = location->first;
  request.prefix = location->second;
  size_t count = 0;
  Status s = s3.ForEachListPage(request, [&count](const aws::S3ListPage& page) {
    for (const auto& object : page.objects) {
      fmt::print("{:>12}  {}\n", object.size_bytes, object.key);
      ++count;
    }
    return Status::OK();
  });
  if (!s.ok()) return Fail(s);
  fmt::print(stderr, "trailhound: {} object(s)\n", count);
  return 0;
}

}  // namespace

void AddAwsCommands(CLI::App& app) {
  auto* aws_cmd = app.add_subcommand("aws", "Check AWS access with Trailhound's own client");
  aws_cmd->require_subcommand(1);

  // Every sub-command keeps its parsed values alive for the callback.
  auto flags = std::make_shared<AwsFlags>();

  auto* whoami = aws_cmd->add_subcommand("whoami", "Show whose credentials Trailhound uses");
  AddAwsFlags(whoami, flags.get());
  whoami->callback([flags] {
    if (int rc = Whoami(*flags); rc != 0) throw CLI::RuntimeError(rc);
  });

  struct ReceiveArgs {
    std::string queue_url;
    int max = 10;
    int wait = 5;
    bool del = false;
  };
  auto receive_args = std::make_shared<ReceiveArgs>();
  auto* receive = aws_cmd->add_subcommand("receive", "Long-poll an SQS queue, print messages");
  AddAwsFlags(receive, flags.get());
  receive->add_option("--queue-url", receive_args->queue_url, "The queue's URL")->required();
  receive->add_option("--max", receive_args->max, "Messages to receive at most (1-10)")
      ->check(CLI::Range(1, 10));
  receive->add_option("--wait", receive_args->wait, "Long-poll seconds (0-20)")
      ->check(CLI::Range(0, 20));
  receive->add_flag("--delete", receive_args->del, "Delete the messages after printing them");
  receive->callback([flags, receive_args] {
    int rc = Receive(*flags, receive_args->queue_url, receive_args->max, receive_args->wait,
                     receive_args->del);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });

  auto url = std::make_shared<std::string>();
  auto* get = aws_cmd->add_subcommand("get", "Stream an S3 object to stdout");
  AddAwsFlags(get, flags.get());
  get->add_option("url", *url, "s3://bucket/key")->required();
  get->callback([flags, url] {
    if (int rc = Get(*flags, *url); rc != 0) throw CLI::RuntimeError(rc);
  });

  auto* ls = aws_cmd->add_subcommand("ls", "List the objects under an S3 prefix");
  AddAwsFlags(ls, flags.get());
  ls->add_option("url", *url, "s3://bucket/prefix")->required();
  ls->callback([flags, url] {
    if (int rc = List(*flags, *url); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace trailhound::cli
