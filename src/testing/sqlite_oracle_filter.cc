#include "testing/sqlite_oracle_filter.h"

#include <string_view>
#include <utility>
#include <vector>

#include "testing/sqlite_oracle_schema.h"
#include "testing/sqlite_oracle_values.h"

namespace trailhound::testing {
namespace {

using query::CompareOp;
using query::Node;
using query::NodeKind;
using query::RangeBound;
using query::Term;
using query::TermKind;
using query::VirtualField;

// Where the tested value's type, text and number are: the kv columns, or a virtual field.
struct Columns {
  std::string t, s, n;
};

SqlValue NumberParam(const OracleNumber& number) {
  if (const auto* i = std::get_if<int64_t>(&number)) return *i;
  return std::get<double>(number);
}

std::string_view OpSql(CompareOp op) {
  switch (op) {
    case CompareOp::kLess:
      return " < ";
    case CompareOp::kLessEqual:
      return " <= ";
    case CompareOp::kGreater:
      return " > ";
    case CompareOp::kGreaterEqual:
      return " >= ";
  }
  return " = ";
}

CompareOp BoundOp(const RangeBound& bound, bool is_lower) {
  if (is_lower) return bound.inclusive ? CompareOp::kGreaterEqual : CompareOp::kGreater;
  return bound.inclusive ? CompareOp::kLessEqual : CompareOp::kLess;
}

// "value op bound": numeric when the bound reads as a number (numbers and numeric strings take
// part), else by ASCII-folded bytes on strings only.
SqlFragment OrderTest(const Columns& c, CompareOp op, const std::string& bound) {
  SqlFragment f;
  if (const std::optional<OracleNumber> number = OracleParseNumber(bound)) {
    f.sql = c.n + " IS NOT NULL AND " + c.n + std::string(OpSql(op)) + "?";
    f.params.push_back(NumberParam(*number));
  } else {
    f.sql = c.t + " = 0 AND " + c.t + " < 5 AND lower(" + c.s + ")" + std::string(OpSql(op)) + "?";
    f.params.push_back(OracleFold(bound));
  }
  return f;
}

// The tests of one value, ORed: the term holds for a value that passes any of them. Empty
// when no value can pass.
std::vector<SqlFragment> ValueTests(const Term& term, const Columns& c) {
  std::vector<SqlFragment> tests;
  switch (term.kind) {
    case TermKind::kExists:
      tests.push_back({"1", {}});
      break;
    case TermKind::kExact:
    case TermKind::kPhrase: {
      // A string equals the text ignoring ASCII case; a number equals a value that reads as
      // the same number; true/false equal "true"/"false" in any case.
      tests.push_back(
          {c.t + " = 0 AND " + c.t + " < 5 AND lower(" + c.s + ") = ?", {OracleFold(term.value)}});
      if (const std::optional<OracleNumber> number = OracleParseNumber(term.value)) {
        tests.push_back({c.n + " IS NOT NULL AND " + c.t + " IN (1, 2) AND " + c.n + " = ?",
                         {NumberParam(*number)}});
      }
      const std::string folded = OracleFold(term.value);
      if (folded == "true") tests.push_back({c.t + " = 3", {}});
      if (folded == "false") tests.push_back({c.t + " = 4", {}});
      break;
    }
    case TermKind::kWildcard:
      // Strings as they are, numbers in canonical text, booleans as true/false (all in s).
      tests.push_back(
          {c.t + " < 5 AND lower(" + c.s + ") GLOB ?", {OracleWildcardToGlob(term.value)}});
      break;
    case TermKind::kCompare:
      tests.push_back(OrderTest(c, term.op, term.value));
      break;
    case TermKind::kRange: {
      if (!term.lower.value && !term.upper.value) {
        tests.push_back({c.t + " IN (0, 1, 2)", {}});  // any string or number
        break;
      }
      SqlFragment both;
      for (const bool is_lower : {true, false}) {
        const RangeBound& bound = is_lower ? term.lower : term.upper;
        if (!bound.value) continue;
        if (!both.sql.empty()) both.Append(" AND ");
        both.Append(OrderTest(c, BoundOp(bound, is_lower), *bound.value));
      }
      tests.push_back(std::move(both));
      break;
    }
  }
  return tests;
}

Result<SqlFragment> TimeTermSql(const Term& term) {
  auto time_test = [](CompareOp op, const std::string& text) -> Result<SqlFragment> {
    TH_ASSIGN_OR_RETURN(const int64_t millis, OracleParseTimeMillis(text));
    return SqlFragment{"e.time" + std::string(OpSql(op)) + "?", {millis}};
  };
  switch (term.kind) {
    case TermKind::kExists:
      return SqlFragment{"1", {}};
    case TermKind::kExact:
    case TermKind::kPhrase: {
      TH_ASSIGN_OR_RETURN(const int64_t millis, OracleParseTimeMillis(term.value));
      return SqlFragment{"e.time = ?", {millis}};
    }
    case TermKind::kCompare:
      return time_test(term.op, term.value);
    case TermKind::kRange: {
      SqlFragment f{"1", {}};
      for (const bool is_lower : {true, false}) {
        const RangeBound& bound = is_lower ? term.lower : term.upper;
        if (!bound.value) continue;
        TH_ASSIGN_OR_RETURN(const SqlFragment part,
                            time_test(BoundOp(bound, is_lower), *bound.value));
        f.Append(" AND ");
        f.Append(part);
      }
      return f;
    }
    case TermKind::kWildcard:
      break;
  }
  return Status::InvalidArgument("wildcards are not supported on _time ('" + term.value + "')");
}

Result<SqlFragment> TermSql(const Term& term, const PathIdLookup& path_id) {
  const VirtualField virtual_field = term.field.virtual_field();
  if (virtual_field == VirtualField::kTime) return TimeTermSql(term);
  if (virtual_field == VirtualField::kSource || virtual_field == VirtualField::kCategory) {
    // A string that every event has.
    const std::string column = virtual_field == VirtualField::kSource ? "e.source" : "e.category";
    SqlFragment f{"(0", {}};
    for (const SqlFragment& test : ValueTests(term, {"0", column, "th_num(" + column + ")"})) {
      f.Append(" OR (");
      f.Append(test);
      f.Append(")");
    }
    f.Append(")");
    return f;
  }
  const int64_t pid = path_id(term.field.segments());
  const std::vector<SqlFragment> tests = ValueTests(term, {"t", "s", "n"});
  if (pid < 0 || tests.empty()) return SqlFragment{"0", {}};
  // Correlated on the event, so the cost follows the events in the time range.
  SqlFragment f{
      "EXISTS (SELECT 1 FROM kv WHERE pid = " + std::to_string(pid) + " AND ev = e.id AND (", {}};
  for (size_t i = 0; i < tests.size(); ++i) {
    if (i > 0) f.Append(" OR ");
    f.Append("(");
    f.Append(tests[i]);
    f.Append(")");
  }
  f.Append("))");
  return f;
}

Result<SqlFragment> NodeSql(const Node& node, const PathIdLookup& path_id) {
  switch (node.kind()) {
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      SqlFragment f{"(", {}};
      for (size_t i = 0; i < node.children().size(); ++i) {
        if (i > 0) f.Append(node.kind() == NodeKind::kAnd ? " AND " : " OR ");
        TH_ASSIGN_OR_RETURN(const SqlFragment child, NodeSql(*node.children()[i], path_id));
        f.Append(child);
      }
      f.Append(")");
      return f;
    }
    case NodeKind::kNot: {
      TH_ASSIGN_OR_RETURN(const SqlFragment child, NodeSql(*node.children()[0], path_id));
      SqlFragment f{"(NOT ", {}};
      f.Append(child);
      f.Append(")");
      return f;
    }
    case NodeKind::kFreeText: {
      const query::FreeText& text = node.free_text();
      if (text.kind == query::FreeTextKind::kWildcard) {
        return SqlFragment{"lower(e.raw) GLOB ?", {"*" + OracleWildcardToGlob(text.text) + "*"}};
      }
      return SqlFragment{"th_contains_folded(e.raw, ?)", {OracleFold(text.text)}};
    }
    case NodeKind::kTerm: {
      TH_ASSIGN_OR_RETURN(SqlFragment term, TermSql(node.term(), path_id));
      return SqlFragment{"(" + term.sql + ")", std::move(term.params)};
    }
  }
  return Status::Internal("unknown filter node kind");
}

}  // namespace

Result<SqlFragment> FilterToSql(const query::NodePtr& filter, const PathIdLookup& path_id) {
  if (!filter) return SqlFragment{"1", {}};
  return NodeSql(*filter, path_id);
}

}  // namespace trailhound::testing
