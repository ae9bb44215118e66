// S3BucketRegionCache: the region each bucket is known to be in, learnt from
// configuration, GetBucketLocation or a wrong-region answer, so that later calls go
// straight to the right regional endpoint.
// Thread safety: all methods may be called from many threads at once.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace trailhound::aws {

class S3BucketRegionCache {
 public:
  // The bucket's region, or nullopt when it is not known.
  std::optional<std::string> Get(std::string_view bucket) const {
    std::lock_guard lock(mu_);
    auto it = regions_.find(bucket);
    if (it == regions_.end()) return std::nullopt;
    return it->second;
  }

  void Set(std::string_view bucket, std::string_view region) {
    std::lock_guard lock(mu_);
    regions_.insert_or_assign(std::string(bucket), std::string(region));
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> regions_;  // guarded by mu_
};

}  // namespace trailhound::aws
