// SimRandom: the simulator's random source — SplitMix64, chosen because its output is fixed
// by the algorithm (unlike std:: distributions, which differ between standard libraries), so
// a seed gives the same files on every platform. Not for anything security-related.
// Thread safety: a plain value type; one per generating thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trailhound::sources::simulate {

class SimRandom {
 public:
  explicit SimRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

  // Appends `n` characters drawn from `alphabet`.
  void AppendChars(std::string_view alphabet, size_t n, std::string* out) {
    for (size_t i = 0; i < n; ++i) out->push_back(alphabet[Below(alphabet.size())]);
  }
  // Appends a random UUID version 4, lower-case "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
  void AppendUuid(std::string* out);

 private:
  uint64_t state_;
};

// A seed for stream `stream` derived from `seed` (independent streams per file, per account).
uint64_t DeriveSeed(uint64_t seed, uint64_t stream);

inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
inline constexpr std::string_view kLowerHex = "0123456789abcdef";

}  // namespace trailhound::sources::simulate
