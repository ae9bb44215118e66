#include "query/matcher.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "query/json_path.h"
#include "query/scalar.h"
#include "query/text_search.h"
#include "query/time_value.h"
#include "query/wildcard.h"

namespace trailhound::query {

namespace {

// One side of a comparison or range, compiled.
struct Bound {
  bool open = true;
  bool inclusive = true;
  std::optional<Operand> operand;  // when !open
  int64_t time = 0;                // when !open and the field is _time
};

// -1, 0, 1 for a < b, a == b, a > b.
int Sign(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// Whether a three-way comparison `c` of value against bound satisfies the lower/upper bound.
bool Satisfies(int c, const Bound& bound, bool is_lower) {
  if (is_lower) return bound.inclusive ? c >= 0 : c > 0;
  return bound.inclusive ? c <= 0 : c < 0;
}

bool ToScalar(simdjson::dom::element e, Scalar* s) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING:
      s->type = Scalar::kString;
      return e.get_string().get(s->text) == simdjson::SUCCESS;
    case simdjson::dom::element_type::INT64:
      s->type = Scalar::kInt64;
      return e.get_int64().get(s->int64) == simdjson::SUCCESS;
    case simdjson::dom::element_type::UINT64:
      s->type = Scalar::kUint64;
      return e.get_uint64().get(s->uint64) == simdjson::SUCCESS;
    case simdjson::dom::element_type::DOUBLE:
      s->type = Scalar::kDouble;
      return e.get_double().get(s->real) == simdjson::SUCCESS;
    case simdjson::dom::element_type::BOOL:
      s->type = Scalar::kBool;
      return e.get_bool().get(s->boolean) == simdjson::SUCCESS;
    default:  // null, object, array
      return false;
  }
}

}  // namespace

struct FilterMatcher::Predicate {
  NodeKind kind = NodeKind::kAnd;
  std::vector<Predicate> children;
  // kTerm
  FieldPath field;
  VirtualField virtual_field = VirtualField::kNone;
  TermKind term_kind = TermKind::kExists;
  std::optional<Operand> operand;          // kExact, kPhrase, kCompare
  std::optional<WildcardPattern> pattern;  // kWildcard; free-text kWildcard
  CompareOp op = CompareOp::kLess;
  Bound lower, upper;
  int64_t time = 0;  // _time kExact, kPhrase, kCompare
  // kFreeText kWord and kPhrase
  std::optional<FoldedSearcher> searcher;

  struct Context {
    simdjson::dom::element event;
    std::string_view json;
    const VirtualFields& virtuals;
  };

  bool Evaluate(const Context& ctx) const {
    switch (kind) {
      case NodeKind::kAnd:
        for (const Predicate& c : children) {
          if (!c.Evaluate(ctx)) return false;
        }
        return true;
      case NodeKind::kOr:
        for (const Predicate& c : children) {
          if (c.Evaluate(ctx)) return true;
        }
        return false;
      case NodeKind::kNot:
        return !children[0].Evaluate(ctx);
      case NodeKind::kFreeText:
        return searcher ? searcher->Contains(ctx.json) : pattern->Matches(ctx.json);
      case NodeKind::kTerm:
        return EvaluateTerm(ctx);
    }
    return false;
  }

  bool EvaluateTerm(const Context& ctx) const {
    switch (virtual_field) {
      case VirtualField::kTime:
        return ctx.virtuals.time_millis && TestTime(*ctx.virtuals.time_millis);
      case VirtualField::kSource:
      case VirtualField::kCategory: {
        const std::optional<std::string_view>& v =
            virtual_field == VirtualField::kSource ? ctx.virtuals.source : ctx.virtuals.category;
        if (!v) return false;
        if (term_kind == TermKind::kExists) return true;
        Scalar s;
        s.text = *v;
        return TestScalar(s);
      }
      case VirtualField::kNone:
        break;
    }
    return VisitPath(ctx.event, field, [this](simdjson::dom::element e) {
      if (term_kind == TermKind::kExists) return !e.is_null();
      Scalar s;
      return ToScalar(e, &s) && TestScalar(s);
    });
  }

  bool TestScalar(const Scalar& s) const {
    switch (term_kind) {
      case TermKind::kExists:
        return true;
      case TermKind::kExact:
      case TermKind::kPhrase:
        return ScalarEquals(s, *operand);
      case TermKind::kWildcard:
        return s.type == Scalar::kString ? pattern->Matches(s.text)
                                         : pattern->Matches(ScalarText(s));
      case TermKind::kCompare: {
        const std::optional<int> c = CompareScalar(s, *operand);
        return c && TestOp(*c);
      }
      case TermKind::kRange: {
        if (lower.open && upper.open) return s.type != Scalar::kBool;
        for (const Bound* b : {&lower, &upper}) {
          if (b->open) continue;
          const std::optional<int> c = CompareScalar(s, *b->operand);
          if (!c || !Satisfies(*c, *b, b == &lower)) return false;
        }
        return true;
      }
    }
    return false;
  }

