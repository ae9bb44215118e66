// ParseFilter: the filter of a query (everything before the first '|') → a filter tree.
// Recursive descent over the grammar in docs/query-language.md; precedence NOT > AND > OR,
// adjacent terms are ANDed, `field:( ... )` applies one field to a group of values. The
// recursion is bounded by ParseOptions::max_depth. Internal to src/query (see parser.h).
#pragma once

#include "query/ast.h"
#include "query/parse_cursor.h"
#include "query/parser.h"

namespace trailhound::query::internal {

// Parses from the cursor up to the first '|' or the end. Returns null with an error in the
// cursor on failure; a null filter without error means there is none (empty, or '|' first).
NodePtr ParseFilter(ParseCursor& cursor, const ParseOptions& options);

}  // namespace trailhound::query::internal
