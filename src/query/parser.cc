#include "query/parser.h"

#include <fmt/format.h>

#include "query/filter_parser.h"
#include "query/parse_cursor.h"
#include "query/stage_parser.h"

namespace trailhound::query {

Result<Query> ParseQuery(std::string_view text, const ParseOptions& options, QueryError* error) {
  internal::ParseCursor cursor(text);
  Query query;
  if (text.size() > options.max_query_bytes) {
    cursor.Fail(static_cast<int>(options.max_query_bytes), "",
                fmt::format("the query is {} bytes long; the limit is {} bytes", text.size(),
                            options.max_query_bytes));
  } else {
    query.filter = internal::ParseFilter(cursor, options);
    if (!cursor.failed()) internal::ParseStages(cursor, &query.stages);
  }
  if (!cursor.failed()) return query;
  if (error != nullptr) *error = *cursor.error();
  return Status::InvalidArgument(cursor.error()->message);
}

}  // namespace trailhound::query
