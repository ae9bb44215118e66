// ParseQuery: query text → Query (ast.h); the grammar is in docs/query-language.md. A pure
// function, safe to call from any thread. Errors are kInvalidArgument whose message is
// QueryError::message; pass a QueryError to get the position as a number too (the HTTP API
// answers {"error": message, "position": position}).
//
// Hand-written recursive descent rather than a generated parser: the grammar is tiny but
// context-sensitive (lexer.h), and errors must say exactly where and what was expected
// ("expected a value after 'eventName:' at position 10"), which generators do poorly.
// Limits keep hostile input cheap: the text length, the nesting depth (parentheses and NOT,
// the only recursion) and the number of terms.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "query/ast.h"

namespace trailhound::query {

struct ParseOptions {
  // Longer queries are refused without being read.
  size_t max_query_bytes = 64 * 1024;
  // Maximum nesting of parentheses and NOT/'-' (each level is one recursion of the parser).
  int max_depth = 100;
  // Maximum number of terms and free-text words in the filter.
  int max_terms = 10'000;
};

struct QueryError {
  // Byte offset in the query where the problem is (the query's length for "at the end").
  int position = 0;
  // What would have been valid there, e.g. "a value", "')'"; "" when not applicable.
  std::string expected;
  // The whole sentence, position included:
  // "expected a value after 'eventName:' at position 10".
  std::string message;
};

// Parses `text`. On failure returns kInvalidArgument and, when `error` is not null, fills it.
Result<Query> ParseQuery(std::string_view text, const ParseOptions& options = {},
                         QueryError* error = nullptr);

}  // namespace trailhound::query
