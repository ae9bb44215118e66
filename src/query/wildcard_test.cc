#include "query/wildcard.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "query/text_search.h"

namespace trailhound::query {
namespace {

bool Match(std::string_view pattern, std::string_view text) {
  return WildcardPattern(pattern).Matches(text);
}

// A plain backtracking matcher (exponential in the worst case): the reference for the
// randomized comparison below. Same syntax; ASCII-only inputs there.
bool Reference(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p[0] == '\\' && p.size() > 1 && (p[1] == '*' || p[1] == '?' || p[1] == '\\')) {
    return !t.empty() && FoldAscii(t[0]) == FoldAscii(p[1]) && Reference(p.substr(2), t.substr(1));
  }
  if (p[0] == '*') {
    for (size_t i = 0; i <= t.size(); ++i) {
      if (Reference(p.substr(1), t.substr(i))) return true;
    }
    return false;
  }
  if (t.empty()) return false;
  if (p[0] == '?') return Reference(p.substr(1), t.substr(1));
  return FoldAscii(p[0]) == FoldAscii(t[0]) && Reference(p.substr(1), t.substr(1));
}

TEST(Wildcard, Basics) {
  EXPECT_TRUE(Match("abc", "abc"));
  EXPECT_FALSE(Match("abc", "abcd"));
  EXPECT_FALSE(Match("abc", "ab"));
  EXPECT_TRUE(Match("", ""));
  EXPECT_FALSE(Match("", "a"));
  EXPECT_TRUE(Match("*", ""));
  EXPECT_TRUE(Match("*", "anything"));
  EXPECT_TRUE(Match("**", "x"));
  EXPECT_TRUE(Match("a*", "a"));
  EXPECT_TRUE(Match("a*", "abc"));
  EXPECT_FALSE(Match("a*", "ba"));
  EXPECT_TRUE(Match("*c", "abc"));
  EXPECT_FALSE(Match("*c", "cb"));
  EXPECT_TRUE(Match("a*c", "ac"));
  EXPECT_TRUE(Match("a*c", "abbbc"));
  EXPECT_FALSE(Match("a*a", "a"));
  EXPECT_TRUE(Match("a*a", "aa"));
  EXPECT_TRUE(Match("*b*", "abc"));
  EXPECT_FALSE(Match("*x*", "abc"));
  EXPECT_TRUE(Match("a?c", "abc"));
  EXPECT_FALSE(Match("a?c", "ac"));
  EXPECT_TRUE(Match("???", "abc"));
  EXPECT_FALSE(Match("???", "ab"));
  EXPECT_TRUE(Match("*?", "a"));
  EXPECT_FALSE(Match("*?", ""));
  EXPECT_TRUE(Match("a*b*c", "aXbYc"));
  EXPECT_FALSE(Match("a*b*c", "aXcYb"));
  EXPECT_TRUE(Match("*ab*ab*", "xxabyyabzz"));
  EXPECT_FALSE(Match("*ab*ab*", "xxabzz"));
}

TEST(Wildcard, CloudTrailExamples) {
  EXPECT_TRUE(Match("203.0.113.*", "203.0.113.17"));
  EXPECT_FALSE(Match("203.0.113.*", "203.0.114.17"));
  EXPECT_TRUE(Match("AccessDenied*", "AccessDeniedException"));
  EXPECT_TRUE(Match("accessdenied*", "AccessDenied"));
  EXPECT_TRUE(Match("arn:aws:iam::*:root", "arn:aws:iam::111122223333:root"));
  EXPECT_TRUE(Match("*.amazonaws.com", "s3.amazonaws.com"));
  EXPECT_TRUE(Match("Put*Policy", "PutBucketPolicy"));
  EXPECT_FALSE(Match("Put*Policy", "PutBucketPolicyStatus"));
}

TEST(Wildcard, CaseInsensitiveForAsciiOnly) {
  EXPECT_TRUE(Match("CONSOLELOGIN", "ConsoleLogin"));
  EXPECT_TRUE(Match("*LOGIN", "consolelogin"));
  EXPECT_TRUE(Match("é*", "é"));
  EXPECT_FALSE(Match("É", "é"));  // non-ASCII bytes compare exactly
}

TEST(Wildcard, Escapes) {
  EXPECT_TRUE(Match(R"(a\*b)", "a*b"));
  EXPECT_FALSE(Match(R"(a\*b)", "axb"));
  EXPECT_TRUE(Match(R"(a\?b)", "a?b"));
  EXPECT_FALSE(Match(R"(a\?b)", "axb"));
  EXPECT_TRUE(Match(R"(a\\b)", R"(a\b)"));
  // Sigma's rule: a backslash before anything else is itself literal, so the Windows path
  // needs its last backslash doubled before a wildcard.
  EXPECT_FALSE(Match(R"(C:\Windows\*)", R"(C:\Windows\System32)"));
  EXPECT_TRUE(Match(R"(C:\Windows\*)", R"(C:\Windows*)"));
  EXPECT_TRUE(Match(R"(C:\Windows\\*)", R"(C:\Windows\System32)"));
  EXPECT_TRUE(Match(R"(a\)", R"(a\)"));
  EXPECT_TRUE(Match(R"(\\*)", R"(\anything)"));
}

TEST(Wildcard, QuestionMarkIsOneUtf8Character) {
  EXPECT_TRUE(Match("?", "é"));  // 2 bytes
  EXPECT_TRUE(Match("?", "€"));  // 3 bytes
  EXPECT_TRUE(Match("?", "😀"));  // 4 bytes
  EXPECT_FALSE(Match("??", "€"));
  EXPECT_FALSE(Match("*??", "€"));  // not two characters, from any starting byte
  EXPECT_FALSE(Match("*??*", "€"));
  EXPECT_TRUE(Match("*??", "a€"));
  EXPECT_TRUE(Match("a?c", "a€c"));
  EXPECT_TRUE(Match("*?b", "éb"));
  EXPECT_FALSE(Match("*???*", "éa"));
  EXPECT_TRUE(Match("*??*", "éa"));
  EXPECT_TRUE(Match("x?y*", "x😀yz"));
  EXPECT_TRUE(Match("?", "\x80"));  // a stray continuation byte is one character
  EXPECT_TRUE(Match("??",
                    "\xC3"
                    "a"));  // a truncated sequence is one character
}

TEST(Wildcard, DecodeEncodeCanonical) {
  EXPECT_EQ(CanonicalWildcard(R"(C:\Windows\*)"), R"(C:\\Windows\*)");
  EXPECT_EQ(CanonicalWildcard(R"(a\b*)"), R"(a\\b*)");
  EXPECT_EQ(CanonicalWildcard(R"(a\\b\?)"), R"(a\\b\?)");
  EXPECT_EQ(CanonicalWildcard(R"(x\)"), R"(x\\)");
  EXPECT_EQ(EscapeWildcard(R"(a*b?c\d)"), R"(a\*b\?c\\d)");
  EXPECT_TRUE(Match(EscapeWildcard("*?\\x"), "*?\\x"));
  const std::vector<WildcardElement> e = DecodeWildcard(R"(a*\??)");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[1].kind, WildcardElement::kAnyString);
  EXPECT_EQ(e[2], (WildcardElement{WildcardElement::kLiteral, '?'}));
  EXPECT_EQ(e[3].kind, WildcardElement::kAnyChar);
  EXPECT_EQ(DecodeWildcard(EncodeWildcard(e)), e);
}

