#include "sources/simulate/event_generator.h"

#include <fmt/format.h>

#include <string_view>

#include "sources/simulate/json_out.h"
#include "sources/simulate/sim_time.h"

namespace trailhound::sources::simulate {
namespace {

using Principal = EventGenerator::Principal;
using Account = EventGenerator::Account;

constexpr std::string_view kUserNames[] = {"alice", "bob",       "carol",     "dave",
                                           "erin",  "ci-deploy", "terraform", "backup-bot"};
constexpr std::string_view kRoleNames[] = {
    "Admin",        "ReadOnly",           "OrganizationAccountAccessRole", "lambda-exec-orders",
    "ecs-task-api", "GitHubActionsDeploy"};
constexpr std::string_view kSessionNames[] = {"alice",
                                              "bob",
                                              "gha-run-5821",
                                              "i-0a1b2c3d4e5f60718",
                                              "botocore-session-1735690000",
                                              "AssumeRoleSession"};

constexpr std::string_view kUserAgents[] = {
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off "
    "command/s3.cp",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.11.6 "
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.4",
    "Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 "
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3",
    "aws-sdk-java/2.25.11 Linux/5.10.210 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 "
    "vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
    "console.amazonaws.com",
    "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.660 Linux/5.10.210 "
    "OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/"
    "standard]",
};
constexpr size_t kConsoleAgent = 5;
constexpr std::string_view kBrowserAgent =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36";

constexpr std::string_view kServices[] = {"lambda.amazonaws.com", "ec2.amazonaws.com",
                                          "ecs-tasks.amazonaws.com", "cloudtrail.amazonaws.com"};
constexpr std::string_view kBuckets[] = {"acme-data-lake", "acme-backups", "acme-web-assets",
                                         "acme-terraform-state"};
constexpr std::string_view kObjectPrefixes[] = {"raw/2025/", "exports/", "static/js/", "env/prod/"};
constexpr std::string_view kFunctions[] = {"orders-handler", "thumbnailer", "nightly-report"};
constexpr std::string_view kVersions[] = {"1.08", "1.08", "1.09", "1.09", "1.09", "1.10"};

// A random address from the documentation ranges (and a private VPC range for internal calls).
std::string RandomIp(SimRandom& rng) {
  switch (rng.Below(4)) {
    case 0:
      return fmt::format("203.0.113.{}", 1 + rng.Below(254));
    case 1:
      return fmt::format("198.51.100.{}", 1 + rng.Below(254));
    case 2:
      return fmt::format("192.0.2.{}", 1 + rng.Below(254));
    default:
      return fmt::format("10.0.{}.{}", rng.Below(16), 1 + rng.Below(254));
  }
}

Principal MakePrincipal(SimRandom& rng, std::string_view name, std::string_view id_prefix,
                        std::string arn) {
  Principal p;
  p.name = std::string(name);
  p.principal_id = std::string(id_prefix);
  rng.AppendChars(kUpperAlnum, 17, &p.principal_id);
  p.arn = std::move(arn);
  p.home_ip = RandomIp(rng);
  p.user_agent = rng.Below(std::size(kUserAgents));
  return p;
}

enum class Actor { kIamUser, kAssumedRole, kRoot, kService };

struct Call {
  std::string_view source;
  std::string_view name;
  bool read_only;
  bool data;  // a data event (eventCategory Data, managementEvent false)
  int weight;
};

constexpr Call kCalls[] = {
    {"s3.amazonaws.com", "GetObject", true, true, 18},
    {"s3.amazonaws.com", "PutObject", false, true, 8},
    {"s3.amazonaws.com", "ListBuckets", true, false, 3},
    {"ec2.amazonaws.com", "DescribeInstances", true, false, 12},
    {"ec2.amazonaws.com", "RunInstances", false, false, 2},
    {"iam.amazonaws.com", "CreateUser", false, false, 1},
    {"iam.amazonaws.com", "AttachUserPolicy", false, false, 1},
    {"iam.amazonaws.com", "CreateAccessKey", false, false, 1},
    {"sts.amazonaws.com", "AssumeRole", false, false, 10},
    {"sts.amazonaws.com", "GetCallerIdentity", true, false, 6},
    {"signin.amazonaws.com", "ConsoleLogin", false, false, 3},
    {"kms.amazonaws.com", "Decrypt", true, false, 12},
    {"lambda.amazonaws.com", "Invoke", false, true, 5},
    {"lambda.amazonaws.com", "ListFunctions20150331", true, false, 3},
    {"logs.amazonaws.com", "CreateLogStream", false, false, 6},
    {"logs.amazonaws.com", "DescribeLogGroups", true, false, 3},
};
constexpr Call kStopLogging = {"cloudtrail.amazonaws.com", "StopLogging", false, false, 0};

const Call& PickCall(SimRandom& rng, bool global_region) {
  static const int total = [] {
    int t = 0;
    for (const auto& c : kCalls) t += c.weight;
    return t;
  }();
  if (rng.Chance(0.0005)) return kStopLogging;
  for (;;) {
    int r = static_cast<int>(rng.Below(static_cast<uint64_t>(total)));
    for (const auto& c : kCalls) {
      if (r < c.weight) {
        // IAM is a global service: its events are delivered with us-east-1.
        if (c.source == "iam.amazonaws.com" && !global_region) break;
        return c;
      }
      r -= c.weight;
    }
  }
}

struct Who {
  Actor actor = Actor::kIamUser;
  const Principal* principal = nullptr;  // user or role; null for root and services
  std::string session;                   // role session name
  std::string access_key;
  bool mfa = false;
  std::string_view service;  // for kService
};

void AppendUserIdentity(const Who& who, const Account& account, int64_t event_time,
                        std::string* out) {
  JsonOut id(out);
  switch (who.actor) {
    case Actor::kIamUser:
      id.Str("type", "IAMUser")
          .Str("principalId", who.principal->principal_id)
          .Str("arn", who.principal->arn)
          .Str("accountId", account.id);
      if (!who.access_key.empty()) id.Str("accessKeyId", who.access_key);
      id.Str("userName", who.principal->name);
      break;
    case Actor::kRoot:
      id.Str("type", "Root")
          .Str("principalId", account.id)
          .Str("arn", fmt::format("arn:aws:iam::{}:root", account.id))
          .Str("accountId", account.id);
      if (!who.access_key.empty()) id.Str("accessKeyId", who.access_key);
      break;
    case Actor::kAssumedRole: {
      const Principal& role = *who.principal;
      id.Str("type", "AssumedRole")
          .Str("principalId", fmt::format("{}:{}", role.principal_id, who.session))
          .Str("arn", fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account.id, role.name,
                                  who.session))
          .Str("accountId", account.id)
          .Str("accessKeyId", who.access_key);
      JsonOut ctx(id.Key("sessionContext"));
      {
        JsonOut issuer(ctx.Key("sessionIssuer"));
        issuer.Str("type", "Role")
            .Str("principalId", role.principal_id)
            .Str("arn", role.arn)
            .Str("accountId", account.id)
            .Str("userName", role.name);
      }
      ctx.Raw("webIdFederationData", "{}");
      JsonOut attributes(ctx.Key("attributes"));
      std::string created;
      AppendIso8601(event_time - (event_time % 3600 == 0 ? 0 : event_time % 3600), &created);
      attributes.Str("creationDate", created).Str("mfaAuthenticated", who.mfa ? "true" : "false");
      break;
    }
    case Actor::kService:
      id.Str("type", "AWSService").Str("invokedBy", who.service);
      break;
  }
}

std::string AccessKey(SimRandom& rng, std::string_view prefix) {
  std::string key(prefix);
  rng.AppendChars(kUpperAlnum, 16, &key);
  return key;
}

struct ErrorChoice {
  std::string_view code;
  std::string_view message_format;  // {0} = principal ARN, {1} = action
};

}  // namespace

