// FieldExtractor: reads the indexed fields (segment.h IndexedFields) of one raw JSON record —
// per field the column cell (kMissing / kString / kOther, as ColumnValue defines them) and the
// ASCII-folded text of every scalar the path reaches, which is what the field's block Bloom
// filter holds: strings folded, numbers in canonical text (query::ScalarText), booleans
// "true"/"false"; null, objects and arrays add nothing. A record that is not valid JSON has
// kOther in every cell and no values (no value term can match it).
// Thread safety: one extractor per thread (it owns a simdjson parser). Lifetime: the cells are
// valid until the next Extract. Internal to src/store.
#pragma once

#include <simdjson.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "query/ast.h"
#include "store/segment.h"

namespace trailhound::store {

// The paths of IndexedFields(), in the same order.
std::span<const query::FieldPath> IndexedFieldPaths();

struct FieldCell {
  ColumnValue::Kind kind = ColumnValue::kMissing;
  std::string text;                 // kString: the string value (JSON escapes decoded)
  std::vector<std::string> folded;  // the folded text of every scalar reached, in order
};

class FieldExtractor {
 public:
  FieldExtractor();
  // Fills cells() from `raw`. Returns false when `raw` is not valid JSON.
  bool Extract(std::string_view raw);
  // One cell per indexed field.
  std::span<const FieldCell> cells() const { return cells_; }

 private:
  simdjson::dom::parser parser_;
  std::vector<FieldCell> cells_;
};

}  // namespace trailhound::store
