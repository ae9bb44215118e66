#include "sources/simulate/sim_random.h"

namespace trailhound::sources::simulate {

void SimRandom::AppendUuid(std::string* out) {
  uint64_t hi = Next();
  uint64_t lo = Next();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                  // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // variant 10xx
  auto hex = [out](uint64_t v, int from_nibble, int count) {
    for (int i = 0; i < count; ++i) {
      out->push_back(kLowerHex[(v >> (4 * (15 - from_nibble - i))) & 0xF]);
    }
  };
  hex(hi, 0, 8);
  out->push_back('-');
  hex(hi, 8, 4);
  out->push_back('-');
  hex(hi, 12, 4);
  out->push_back('-');
  hex(lo, 0, 4);
  out->push_back('-');
  hex(lo, 4, 12);
}

uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  SimRandom mix(seed ^ (stream * 0xD1B54A32D192ED03ULL));
  mix.Next();
  return mix.Next();
}

}  // namespace trailhound::sources::simulate