EventGenerator::EventGenerator(const SimulatorOptions& options) : options_(options) {
  for (size_t i = 0; i < options_.accounts.size(); ++i) {
    SimRandom rng(DeriveSeed(options_.seed, 1000 + i));
    Account account;
    account.id = options_.accounts[i];
    for (auto name : kUserNames) {
      account.users.push_back(MakePrincipal(
          rng, name, "AIDA", fmt::format("arn:aws:iam::{}:user/{}", account.id, name)));
    }
    for (auto name : kRoleNames) {
      account.roles.push_back(MakePrincipal(
          rng, name, "AROA", fmt::format("arn:aws:iam::{}:role/{}", account.id, name)));
    }
    accounts_.push_back(std::move(account));
  }
}

void EventGenerator::AppendRecord(SimRandom& rng, size_t account_index, const std::string& region,
                                  int64_t event_time, std::string* out) const {
  const Account& account = accounts_[account_index];
  const bool global_region = region == "us-east-1";
  const Call& call = PickCall(rng, global_region);
  const bool console_login = call.name == "ConsoleLogin";

  // Who made the call.
  Who who;
  double r = rng.Unit();
  if (console_login) {
    who.actor = r < 0.03 ? Actor::kRoot : (r < 0.6 ? Actor::kIamUser : Actor::kAssumedRole);
  } else if (call.source == "sts.amazonaws.com" && call.name == "AssumeRole" && r < 0.4) {
    who.actor = Actor::kService;
  } else {
    who.actor = r < 0.002 ? Actor::kRoot : (r < 0.4 ? Actor::kIamUser : Actor::kAssumedRole);
  }
  if (who.actor == Actor::kIamUser) {
    who.principal = &account.users[rng.Below(account.users.size())];
    if (!console_login) who.access_key = AccessKey(rng, "AKIA");
  } else if (who.actor == Actor::kAssumedRole) {
    who.principal = &account.roles[rng.Below(account.roles.size())];
    who.session = std::string(rng.Pick(kSessionNames));
    who.access_key = AccessKey(rng, "ASIA");
    who.mfa = rng.Chance(0.35);
  } else if (who.actor == Actor::kService) {
    who.service = rng.Pick(kServices);
  } else if (!console_login) {
    who.access_key = AccessKey(rng, "AKIA");
  }

  // Where from, with which client.
  std::string source_ip;
  std::string_view user_agent;
  if (who.actor == Actor::kService) {
    source_ip = std::string(who.service);
    user_agent = who.service;
  } else if (console_login) {
    source_ip =
        who.principal != nullptr && rng.Chance(0.8) ? who.principal->home_ip : RandomIp(rng);
    user_agent = kBrowserAgent;
  } else {
    bool usual = who.principal != nullptr && rng.Chance(0.85);
    source_ip = usual ? who.principal->home_ip : RandomIp(rng);
    user_agent = kUserAgents[usual ? who.principal->user_agent : rng.Below(std::size(kUserAgents))];
    if (!usual && rng.Chance(0.1)) source_ip = "AWS Internal";
  }

  // How it ended.
  bool failed_login = console_login && rng.Chance(options_.console_login_failure_rate);
  ErrorChoice error;
  if (!console_login && rng.Chance(options_.error_rate)) {
    double e = rng.Unit();
    if (e < 0.2) {
      error = {"ThrottlingException", "Rate exceeded"};
    } else if (call.source == "ec2.amazonaws.com") {
      error = {"Client.UnauthorizedOperation",
               "You are not authorized to perform this operation. User: {0} is not authorized "
               "to perform: {1}"};
    } else {
      error = {"AccessDenied",
               "User: {0} is not authorized to perform: {1} because no identity-based policy "
               "allows the {1} action"};
    }
    if (call.source == "ec2.amazonaws.com" && e >= 0.2 && rng.Chance(0.5)) {
      error.code = "UnauthorizedOperation";
    }
  }
  const bool ok = error.code.empty();

  std::string event_id;
  rng.AppendUuid(&event_id);
  std::string request_id;
  if (call.source == "s3.amazonaws.com") {
    rng.AppendChars("0123456789ABCDEF", 16, &request_id);
  } else {
    rng.AppendUuid(&request_id);
  }
  std::string time_text;
  AppendIso8601(event_time, &time_text);
  std::string_view service_prefix = call.source.substr(0, call.source.find('.'));
  std::string action = fmt::format("{}:{}", service_prefix, call.name);
  std::string caller_arn;
  if (who.actor == Actor::kAssumedRole) {
    caller_arn = fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account.id, who.principal->name,
                             who.session);
  } else if (who.principal != nullptr) {
    caller_arn = who.principal->arn;
  } else {
    caller_arn = fmt::format("arn:aws:iam::{}:root", account.id);
  }

  JsonOut rec(out);
  rec.Str("eventVersion", rng.Pick(kVersions));
  AppendUserIdentity(who, account, event_time, rec.Key("userIdentity"));
  rec.Str("eventTime", time_text)
      .Str("eventSource", call.source)
      .Str("eventName", call.name)
      .Str("awsRegion", region)
      .Str("sourceIPAddress", source_ip)
      .Str("userAgent", user_agent);
  if (!ok) {
    rec.Str("errorCode", error.code)
        .Str("errorMessage", fmt::format(fmt::runtime(error.message_format), caller_arn, action));
  } else if (failed_login) {
    rec.Str("errorMessage", "Failed authentication");
  }

  // requestParameters / responseElements / additionalEventData / resources, per call.
  std::string bucket, object_key, resource_arn;
  {
    std::string* p = rec.Key("requestParameters");
    if (call.source == "s3.amazonaws.com" && call.name != "ListBuckets") {
      bucket = std::string(rng.Pick(kBuckets));
      object_key = fmt::format("{}{:08x}.parquet", rng.Pick(kObjectPrefixes),
                               static_cast<uint32_t>(rng.Next()));
      JsonOut req(p);
      req.Str("bucketName", bucket)
          .Str("Host", fmt::format("{}.s3.{}.amazonaws.com", bucket, region))
          .Str("key", object_key);
    } else if (call.name == "ListBuckets") {
      JsonOut(p).Str("Host", fmt::format("s3.{}.amazonaws.com", region));
    } else if (call.name == "DescribeInstances") {
      JsonOut(p).Raw("instancesSet", "{}").Raw("filterSet", "{}");
    } else if (call.name == "RunInstances") {
      JsonOut req(p);
      req.Raw("instancesSet",
              fmt::format(R"({{"items":[{{"imageId":"ami-0{:016x}","minCount":1,"maxCount":1}}]}})",
                          rng.Next()))
          .Str("instanceType", rng.Chance(0.9) ? "t3.micro" : "p4d.24xlarge");
    } else if (call.source == "iam.amazonaws.com") {
      JsonOut req(p);
      req.Str("userName", fmt::format("svc-{:04x}", rng.Below(0x10000)));
      if (call.name == "AttachUserPolicy") {
        req.Str("policyArn", rng.Chance(0.3) ? "arn:aws:iam::aws:policy/AdministratorAccess"
                                             : "arn:aws:iam::aws:policy/ReadOnlyAccess");
      }
    } else if (call.name == "AssumeRole") {
      const Principal& role = account.roles[rng.Below(account.roles.size())];
      resource_arn = role.arn;
      JsonOut req(p);
      req.Str("roleArn", role.arn)
          .Str("roleSessionName", rng.Pick(kSessionNames))
          .Int("durationSeconds", 3600);
    } else if (call.name == "Decrypt") {
      std::string key_id;
      rng.AppendUuid(&key_id);
      resource_arn = fmt::format("arn:aws:kms:{}:{}:key/{}", region, account.id, key_id);
      JsonOut(p).Str("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
    } else if (call.name == "StopLogging") {
      JsonOut(p).Str("name", fmt::format("arn:aws:cloudtrail:us-east-1:{}:trail/management-events",
                                         account.id));
    } else if (call.name == "Invoke") {
      resource_arn =
          fmt::format("arn:aws:lambda:{}:{}:function:{}", region, account.id, rng.Pick(kFunctions));
      JsonOut(p).Str("functionName", resource_arn);
    } else if (call.name == "CreateLogStream") {
      JsonOut(p)
          .Str("logGroupName", fmt::format("/aws/lambda/{}", rng.Pick(kFunctions)))
          .Str("logStreamName", fmt::format("2025/01/01/[$LATEST]{:016x}", rng.Next()));
    } else {
      p->append("null");
    }
  }
  {
    std::string* p = rec.Key("responseElements");
    if (console_login) {
      JsonOut(p).Str("ConsoleLogin", failed_login ? "Failure" : "Success");
    } else if (!ok) {
      p->append("null");
    } else if (call.name == "CreateAccessKey") {
      JsonOut resp(p);
      JsonOut key(resp.Key("accessKey"));
      key.Str("userName", "svc").Str("accessKeyId", AccessKey(rng, "AKIA")).Str("status", "Active");
    } else if (call.name == "AssumeRole") {
      JsonOut resp(p);
      JsonOut creds(resp.Key("credentials"));
      std::string expiration;
      AppendIso8601(event_time + 3600, &expiration);
      creds.Str("accessKeyId", AccessKey(rng, "ASIA")).Str("expiration", expiration);
    } else if (call.name == "RunInstances") {
      JsonOut(p).Str("instanceId", fmt::format("i-0{:016x}", rng.Next()));
    } else {
      p->append("null");
    }
  }
  if (console_login) {
    JsonOut extra(rec.Key("additionalEventData"));
    extra.Str("LoginTo", "https://console.aws.amazon.com/console/home")
        .Str("MobileVersion", "No")
        .Str("MFAUsed", rng.Chance(0.6) ? "Yes" : "No");
  } else if (call.source == "s3.amazonaws.com" && ok) {
    JsonOut extra(rec.Key("additionalEventData"));
    extra.Str("SignatureVersion", "SigV4")
        .Str("AuthenticationMethod", "AuthHeader")
        .Int("bytesTransferredIn", call.name == "PutObject" ? 1 + rng.Below(1 << 20) : 0)
        .Int("bytesTransferredOut", call.name == "GetObject" ? 1 + rng.Below(1 << 20) : 0);
  }
  if (!console_login) rec.Str("requestID", request_id);
  rec.Str("eventID", event_id).Bool("readOnly", call.read_only);
  if (!bucket.empty()) {
    rec.Raw("resources",
            fmt::format(R"([{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::{}/{}"}},)"
                        R"({{"accountId":"{}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::{}"}}])",
                        bucket, object_key, account.id, bucket));
  } else if (!resource_arn.empty()) {
    std::string resources = "[";
    JsonOut(&resources).Str("accountId", account.id).Str("ARN", resource_arn);
    resources.push_back(']');
    rec.Raw("resources", resources);
  }
  rec.Str("eventType", console_login                                     ? "AwsConsoleSignIn"
                       : who.actor == Actor::kService && rng.Chance(0.3) ? "AwsServiceEvent"
                                                                         : "AwsApiCall")
      .Bool("managementEvent", !call.data)
      .Str("recipientAccountId", account.id)
      .Str("eventCategory", call.data ? "Data" : "Management");
  if (!console_login && who.actor != Actor::kService && rng.Chance(0.7)) {
    JsonOut tls(rec.Key("tlsDetails"));
    bool v13 = rng.Chance(0.6);
    tls.Str("tlsVersion", v13 ? "TLSv1.3" : "TLSv1.2")
        .Str("cipherSuite", v13 ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256")
        .Str("clientProvidedHostHeader",
             fmt::format("{}.{}.amazonaws.com", service_prefix, region));
  }
  if (user_agent == kUserAgents[kConsoleAgent]) rec.Str("sessionCredentialFromConsole", "true");
}

}  // namespace trailhound::sources::simulate
