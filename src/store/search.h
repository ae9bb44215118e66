// Search: a parsed query over a store snapshot — the planner and the executor of the embedded
// store. The planner turns the filter and the time range into pruning checks: segments and
// blocks outside [from, to) are skipped, and so are blocks whose per-field Bloom filters or
// n-gram filter prove that a required term or word cannot match (segment.h). Candidate rows
// are then checked by the reference FilterMatcher on their raw JSON, so the results are
// exactly the reference semantics (docs/query-language.md); the pipeline (pipeline.h) runs
// the stages. Thread safety: Search may run concurrently with Appends and other searches.
#pragma once

#include <cstdint>
#include <limits>

#include "core/result.h"
#include "query/ast.h"
#include "query/pipeline.h"
#include "store/store.h"

namespace trailhound::store {

struct SearchOptions {
  int64_t from_ms = std::numeric_limits<int64_t>::min();  // inclusive
  int64_t to_ms = std::numeric_limits<int64_t>::max();    // exclusive
  query::PipelineOptions pipeline;                        // event_limit is --limit
};

struct SearchStats {
  uint64_t segments_total = 0;
  uint64_t segments_scanned = 0;
  uint64_t blocks_total = 0;
  uint64_t blocks_scanned = 0;
  uint64_t rows_examined = 0;  // rows whose raw JSON was parsed and matched
};

Result<query::QueryResult> Search(const Store& store, const query::Query& query,
                                  const SearchOptions& options = {}, SearchStats* stats = nullptr);
Result<query::QueryResult> Search(const StoreSnapshot& snapshot, const query::Query& query,
                                  const SearchOptions& options = {}, SearchStats* stats = nullptr);

}  // namespace trailhound::store
