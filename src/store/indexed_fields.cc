#include "store/indexed_fields.h"

#include <array>

#include "query/json_path.h"
#include "query/scalar.h"
#include "query/text_search.h"

namespace trailhound::store {
namespace {

// persistent format: the order is the column order of every segment (the footer lists the
// names and Open rejects a segment whose list differs). Append only with a format version bump.
constexpr std::array<IndexedField, 19> kIndexedFields = {{
    {"eventSource", true},
    {"eventName", true},
    {"awsRegion", true},
    {"errorCode", true},
    {"eventType", true},
    {"eventCategory", true},
    {"recipientAccountId", true},
    {"userIdentity.type", true},
    {"userIdentity.accountId", true},
    {"sourceIPAddress", false},
    {"userAgent", false},
    {"userIdentity.arn", false},
    {"userIdentity.accessKeyId", false},
    {"userIdentity.userName", false},
    {"userIdentity.principalId", false},
    {"userIdentity.sessionContext.sessionIssuer.userName", false},
    {"eventID", false},
    {"requestID", false},
    {"requestParameters.bucketName", false},
}};

// The canonical text of a scalar element (query::ScalarText); false for null, objects, arrays.
bool ScalarTextOf(simdjson::dom::element e, std::string* out) {
  query::Scalar s;
  switch (e.type()) {
    case simdjson::dom::element_type::STRING:
      if (e.get_string().get(s.text) != simdjson::SUCCESS) return false;
      *out = query::FoldAscii(s.text);
      return true;
    case simdjson::dom::element_type::INT64:
      s.type = query::Scalar::kInt64;
      if (e.get_int64().get(s.int64) != simdjson::SUCCESS) return false;
      break;
    case simdjson::dom::element_type::UINT64:
      s.type = query::Scalar::kUint64;
      if (e.get_uint64().get(s.uint64) != simdjson::SUCCESS) return false;
      break;
    case simdjson::dom::element_type::DOUBLE:
      s.type = query::Scalar::kDouble;
      if (e.get_double().get(s.real) != simdjson::SUCCESS) return false;
      break;
    case simdjson::dom::element_type::BOOL:
      s.type = query::Scalar::kBool;
      if (e.get_bool().get(s.boolean) != simdjson::SUCCESS) return false;
      break;
    default:
      return false;
  }
  *out = query::FoldAscii(query::ScalarText(s));
  return true;
}

}  // namespace

std::span<const IndexedField> IndexedFields() { return kIndexedFields; }

std::span<const query::FieldPath> IndexedFieldPaths() {
  static const auto* paths = [] {
    auto* v = new std::vector<query::FieldPath>();
    for (const IndexedField& f : kIndexedFields)
      v->push_back(query::FieldPath::FromDotted(f.dotted));
    return v;
  }();
  return *paths;
}

int IndexedFieldIndex(const query::FieldPath& path) {
  std::span<const query::FieldPath> paths = IndexedFieldPaths();
  for (size_t i = 0; i < paths.size(); ++i) {
    if (paths[i] == path) return static_cast<int>(i);
  }
  return -1;
}

FieldExtractor::FieldExtractor() : cells_(kIndexedFields.size()) {}

bool FieldExtractor::Extract(std::string_view raw) {
  simdjson::dom::element root;
  const bool parsed = parser_.parse(raw.data(), raw.size()).get(root) == simdjson::SUCCESS;
  std::span<const query::FieldPath> paths = IndexedFieldPaths();
  for (size_t f = 0; f < cells_.size(); ++f) {
    FieldCell& cell = cells_[f];
    cell.text.clear();
    cell.folded.clear();
    if (!parsed) {
      cell.kind = ColumnValue::kOther;
      continue;
    }
    size_t reached = 0;
    size_t non_null = 0;
    bool single_string = false;
    query::VisitPath(root, paths[f], [&](simdjson::dom::element e) {
      ++reached;
      if (e.is_null()) return false;
      ++non_null;
      std::string folded;
      if (ScalarTextOf(e, &folded)) cell.folded.push_back(std::move(folded));
      std::string_view text;
      single_string = reached == 1 && e.get_string().get(text) == simdjson::SUCCESS;
      if (single_string) cell.text.assign(text);
      return false;
    });
    if (non_null == 0) {
      cell.kind = ColumnValue::kMissing;
    } else if (reached == 1 && single_string) {
      cell.kind = ColumnValue::kString;
    } else {
      cell.kind = ColumnValue::kOther;
      cell.text.clear();
    }
  }
  return parsed;
}

}  // namespace trailhound::store