  bool TestTime(int64_t t) const {
    switch (term_kind) {
      case TermKind::kExists:
        return true;
      case TermKind::kExact:
      case TermKind::kPhrase:
        return t == time;
      case TermKind::kCompare:
        return TestOp(Sign(t, time));
      case TermKind::kRange:
        return (lower.open || Satisfies(Sign(t, lower.time), lower, true)) &&
               (upper.open || Satisfies(Sign(t, upper.time), upper, false));
      case TermKind::kWildcard:
        return false;  // refused by Compile
    }
    return false;
  }

  bool TestOp(int c) const {
    switch (op) {
      case CompareOp::kLess:
        return c < 0;
      case CompareOp::kLessEqual:
        return c <= 0;
      case CompareOp::kGreater:
        return c > 0;
      case CompareOp::kGreaterEqual:
        return c >= 0;
    }
    return false;
  }
};

namespace {

Status CompileBound(const RangeBound& in, bool is_time, Bound* out) {
  out->inclusive = in.inclusive;
  out->open = !in.value.has_value();
  if (out->open) return Status::OK();
  out->operand.emplace(*in.value);
  if (is_time) {
    TH_ASSIGN_OR_RETURN(out->time, ParseTimeMillis(*in.value));
  }
  return Status::OK();
}

}  // namespace

Result<FilterMatcher> FilterMatcher::Compile(const NodePtr& filter) {
  if (!filter) return FilterMatcher(nullptr);
  // Recursive: the depth is that of the AST (bounded by ParseOptions::max_depth when parsed).
  struct Compiler {
    static Status Run(const Node& node, Predicate* out) {
      out->kind = node.kind();
      switch (node.kind()) {
        case NodeKind::kAnd:
        case NodeKind::kOr:
        case NodeKind::kNot:
          out->children.resize(node.children().size());
          for (size_t i = 0; i < node.children().size(); ++i) {
            TH_RETURN_IF_ERROR(Run(*node.children()[i], &out->children[i]));
          }
          return Status::OK();
        case NodeKind::kFreeText: {
          const FreeText& ft = node.free_text();
          if (ft.kind == FreeTextKind::kWildcard) {
            out->pattern.emplace("*" + ft.text + "*");
          } else {
            out->searcher.emplace(ft.text);
          }
          return Status::OK();
        }
        case NodeKind::kTerm:
          return CompileTerm(node.term(), out);
      }
      return Status::Internal("unknown node kind");
    }

    static Status CompileTerm(const Term& term, Predicate* out) {
      out->field = term.field;
      out->virtual_field = term.field.virtual_field();
      out->term_kind = term.kind;
      out->op = term.op;
      const bool is_time = out->virtual_field == VirtualField::kTime;
      switch (term.kind) {
        case TermKind::kExists:
          break;
        case TermKind::kExact:
        case TermKind::kPhrase:
        case TermKind::kCompare:
          out->operand.emplace(term.value);
          if (is_time) {
            TH_ASSIGN_OR_RETURN(out->time, ParseTimeMillis(term.value));
          }
          break;
        case TermKind::kWildcard:
          if (is_time) {
            return Status::InvalidArgument(
                fmt::format("wildcards are not supported on _time ('{}')", term.value));
          }
          out->pattern.emplace(term.value);
          break;
        case TermKind::kRange:
          TH_RETURN_IF_ERROR(CompileBound(term.lower, is_time, &out->lower));
          TH_RETURN_IF_ERROR(CompileBound(term.upper, is_time, &out->upper));
          break;
      }
      return Status::OK();
    }
  };
  auto root = std::make_shared<Predicate>();
  TH_RETURN_IF_ERROR(Compiler::Run(*filter, root.get()));
  return FilterMatcher(std::move(root));
}

Result<bool> FilterMatcher::Matches(simdjson::dom::parser& parser, std::string_view json,
                                    const VirtualFields& virtuals) const {
  simdjson::dom::element event;
  const simdjson::error_code error = parser.parse(json.data(), json.size()).get(event);
  if (error != simdjson::SUCCESS) {
    return Status::Corruption(
        fmt::format("the event is not valid JSON: {}", simdjson::error_message(error)));
  }
  return Matches(event, json, virtuals);
}

bool FilterMatcher::Matches(simdjson::dom::element event, std::string_view json,
                            const VirtualFields& virtuals) const {
  if (!root_) return true;
  return root_->Evaluate(Predicate::Context{event, json, virtuals});
}

}  // namespace trailhound::query
