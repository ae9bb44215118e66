#include "query/printer.h"

#include <variant>

#include "query/lexer.h"
#include "query/text_search.h"
#include "query/wildcard.h"

namespace trailhound::query {
namespace {

// Where a word is printed; decides which characters need a '\'.
enum class Context { kFilter, kValue, kField };

bool NeedsEscape(char c, Context context, bool first) {
  if (IsQuerySpace(c)) return true;
  switch (c) {
    case '\\':
    case '"':
    case '(':
    case ')':
    case '|':
    case '[':
    case ']':
    case '{':
    case '}':
    case '*':
    case '?':
      return true;
    case ':':
      return context != Context::kValue;
    case '<':
    case '>':
      return context != Context::kValue || first;
    case '-':
      return context != Context::kValue && first;
    case ',':
    case '=':
    case '.':
      return context == Context::kField;
    default:
      return false;
  }
}

bool IsReserved(std::string_view word) {
  for (std::string_view k : {"and", "or", "not", "to", "by", "as"}) {
    if (EqualsFolded(word, k)) return true;
  }
  return false;
}

void AppendLiteral(std::string_view literal, Context context, std::string* out) {
  const bool reserved = IsReserved(literal);
  for (size_t i = 0; i < literal.size(); ++i) {
    if ((i == 0 && reserved) || NeedsEscape(literal[i], context, i == 0)) *out += '\\';
    *out += literal[i];
  }
}

void AppendQuoted(std::string_view text, std::string* out) {
  *out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') *out += '\\';
    *out += c;
  }
  *out += '"';
}

// A word, or "" when it is empty (a bare word cannot be).
void AppendWord(std::string_view literal, Context context, std::string* out) {
  if (literal.empty()) {
    *out += "\"\"";
  } else {
    AppendLiteral(literal, context, out);
  }
}

void AppendGlob(std::string_view glob, Context context, std::string* out) {
  const std::vector<WildcardElement> elements = DecodeWildcard(glob);
  for (size_t i = 0; i < elements.size(); ++i) {
    const WildcardElement& e = elements[i];
    if (e.kind == WildcardElement::kAnyString) {
      *out += '*';
    } else if (e.kind == WildcardElement::kAnyChar) {
      *out += '?';
    } else {
      if (NeedsEscape(e.literal, context, i == 0)) *out += '\\';
      *out += e.literal;
    }
  }
}

void AppendField(const FieldPath& field, std::string* out) {
  const std::vector<std::string>& segments = field.segments();
  if (segments.size() == 1) {
    AppendLiteral(segments[0], Context::kField, out);
    return;
  }
  for (size_t s = 0; s < segments.size(); ++s) {
    if (s > 0) *out += '.';
    const std::string& seg = segments[s];
    for (size_t i = 0; i < seg.size(); ++i) {
      if (NeedsEscape(seg[i], Context::kField, s == 0 && i == 0)) *out += '\\';
      *out += seg[i];
    }
  }
}

void AppendBound(const RangeBound& bound, std::string* out) {
  if (bound.value) {
    AppendWord(*bound.value, Context::kValue, out);
  } else {
    *out += '*';
  }
}

void AppendTerm(const Term& term, std::string* out) {
  AppendField(term.field, out);
  *out += ':';
  switch (term.kind) {
    case TermKind::kExact:
      AppendWord(term.value, Context::kValue, out);
      break;
    case TermKind::kPhrase:
      AppendQuoted(term.value, out);
      break;
    case TermKind::kWildcard:
      AppendGlob(term.value, Context::kValue, out);
      break;
    case TermKind::kExists:
      *out += '*';
      break;
    case TermKind::kRange:
      *out += term.lower.inclusive ? '[' : '{';
      AppendBound(term.lower, out);
      *out += " TO ";
      AppendBound(term.upper, out);
      *out += term.upper.inclusive ? ']' : '}';
      break;
    case TermKind::kCompare:
      switch (term.op) {
        case CompareOp::kLess:
          *out += '<';
          break;
        case CompareOp::kLessEqual:
          *out += "<=";
          break;
        case CompareOp::kGreater:
          *out += '>';
          break;
        case CompareOp::kGreaterEqual:
          *out += ">=";
          break;
      }
      // "f:> =5" must not print as "f:>=5".
      if (!term.value.empty() && term.value[0] == '=') *out += '\\';
      AppendWord(term.value, Context::kValue, out);
      break;
  }
}

int Precedence(const Node& node) {
  switch (node.kind()) {
    case NodeKind::kOr:
      return 1;
    case NodeKind::kAnd:
      return 2;
    case NodeKind::kNot:
      return 3;
    default:
      return 4;
  }
}

// Prints `node`, in parentheses when its precedence is below `min_precedence`.
void AppendNode(const Node& node, int min_precedence, std::string* out) {
  const bool parens = Precedence(node) < min_precedence;
  if (parens) *out += '(';
  switch (node.kind()) {
    case NodeKind::kOr:
    case NodeKind::kAnd: {
      const bool is_or = node.kind() == NodeKind::kOr;
      for (size_t i = 0; i < node.children().size(); ++i) {
        if (i > 0) *out += is_or ? " OR " : " AND ";
        // A nested operand of the same operator keeps its parentheses.
        AppendNode(*node.children()[i], is_or ? 2 : 3, out);
      }
      break;
    }
    case NodeKind::kNot:
      *out += "NOT ";
      AppendNode(*node.children()[0], 3, out);
      break;
    case NodeKind::kTerm:
      AppendTerm(node.term(), out);
      break;
    case NodeKind::kFreeText: {
      const FreeText& ft = node.free_text();
      switch (ft.kind) {
        case FreeTextKind::kWord:
          AppendWord(ft.text, Context::kFilter, out);
          break;
        case FreeTextKind::kPhrase:
          AppendQuoted(ft.text, out);
          break;
        case FreeTextKind::kWildcard:
          AppendGlob(ft.text, Context::kFilter, out);
          break;
      }
      break;
    }
  }
  if (parens) *out += ')';
}

void AppendAggregates(const std::vector<Aggregate>& aggregates, std::string* out) {
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const Aggregate& a = aggregates[i];
    if (i > 0) *out += ", ";
    *out += AggregateFunctionName(a.function);
    *out += '(';
    if (a.field) AppendField(a.field->path, out);
    *out += ')';
    if (!a.alias.empty()) {
      *out += " as ";
      AppendLiteral(a.alias, Context::kField, out);
    }
  }
}

