#include "sources/simulate/cloudtrail_simulator.h"

#include <fmt/format.h>

#include "codecs/compress.h"
#include "core/result.h"
#include "sources/simulate/sim_random.h"
#include "sources/simulate/sim_time.h"

namespace trailhound::sources::simulate {
namespace {

// Streams of DeriveSeed (accounts use 1000 + index in EventGenerator).
constexpr uint64_t kPlanStream = 1;
constexpr uint64_t kFileStreamBase = uint64_t{1} << 32;

// Mostly small files with a long tail, like real deliveries: 1 + max × u³ has mean ≈ max / 4.
uint32_t DrawFileSize(SimRandom& rng, uint32_t max_events) {
  double u = rng.Unit();
  auto size = static_cast<uint32_t>(1 + u * u * u * max_events);
  return size > max_events ? max_events : size;
}

void AppendTwo(int v, std::string* out) {
  out->push_back(static_cast<char>('0' + v / 10));
  out->push_back(static_cast<char>('0' + v % 10));
}

std::string MakeKey(SimRandom& rng, const std::string& account, const std::string& region,
                    int64_t window_start) {
  CivilTime t = ToCivil(window_start);
  std::string key = fmt::format("AWSLogs/{}/CloudTrail/{}/{:04}/{:02}/{:02}/{}_CloudTrail_{}_{:04}",
                                account, region, t.year, t.month, t.day, account, region, t.year);
  AppendTwo(t.month, &key);
  AppendTwo(t.day, &key);
  key.push_back('T');
  AppendTwo(t.hour, &key);
  AppendTwo(t.minute, &key);
  key.append("Z_");
  rng.AppendChars(kAlnum, 16, &key);
  key.append(".json.gz");
  return key;
}

}  // namespace

Result<CloudTrailSimulator> CloudTrailSimulator::Create(const SimulatorOptions& options) {
  TH_RETURN_IF_ERROR(ValidateSimulatorOptions(options));
  return CloudTrailSimulator(options);
}

CloudTrailSimulator::CloudTrailSimulator(const SimulatorOptions& options)
    : options_(options), generator_(options) {
  SimRandom rng(DeriveSeed(options_.seed, kPlanStream));
  uint64_t remaining = options_.events;
  while (remaining > 0) {
    uint32_t size = DrawFileSize(rng, options_.max_events_per_file);
    if (size > remaining) size = static_cast<uint32_t>(remaining);
    file_sizes_.push_back(size);
    remaining -= size;
  }
}

Status CloudTrailSimulator::ForEachFile(const SimulatedFileCallback& callback) const {
  const uint64_t windows = static_cast<uint64_t>(options_.span_secs / kDeliveryWindowSecs);
  const uint64_t files = file_sizes_.size();
  const int64_t first_window = options_.start_unix_secs / kDeliveryWindowSecs * kDeliveryWindowSecs;
  std::string json;
  for (uint64_t i = 0; i < files; ++i) {
    SimRandom rng(DeriveSeed(options_.seed, kFileStreamBase + i));
    // Spread the files evenly over the span, in order.
    // i × windows stays far below 2^64 (a billion events over ten years is ~10^15).
    auto window = static_cast<int64_t>(i * windows / files);
    SimulatedFile file;
    file.window_start_secs = first_window + window * kDeliveryWindowSecs;
    size_t account_index = rng.Below(options_.accounts.size());
    // The first region is the home region and gets half of the files.
    const std::string& region = rng.Chance(0.5)
                                    ? options_.regions[0]
                                    : options_.regions[rng.Below(options_.regions.size())];
    file.account_id = options_.accounts[account_index];
    file.region = region;
    file.key = MakeKey(rng, file.account_id, region, file.window_start_secs);
    file.events = file_sizes_[i];

    json.clear();
    json.append(R"({"Records":[)");
    for (uint64_t e = 0; e < file.events; ++e) {
      if (e > 0) json.push_back(',');
      int64_t t = file.window_start_secs + static_cast<int64_t>(rng.Below(kDeliveryWindowSecs));
      generator_.AppendRecord(rng, account_index, region, t, &json);
    }
    json.append("]}");
    file.json_bytes = json.size();
    auto body = codecs::GzipCompress(json, options_.gzip_level);
    if (!body.ok()) return body.status();
    file.body = std::move(body).value();
    TH_RETURN_IF_ERROR(callback(file));
  }
  return Status::OK();
}

}  // namespace trailhound::sources::simulate
