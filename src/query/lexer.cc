#include "query/lexer.h"

#include "query/text_search.h"

namespace trailhound::query {
namespace {

bool EndsWord(char c, LexMode mode) {
  if (IsQuerySpace(c)) return true;
  switch (c) {
    case '(':
    case ')':
    case '"':
    case '|':
      return true;
    case '[':
    case ']':
    case '{':
    case '}':
      return mode != LexMode::kStage;
    case ':':
    case '<':
    case '>':
      return mode == LexMode::kFilter;
    case ',':
    case '=':
      return mode == LexMode::kStage;
    default:
      return false;
  }
}

Token Simple(TokenKind kind, size_t begin, size_t length) {
  Token t;
  t.kind = kind;
  t.begin = static_cast<int>(begin);
  t.end = static_cast<int>(begin + length);
  return t;
}

Token Error(size_t at, size_t end, std::string message) {
  Token t = Simple(TokenKind::kError, at, end - at);
  t.text = std::move(message);
  return t;
}

Token LexQuoted(std::string_view text, size_t start) {
  Token t = Simple(TokenKind::kQuoted, start, 0);
  size_t pos = start + 1;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      t.end = static_cast<int>(pos + 1);
      return t;
    }
    if (c == '\\' && pos + 1 < text.size()) ++pos;
    t.text += text[pos];
    ++pos;
  }
  return Error(start, text.size(), "unterminated quoted string");
}

}  // namespace

bool IsQuerySpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool Token::has_escapes() const {
  for (bool e : escaped) {
    if (e) return true;
  }
  return false;
}

bool Token::IsKeyword(std::string_view keyword) const {
  return kind == TokenKind::kWord && !has_escapes() && EqualsFolded(text, keyword);
}

bool Token::HasUnescaped(char c) const {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == c && !escaped[i]) return true;
  }
  return false;
}

Token Lex(std::string_view text, size_t pos, LexMode mode) {
  while (pos < text.size() && IsQuerySpace(text[pos])) ++pos;
  if (pos >= text.size()) return Simple(TokenKind::kEnd, text.size(), 0);
  const char c = text[pos];
  switch (c) {
    case '(':
      return Simple(TokenKind::kLParen, pos, 1);
    case ')':
      return Simple(TokenKind::kRParen, pos, 1);
    case '|':
      return Simple(TokenKind::kPipe, pos, 1);
    case '"':
      return LexQuoted(text, pos);
    default:
      break;
  }
  if (mode != LexMode::kStage) {
    switch (c) {
      case '[':
        return Simple(TokenKind::kLBracket, pos, 1);
      case ']':
        return Simple(TokenKind::kRBracket, pos, 1);
      case '{':
        return Simple(TokenKind::kLBrace, pos, 1);
      case '}':
        return Simple(TokenKind::kRBrace, pos, 1);
      case '<':
      case '>': {
        const bool equals = pos + 1 < text.size() && text[pos + 1] == '=';
        Token t = Simple(TokenKind::kCompare, pos, equals ? 2 : 1);
        t.text = text.substr(pos, equals ? 2 : 1);
        return t;
      }
      default:
        break;
    }
  }
  if (mode == LexMode::kFilter && c == ':') return Simple(TokenKind::kColon, pos, 1);
  if (mode != LexMode::kValue && c == '-') return Simple(TokenKind::kMinus, pos, 1);
  if (mode == LexMode::kStage && c == ',') return Simple(TokenKind::kComma, pos, 1);
  if (mode == LexMode::kStage && c == '=') return Simple(TokenKind::kEquals, pos, 1);

  Token t = Simple(TokenKind::kWord, pos, 0);
  while (pos < text.size()) {
    const char ch = text[pos];
    if (ch == '\\') {
      if (pos + 1 >= text.size()) {
        return Error(pos, pos + 1, "expected a character after '\\'");
      }
      t.text += text[pos + 1];
      t.escaped.push_back(true);
      pos += 2;
      continue;
    }
    if (EndsWord(ch, mode)) break;
    t.text += ch;
    t.escaped.push_back(false);
    ++pos;
  }
  t.end = static_cast<int>(pos);
  return t;
}

}  // namespace trailhound::query
