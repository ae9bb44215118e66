// Test helpers for src/query: parse-or-fail, and an S-expression dump that shows a filter
// tree's shape and kinds, e.g. (OR (eventName = ConsoleLogin) (NOT (text "x"))).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "query/ast.h"
#include "query/parser.h"

namespace trailhound::query {

inline std::string Sexp(const Node& node) {
  switch (node.kind()) {
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      std::string out = node.kind() == NodeKind::kAnd ? "(AND" : "(OR";
      for (const NodePtr& c : node.children()) out += " " + Sexp(*c);
      return out + ")";
    }
    case NodeKind::kNot:
      return "(NOT " + Sexp(*node.children()[0]) + ")";
    case NodeKind::kFreeText: {
      const FreeText& ft = node.free_text();
      const char* kind = ft.kind == FreeTextKind::kWord     ? "word"
                         : ft.kind == FreeTextKind::kPhrase ? "phrase"
                                                            : "glob";
      return std::string("(") + kind + " " + ft.text + ")";
    }
    case NodeKind::kTerm:
      break;
  }
  const Term& t = node.term();
  std::string field;
  for (const std::string& s : t.field.segments()) field += (field.empty() ? "" : "/") + s;
  switch (t.kind) {
    case TermKind::kExact:
      return "(" + field + " = " + t.value + ")";
    case TermKind::kPhrase:
      return "(" + field + " = \"" + t.value + "\")";
    case TermKind::kWildcard:
      return "(" + field + " ~ " + t.value + ")";
    case TermKind::kExists:
      return "(" + field + " exists)";
    case TermKind::kCompare: {
      const char* op = t.op == CompareOp::kLess        ? "<"
                       : t.op == CompareOp::kLessEqual ? "<="
                       : t.op == CompareOp::kGreater   ? ">"
                                                       : ">=";
      return "(" + field + " " + op + " " + t.value + ")";
    }
    case TermKind::kRange: {
      std::string out = "(" + field + " in ";
      out += t.lower.inclusive ? "[" : "{";
      out += t.lower.value ? *t.lower.value : "*";
      out += ", ";
      out += t.upper.value ? *t.upper.value : "*";
      out += t.upper.inclusive ? "]" : "}";
      return out + ")";
    }
  }
  return "?";
}

// The parsed query; a failed parse fails the test and returns an empty query.
inline Query MustParse(std::string_view text) {
  Result<Query> q = ParseQuery(text);
  EXPECT_TRUE(q.ok()) << "query: " << text << "\n" << q.status().ToString();
  return q.ok() ? *q : Query{};
}

// Sexp of the filter of `text`, or "<error: message>" / "<none>".
inline std::string FilterSexp(std::string_view text) {
  Result<Query> q = ParseQuery(text);
  if (!q.ok()) return "<error: " + q.status().message() + ">";
  return q->filter ? Sexp(*q->filter) : "<none>";
}

}  // namespace trailhound::query
