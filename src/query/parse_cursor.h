// ParseCursor: the parser's place in the query text, its one-token lookahead (in the lexer
// mode the caller asks for) and the first error met; shared by the filter parser and the stage
// parser. Internal to src/query — ParseQuery (parser.h) is the entry point. One cursor per
// parse; it views the text, which must outlive it. Not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "query/ast.h"
#include "query/lexer.h"
#include "query/parser.h"

namespace trailhound::query::internal {

// 'text' for a message, shortened (at a character boundary) past 40 bytes.
std::string Quote(std::string_view text);

class ParseCursor {
 public:
  explicit ParseCursor(std::string_view text) : text_(text) {}

  Token Peek(LexMode mode);
  Token Take(LexMode mode);  // Peek and move past the token

  std::string_view Source(int begin, int end) const;
  std::string_view Source(const Token& t) const { return Source(t.begin, t.end); }

  // Records an error unless one is recorded already. Returns nullptr so that parse functions
  // can `return cursor.Fail(...)`.
  std::nullptr_t Fail(int position, std::string expected, std::string message);
  // "expected <what>[ after <after>] at position N[, found 'x']", or the lexer's error when
  // `found` is a kError token.
  std::nullptr_t Expected(const Token& found, std::string what, std::string_view after = {});
  std::nullptr_t LexError(const Token& token);

  // The field a word names: split at unescaped '.'; no unescaped wildcard, no empty part.
  std::optional<FieldPath> ToFieldPath(const Token& word);

  bool failed() const { return error_.has_value(); }
  const std::optional<QueryError>& error() const { return error_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  std::optional<Token> peeked_;
  size_t peeked_at_ = 0;
  LexMode peeked_mode_ = LexMode::kFilter;
  std::optional<QueryError> error_;
};

// The base of the filter and stage parsers: their calls read `Peek(...)`, `Fail(...)`
// instead of `cursor_.Peek(...)`, and both share one cursor (one position, one error).
class CursorParser {
 protected:
  explicit CursorParser(ParseCursor& cursor) : cursor_(cursor) {}

  Token Peek(LexMode mode) { return cursor_.Peek(mode); }
  Token Take(LexMode mode) { return cursor_.Take(mode); }
  std::string_view Source(int begin, int end) const { return cursor_.Source(begin, end); }
  std::string_view Source(const Token& t) const { return cursor_.Source(t); }
  std::nullptr_t Fail(int position, std::string expected, std::string message) {
    return cursor_.Fail(position, std::move(expected), std::move(message));
  }
  std::nullptr_t Expected(const Token& found, std::string what, std::string_view after = {}) {
    return cursor_.Expected(found, std::move(what), after);
  }
  std::nullptr_t LexError(const Token& t) { return cursor_.LexError(t); }
  std::optional<FieldPath> ToFieldPath(const Token& t) { return cursor_.ToFieldPath(t); }

  ParseCursor& cursor_;
};

}  // namespace trailhound::query::internal