void AppendFieldList(const std::vector<FieldRef>& fields, std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) *out += ", ";
    AppendField(fields[i].path, out);
  }
}

std::string SpanToString(int64_t secs) {
  if (secs % 86400 == 0) return std::to_string(secs / 86400) + "d";
  if (secs % 3600 == 0) return std::to_string(secs / 3600) + "h";
  if (secs % 60 == 0) return std::to_string(secs / 60) + "m";
  return std::to_string(secs) + "s";
}

struct StagePrinter {
  std::string* out;
  void operator()(const StatsStage& s) const {
    *out += "stats ";
    AppendAggregates(s.aggregates, out);
    if (!s.by.empty()) {
      *out += " by ";
      AppendFieldList(s.by, out);
    }
  }
  void operator()(const SortStage& s) const {
    *out += "sort ";
    for (size_t i = 0; i < s.keys.size(); ++i) {
      if (i > 0) *out += ", ";
      if (s.keys[i].descending) *out += '-';
      AppendField(s.keys[i].field.path, out);
    }
  }
  void operator()(const HeadStage& s) const { *out += "head " + std::to_string(s.limit); }
  void operator()(const FieldsStage& s) const {
    *out += "fields ";
    AppendFieldList(s.fields, out);
  }
  void operator()(const TimechartStage& s) const {
    *out += "timechart span=" + SpanToString(s.span_secs) + " ";
    AppendAggregates(s.aggregates, out);
    if (s.by) {
      *out += " by ";
      AppendField(s.by->path, out);
    }
  }
};

}  // namespace

std::string FieldToString(const FieldPath& field) {
  std::string out;
  AppendField(field, &out);
  return out;
}

std::string ToString(const Node& node) {
  std::string out;
  AppendNode(node, 0, &out);
  return out;
}

std::string ToString(const Stage& stage) {
  std::string out;
  std::visit(StagePrinter{&out}, stage.body);
  return out;
}

std::string ToString(const Query& query) {
  std::string out;
  if (query.filter) out = ToString(*query.filter);
  for (const Stage& stage : query.stages) {
    out += out.empty() ? "| " : " | ";
    out += ToString(stage);
  }
  return out;
}

}  // namespace trailhound::query
