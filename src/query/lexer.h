// The query lexer: cuts one token at a time out of the query text, in the mode the parser asks
// for (see LexMode). Stateless and pure: Lex() reads `text` from `pos`. Errors (unterminated
// quote, '\' at the end) come back as kError tokens.
//
// Modes exist because the same characters mean different things in a filter term, after
// `field:` and in a pipe stage: '-' negates a term, is part of `-5` as a value and makes
// `sort -count` descending; ':' separates a field from its value but belongs to an ARN value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trailhound::query {

enum class LexMode : uint8_t {
  // Where a filter term or operator may start. Words end at white space and at any of
  // ( ) " | : [ ] { } < >; a '-' that starts a token is kMinus.
  kFilter,
  // After `field:` or a comparison operator, and inside a range: words end at white space
  // and at ( ) " | [ ] { }, so `arn:aws:iam::123:root` and `-5` are single words;
  // < <= > >= are operators only where a token starts.
  kValue,
  // In a pipe stage: words end at white space and at ( ) " | , =; a '-' that starts a
  // token is kMinus.
  kStage,
};

enum class TokenKind : uint8_t {
  kEnd,
  kWord,
  kQuoted,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kColon,
  kPipe,
  kComma,
  kEquals,
  kMinus,
  kCompare,  // text is "<", "<=", ">" or ">="
  kError,    // text is the message
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  int begin = 0;  // byte offset of the first character
  int end = 0;    // byte offset just past the token
  // kWord/kQuoted: the text with escapes removed; kCompare: the operator; kError: message.
  std::string text;
  // kWord: escaped[i] is true when text[i] was written with a '\'.
  std::vector<bool> escaped;

  bool has_escapes() const;
  // A word written without escapes that equals `keyword` ignoring ASCII case.
  bool IsKeyword(std::string_view keyword) const;
  // True when text holds `c` not written with a '\' (kWord only).
  bool HasUnescaped(char c) const;
};

// The token at or after `pos` (white space skipped). REQUIRES: pos <= text.size() and
// text.size() < INT32_MAX.
Token Lex(std::string_view text, size_t pos, LexMode mode);

// True for the white space the lexer skips: space, \t, \n, \v, \f, \r.
bool IsQuerySpace(char c);

}  // namespace trailhound::query
