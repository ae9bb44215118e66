#include "codecs/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace trailhound::codecs {
namespace {

constexpr size_t kValid = std::string_view::npos;

TEST(FindInvalidUtf8, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), kValid);
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), kValid);
  EXPECT_EQ(FindInvalidUtf8("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"), kValid);
  EXPECT_EQ(FindInvalidUtf8("\xf4\x8f\xbf\xbf"), kValid);  // U+10FFFF
}

TEST(FindInvalidUtf8, NamesTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\x80"), 1u);             // stray continuation byte
  EXPECT_EQ(FindInvalidUtf8("ab\xc3"), 2u);            // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xe0\x80\xaf"), 1u);     // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("xy\xed\xa0\x80"), 2u);    // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xe6\x97\x41"), 0u);      // bad continuation
  EXPECT_EQ(FindInvalidUtf8(std::string("ok\0\xfe", 4)), 3u);
}

}  // namespace
}  // namespace trailhound::codecs
