// SearchPlan: what a query's filter lets the store skip without reading rows. Built from the
// AST once per search; checked per block against the segment's filters (segment.h). A check
// only ever answers "no row here can match" when that is certain under the reference
// semantics (docs/query-language.md); anything it cannot prove is "maybe". Pure; immutable.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "query/ast.h"
#include "store/segment.h"

namespace trailhound::store {

class SearchPlan {
 public:
  // A plan for `filter` (null: every row may match).
  static SearchPlan ForFilter(const query::NodePtr& filter);

  // False only when no row of the block can match the filter.
  bool BlockMayMatch(const Segment& segment, size_t block) const;
  // Whether the plan can prune at all (for stats and tests).
  bool can_prune() const { return root_ != nullptr; }
  // A readable form, for tests and `--explain`: "and(value(eventName=consolelogin),text(x))".
  std::string ToString() const;

  struct Check;  // public so the builder in the .cc can name it

 private:
  explicit SearchPlan(std::shared_ptr<const Check> root) : root_(std::move(root)) {}
  std::shared_ptr<const Check> root_;  // null: nothing to check
};

}  // namespace trailhound::store
