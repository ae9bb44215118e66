// ParseStages: the pipe stages of a query (`| stats ... | sort ... | head N`) → Stage list.
// Besides the syntax it checks the pipeline: at most one stats or timechart; after one (or
// after fields) a field must name an output column; output columns are unique.
// Internal to src/query (see parser.h).
#pragma once

#include <vector>

#include "query/ast.h"
#include "query/parse_cursor.h"

namespace trailhound::query::internal {

// Parses '|' stage ... up to the end of the text. Returns false with an error in the cursor.
bool ParseStages(ParseCursor& cursor, std::vector<Stage>* stages);

}  // namespace trailhound::query::internal