TEST(Wildcard, PruningHelpers) {
  EXPECT_TRUE(HasWildcards("a*"));
  EXPECT_TRUE(HasWildcards("a?"));
  EXPECT_FALSE(HasWildcards(R"(a\*\?)"));
  EXPECT_FALSE(HasWildcards("plain"));
  EXPECT_EQ(LiteralPrefix("AccessDenied*"), "accessdenied");
  EXPECT_EQ(LiteralPrefix("203.0.113.*"), "203.0.113.");
  EXPECT_EQ(LiteralPrefix(R"(a\*b?c)"), "a*b");
  EXPECT_EQ(LiteralPrefix("*x"), "");
  EXPECT_EQ(LiteralPrefix("Exact"), "exact");
  EXPECT_EQ(RequiredSubstrings("*Access*Denied?x"),
            (std::vector<std::string>{"access", "denied", "x"}));
  EXPECT_EQ(RequiredSubstrings("**"), std::vector<std::string>{});
  EXPECT_EQ(RequiredSubstrings(R"(a\*b*?c)"), (std::vector<std::string>{"a*b", "c"}));
  EXPECT_TRUE(WildcardPattern("***").MatchesEverything());
  EXPECT_FALSE(WildcardPattern("*?*").MatchesEverything());
}

TEST(Wildcard, PathologicalPatternsRunInLinearTime) {
  // a*a*a*...*b against a long run of 'a': exponential for naive backtracking.
  std::string pattern;
  for (int i = 0; i < 50; ++i) pattern += "a*";
  pattern += "b";
  const std::string text(100'000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Match(pattern, text));
  EXPECT_TRUE(Match(pattern, text + "b"));
  EXPECT_FALSE(Match("*" + std::string(1000, 'a') + "b*", text));  // KMP, not n*m
  EXPECT_FALSE(Match("*a?a?a?a?a?a?a?a?b*", text));                // the '?' path
  EXPECT_FALSE(Match(std::string(200, '*') + "b", text));
  EXPECT_TRUE(Match(std::string(200, '*') + "a", text));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(Wildcard, AgreesWithABacktrackingReferenceOnRandomInputs) {
  std::mt19937 rng(7);
  const std::string pattern_chars = "ab*?\\";
  const std::string text_chars = "abAB*?\\";
  for (int i = 0; i < 20'000; ++i) {
    std::string p, t;
    const int plen = static_cast<int>(rng() % 8), tlen = static_cast<int>(rng() % 10);
    for (int k = 0; k < plen; ++k) p += pattern_chars[rng() % pattern_chars.size()];
    for (int k = 0; k < tlen; ++k) t += text_chars[rng() % text_chars.size()];
    // The reference treats a lone trailing or non-special '\' as literal, like ours.
    ASSERT_EQ(Match(p, t), Reference(p, t)) << "pattern '" << p << "' text '" << t << "'";
  }
}

TEST(TextSearch, FoldedSearcher) {
  const FoldedSearcher s("AccessDenied");
  EXPECT_EQ(s.Find("xx accessdenied yy"), 3u);
  EXPECT_EQ(s.Find("ACCESSDENIED"), 0u);
  EXPECT_EQ(s.Find("access denied"), FoldedSearcher::npos);
  EXPECT_EQ(FoldedSearcher("aab").Find("aaab"), 1u);
  EXPECT_EQ(FoldedSearcher("abab").Find("ababab", 1), 2u);
  EXPECT_EQ(FoldedSearcher("").Find("abc", 2), 2u);
  EXPECT_EQ(FoldedSearcher("x").Find("abc", 4), FoldedSearcher::npos);
}

TEST(TextSearch, FoldedComparisons) {
  EXPECT_TRUE(EqualsFolded("ConsoleLogin", "CONSOLELOGIN"));
  EXPECT_FALSE(EqualsFolded("a", "ab"));
  EXPECT_EQ(CompareFolded("abc", "ABD"), -1);
  EXPECT_EQ(CompareFolded("B", "a"), 1);
  EXPECT_EQ(CompareFolded("ab", "AB"), 0);
  EXPECT_EQ(CompareFolded("ab", "abc"), -1);
  EXPECT_EQ(CompareFolded("\xC3", "z"), 1);  // unsigned byte order
}

}  // namespace
}  // namespace trailhound::query
