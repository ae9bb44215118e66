#include "query/ast.h"

#include <cassert>

#include "query/wildcard.h"

namespace trailhound::query {

FieldPath FieldPath::FromDotted(std::string_view dotted) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted.find('.', start);
    segments.emplace_back(
        dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return FieldPath(std::move(segments));
}

std::string FieldPath::Dotted() const {
  std::string out;
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (i > 0) out += '.';
    for (char c : segments_[i]) {
      if (c == '.' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

VirtualField FieldPath::virtual_field() const {
  if (segments_.size() != 1) return VirtualField::kNone;
  const std::string& name = segments_[0];
  if (name == "_time") return VirtualField::kTime;
  if (name == "_source") return VirtualField::kSource;
  if (name == "_category") return VirtualField::kCategory;
  return VirtualField::kNone;
}

Term Term::Exact(FieldPath field, std::string value) {
  assert(!value.empty());
  Term t;
  t.field = std::move(field);
  t.kind = TermKind::kExact;
  t.value = std::move(value);
  return t;
}

Term Term::Phrase(FieldPath field, std::string value) {
  Term t;
  t.field = std::move(field);
  t.kind = TermKind::kPhrase;
  t.value = std::move(value);
  return t;
}

Term Term::Wildcard(FieldPath field, std::string_view pattern) {
  Term t;
  t.field = std::move(field);
  t.kind = TermKind::kWildcard;
  t.value = CanonicalWildcard(pattern);
  assert(HasWildcards(t.value) && t.value != "*");
  return t;
}

Term Term::Exists(FieldPath field) {
  Term t;
  t.field = std::move(field);
  t.kind = TermKind::kExists;
  return t;
}

Term Term::Range(FieldPath field, RangeBound lower, RangeBound upper) {
  Term t;
  t.field = std::move(field);
  t.kind = TermKind::kRange;
  t.lower = std::move(lower);
  t.upper = std::move(upper);
  return t;
}

Term Term::Compare(FieldPath field, CompareOp op, std::string value) {
  Term t;
  t.field = std::move(field);
  t.kind = TermKind::kCompare;
  t.op = op;
  t.value = std::move(value);
  return t;
}

bool operator==(const Node& a, const Node& b) {
  if (&a == &b) return true;
  if (a.kind_ != b.kind_ || a.payload_ != b.payload_ || a.children_.size() != b.children_.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children_.size(); ++i) {
    if (!(*a.children_[i] == *b.children_[i])) return false;
  }
  return true;
}

bool SameTree(const NodePtr& a, const NodePtr& b) {
  if (a == nullptr || b == nullptr) return a == b;
  return *a == *b;
}

NodePtr MakeAnd(std::vector<NodePtr> children, int position) {
  assert(!children.empty());
  if (children.size() == 1) return std::move(children[0]);
  auto node = std::shared_ptr<Node>(new Node(NodeKind::kAnd, position));
  node->children_ = std::move(children);
  return node;
}

NodePtr MakeOr(std::vector<NodePtr> children, int position) {
  assert(!children.empty());
  if (children.size() == 1) return std::move(children[0]);
  auto node = std::shared_ptr<Node>(new Node(NodeKind::kOr, position));
  node->children_ = std::move(children);
  return node;
}

NodePtr MakeNot(NodePtr child, int position) {
  assert(child != nullptr);
  auto node = std::shared_ptr<Node>(new Node(NodeKind::kNot, position));
  node->children_.push_back(std::move(child));
  return node;
}

NodePtr MakeTerm(Term term, int position) {
  auto node = std::shared_ptr<Node>(new Node(NodeKind::kTerm, position));
  node->payload_ = std::move(term);
  return node;
}

NodePtr MakeFreeText(FreeText free_text, int position) {
  auto node = std::shared_ptr<Node>(new Node(NodeKind::kFreeText, position));
  node->payload_ = std::move(free_text);
  return node;
}

std::string_view AggregateFunctionName(AggregateFunction function) {
  switch (function) {
    case AggregateFunction::kCount:
      return "count";
    case AggregateFunction::kCountDistinct:
      return "count_distinct";
    case AggregateFunction::kMin:
      return "min";
    case AggregateFunction::kMax:
      return "max";
    case AggregateFunction::kValues:
      return "values";
  }
  return "?";
}

std::string Aggregate::OutputName() const {
  if (!alias.empty()) return alias;
  std::string name(AggregateFunctionName(function));
  if (!field) return name;
  return name + "(" + field->path.Dotted() + ")";
}

bool operator==(const Aggregate& a, const Aggregate& b) {
  return a.function == b.function && a.field == b.field && a.alias == b.alias;
}

std::optional<std::vector<std::string>> OutputColumns(const std::vector<Stage>& stages) {
  std::optional<std::vector<std::string>> columns;
  for (const Stage& stage : stages) {
    if (const auto* stats = std::get_if<StatsStage>(&stage.body)) {
      columns.emplace();
      for (const FieldRef& f : stats->by) columns->push_back(f.path.Dotted());
      for (const Aggregate& a : stats->aggregates) columns->push_back(a.OutputName());
    } else if (const auto* chart = std::get_if<TimechartStage>(&stage.body)) {
      columns.emplace();
      columns->push_back("_time");
      if (chart->by) columns->push_back(chart->by->path.Dotted());
      for (const Aggregate& a : chart->aggregates) columns->push_back(a.OutputName());
    } else if (const auto* fields = std::get_if<FieldsStage>(&stage.body)) {
      columns.emplace();
      for (const FieldRef& f : fields->fields) columns->push_back(f.path.Dotted());
    }
  }
  return columns;
}

}  // namespace trailhound::query
