#include "query/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailhound::query {
namespace {

// "kind:text" for each token until the end, lexed in one mode.
std::vector<std::string> Tokens(std::string_view text, LexMode mode) {
  static const char* const kNames[] = {"end", "word", "quoted", "(", ")", "[", "]",   "{",
                                       "}",   ":",    "|",      ",", "=", "-", "cmp", "error"};
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const Token t = Lex(text, pos, mode);
    if (t.kind == TokenKind::kEnd) break;
    std::string s = kNames[static_cast<int>(t.kind)];
    if (!t.text.empty()) s += ":" + t.text;
    out.push_back(s);
    if (t.kind == TokenKind::kError) break;
    pos = static_cast<size_t>(t.end);
  }
  return out;
}

using S = std::vector<std::string>;

TEST(Lexer, FilterMode) {
  EXPECT_EQ(Tokens("eventName:ConsoleLogin -a (b)", LexMode::kFilter),
            (S{"word:eventName", ":", "word:ConsoleLogin", "-", "word:a", "(", "word:b", ")"}));
  EXPECT_EQ(Tokens("us-east-1 x>=5 \"a b\"|", LexMode::kFilter),
            (S{"word:us-east-1", "word:x", "cmp:>=", "word:5", "quoted:a b", "|"}));
  EXPECT_EQ(Tokens("[a TO b}", LexMode::kFilter), (S{"[", "word:a", "word:TO", "word:b", "}"}));
}

TEST(Lexer, ValueModeKeepsColonsAndMinus) {
  EXPECT_EQ(Tokens("arn:aws:iam::1:root -5 a<b >=3", LexMode::kValue),
            (S{"word:arn:aws:iam::1:root", "word:-5", "word:a<b", "cmp:>=", "word:3"}));
}

TEST(Lexer, StageMode) {
  EXPECT_EQ(Tokens("count(), dc(a.b) by x | sort -count span=1h", LexMode::kStage),
            (S{"word:count", "(", ")", ",", "word:dc", "(", "word:a.b", ")", "word:by", "word:x",
               "|", "word:sort", "-", "word:count", "word:span", "=", "word:1h"}));
}

TEST(Lexer, EscapesAndQuotes) {
  const Token t = Lex(R"(a\:b\*)", 0, LexMode::kFilter);
  EXPECT_EQ(t.text, "a:b*");
  EXPECT_EQ(t.escaped, (std::vector<bool>{false, true, false, true}));
  EXPECT_TRUE(t.HasUnescaped('a'));
  EXPECT_FALSE(t.HasUnescaped('*'));
  EXPECT_EQ(Lex(R"("a\"b\\c\d")", 0, LexMode::kFilter).text, R"(a"b\cd)");
  EXPECT_EQ(Tokens(R"("abc)", LexMode::kFilter), (S{"error:unterminated quoted string"}));
  EXPECT_EQ(Tokens(R"(ab\)", LexMode::kFilter), (S{"error:expected a character after '\\'"}));
}

TEST(Lexer, Keywords) {
  EXPECT_TRUE(Lex("AND", 0, LexMode::kFilter).IsKeyword("and"));
  EXPECT_TRUE(Lex("oR", 0, LexMode::kFilter).IsKeyword("or"));
  EXPECT_FALSE(Lex(R"(\AND)", 0, LexMode::kFilter).IsKeyword("and"));
  EXPECT_FALSE(Lex("\"AND\"", 0, LexMode::kFilter).IsKeyword("and"));
}

TEST(Lexer, Positions) {
  const Token t = Lex("   abc  ", 0, LexMode::kFilter);
  EXPECT_EQ(t.begin, 3);
  EXPECT_EQ(t.end, 6);
  const Token end = Lex("   abc  ", 6, LexMode::kFilter);
  EXPECT_EQ(end.kind, TokenKind::kEnd);
  EXPECT_EQ(end.begin, 8);
}

}  // namespace
}  // namespace trailhound::query
