#include "query/parse_cursor.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

namespace trailhound::query::internal {

std::string Quote(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return fmt::format("'{}'", text);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("'{}...'", text.substr(0, cut));
}

Token ParseCursor::Peek(LexMode mode) {
  if (!peeked_ || peeked_at_ != pos_ || peeked_mode_ != mode) {
    peeked_ = Lex(text_, pos_, mode);
    peeked_at_ = pos_;
    peeked_mode_ = mode;
  }
  return *peeked_;
}

Token ParseCursor::Take(LexMode mode) {
  Token t = Peek(mode);
  pos_ = static_cast<size_t>(t.end);
  return t;
}

std::string_view ParseCursor::Source(int begin, int end) const {
  return text_.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
}

std::nullptr_t ParseCursor::Fail(int position, std::string expected, std::string message) {
  if (!error_) error_ = QueryError{position, std::move(expected), std::move(message)};
  return nullptr;
}

std::nullptr_t ParseCursor::Expected(const Token& found, std::string what, std::string_view after) {
  if (found.kind == TokenKind::kError) return LexError(found);
  std::string message = "expected " + what;
  if (!after.empty()) message += fmt::format(" after {}", after);
  message += fmt::format(" at position {}", found.begin);
  if (found.kind != TokenKind::kEnd) message += ", found " + Quote(Source(found));
  return Fail(found.begin, std::move(what), std::move(message));
}

std::nullptr_t ParseCursor::LexError(const Token& token) {
  if (token.text == "unterminated quoted string") {
    return Fail(token.begin, "'\"'",
                fmt::format("unterminated quoted string starting at position {}", token.begin));
  }
  return Fail(token.begin, "", fmt::format("{} at position {}", token.text, token.begin));
}

std::optional<FieldPath> ParseCursor::ToFieldPath(const Token& word) {
  std::vector<std::string> segments(1);
  for (size_t i = 0; i < word.text.size(); ++i) {
    const char c = word.text[i];
    if (!word.escaped[i] && c == '.') {
      segments.emplace_back();
    } else if (!word.escaped[i] && (c == '*' || c == '?')) {
      Fail(word.begin, "a field name",
           fmt::format("wildcards are not allowed in field names ({}) at position {}",
                       Quote(Source(word)), word.begin));
      return std::nullopt;
    } else {
      segments.back() += c;
    }
  }
  for (const std::string& s : segments) {
    if (s.empty()) {
      Fail(word.begin, "a field name",
           fmt::format("empty part in field name {} at position {}", Quote(Source(word)),
                       word.begin));
      return std::nullopt;
    }
  }
  return FieldPath(std::move(segments));
}

}  // namespace trailhound::query::internal
