#include "store/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace trailhound::store {
namespace {

TEST(Crc32c, MatchesPublishedCheckValues) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);            // the standard check value
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
  EXPECT_EQ(Crc32c(""), 0u);
}

TEST(Crc32c, ExtendEqualsWholeForEverySplit) {
  std::string data = "The quick brown fox jumps over the lazy dog, twice over.";
  for (size_t i = 0; i <= data.size(); ++i) {
    std::string_view v(data);
    EXPECT_EQ(Crc32cExtend(Crc32c(v.substr(0, i)), v.substr(i)), Crc32c(v)) << i;
  }
}

TEST(Crc32c, MaskRoundTripsAndChangesTheValue) {
  for (uint32_t crc : {0u, 1u, 0xE3069283u, 0xffffffffu}) {
    EXPECT_NE(MaskCrc(crc), crc);
    EXPECT_EQ(UnmaskCrc(MaskCrc(crc)), crc);
  }
}

}  // namespace
}  // namespace trailhound::store
