// The query AST: an immutable filter tree (And, Or, Not, Term, FreeText) and the pipe stages
// after it; made by the parser, written back by printer.h, consumed by matcher.h, the store
// executor and the Sigma compiler. Nodes are shared (NodePtr), so copies never copy a tree,
// and immutable, so any number of threads may read one. Positions are byte offsets into the
// query (-1 when built, not parsed); operator== compares structure and ignores positions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace trailhound::query {

// Fields that are not in the CloudTrail JSON but set by the pipeline: the event time, the
// event source's name and the normalizer's category.
enum class VirtualField : uint8_t { kNone, kTime, kSource, kCategory };

// A dotted path into the event JSON: userIdentity.sessionContext.sessionIssuer.userName is
// {"userIdentity", "sessionContext", "sessionIssuer", "userName"}. Keys are case-sensitive.
class FieldPath {
 public:
  FieldPath() = default;
  // REQUIRES: no segment is empty.
  explicit FieldPath(std::vector<std::string> segments) : segments_(std::move(segments)) {}
  // Splits a plain dotted name at every '.'; for names whose keys contain no dot.
  static FieldPath FromDotted(std::string_view dotted);

  const std::vector<std::string>& segments() const { return segments_; }
  bool empty() const { return segments_.empty(); }
  // The column name of the field in stats output and sort keys: the segments joined by '.',
  // with a '.' or '\' inside a segment escaped by '\' ("requestParameters.bucketName").
  std::string Dotted() const;
  // _time, _source or _category when the path is that one name; kNone otherwise.
  VirtualField virtual_field() const;

  friend bool operator==(const FieldPath&, const FieldPath&) = default;

 private:
  std::vector<std::string> segments_;
};

// What a Term tests. Values are compared ignoring ASCII case (scalar.h).
enum class TermKind : uint8_t {
  kExact,     // field:value        the whole value equals `value` (literal text)
  kPhrase,    // field:"a value"    the same test as kExact; written quoted
  kWildcard,  // field:Access*      `value` is a glob (wildcard.h), matched against the whole value
  kExists,    // field:*            the field is present and not null
  kRange,     // field:[a TO b]     lower/upper bounds, each inclusive or not, or open
  kCompare,   // field:>=5          `op` against `value`
};

enum class CompareOp : uint8_t { kLess, kLessEqual, kGreater, kGreaterEqual };

struct RangeBound {
  std::optional<std::string> value;  // nullopt: open (written '*')
  bool inclusive = true;             // '[' or ']' vs '{' or '}'
  friend bool operator==(const RangeBound&, const RangeBound&) = default;
};

struct Term {
  FieldPath field;
  TermKind kind = TermKind::kExists;
  // kExact/kPhrase: the literal text; kWildcard: the pattern in canonical form
  // (CanonicalWildcard); kCompare: the operand; empty otherwise.
  std::string value;
  CompareOp op = CompareOp::kLess;  // kCompare only
  RangeBound lower, upper;          // kRange only

  // Constructors that keep the invariants above (and the printer's round trip).
  // REQUIRES (Exact): !value.empty() — an empty value is written "" and so is a Phrase.
  static Term Exact(FieldPath field, std::string value);
  static Term Phrase(FieldPath field, std::string value);
  // REQUIRES: HasWildcards(pattern) and pattern is not exactly "*" (that is Exists).
  static Term Wildcard(FieldPath field, std::string_view pattern);
  static Term Exists(FieldPath field);
  static Term Range(FieldPath field, RangeBound lower, RangeBound upper);
  static Term Compare(FieldPath field, CompareOp op, std::string value);

  friend bool operator==(const Term&, const Term&) = default;
};

// Free text: searched in the verbatim JSON of the event, ignoring ASCII case.
enum class FreeTextKind : uint8_t {
  kWord,      // AccessDenied       a literal substring
  kPhrase,    // "Access Denied"    a literal substring; written quoted
  kWildcard,  // Access*Denied      a glob matched anywhere (as if wrapped in '*')
};

struct FreeText {
  FreeTextKind kind = FreeTextKind::kWord;
  std::string text;  // kWildcard: canonical glob; otherwise literal. REQUIRES (kWord): non-empty
  friend bool operator==(const FreeText&, const FreeText&) = default;
};

enum class NodeKind : uint8_t { kAnd, kOr, kNot, kTerm, kFreeText };

class Node;
using NodePtr = std::shared_ptr<const Node>;

class Node {
 public:
  NodeKind kind() const { return kind_; }
  int position() const { return position_; }
  // kAnd/kOr: two or more operands, in query order; kNot: one; otherwise none.
  const std::vector<NodePtr>& children() const { return children_; }
  // REQUIRES: kind() == kTerm.
  const Term& term() const { return std::get<Term>(payload_); }
  // REQUIRES: kind() == kFreeText.
  const FreeText& free_text() const { return std::get<FreeText>(payload_); }

  // Deep structural equality; positions are ignored.
  friend bool operator==(const Node& a, const Node& b);

 private:
  friend NodePtr MakeAnd(std::vector<NodePtr>, int);
  friend NodePtr MakeOr(std::vector<NodePtr>, int);
  friend NodePtr MakeNot(NodePtr, int);
  friend NodePtr MakeTerm(Term, int);
  friend NodePtr MakeFreeText(FreeText, int);
  Node(NodeKind kind, int position) : kind_(kind), position_(position) {}

  NodeKind kind_;
  int position_;
  std::vector<NodePtr> children_;
  std::variant<std::monostate, Term, FreeText> payload_;
};

// Node factories. MakeAnd/MakeOr return the operand itself when given one.
// REQUIRES: children non-empty and non-null.
NodePtr MakeAnd(std::vector<NodePtr> children, int position = -1);
NodePtr MakeOr(std::vector<NodePtr> children, int position = -1);
NodePtr MakeNot(NodePtr child, int position = -1);
NodePtr MakeTerm(Term term, int position = -1);
NodePtr MakeFreeText(FreeText free_text, int position = -1);

// Null-safe deep equality of two trees (two nulls are equal).
bool SameTree(const NodePtr& a, const NodePtr& b);

// ---- Pipeline stages ----

// A field named in a stage, with where it was written.
struct FieldRef {
  FieldPath path;
  int position = -1;
  friend bool operator==(const FieldRef& a, const FieldRef& b) { return a.path == b.path; }
};

enum class AggregateFunction : uint8_t { kCount, kCountDistinct, kMin, kMax, kValues };

// "count", "count_distinct", "min", "max", "values".
std::string_view AggregateFunctionName(AggregateFunction function);

struct Aggregate {
  AggregateFunction function = AggregateFunction::kCount;
  std::optional<FieldRef> field;  // required except for kCount (count() counts events)
  std::string alias;              // `as name`; "" when absent
  int position = -1;

  // The output column: the alias, else "count" for count(), else "min(eventTime)".
  std::string OutputName() const;
  friend bool operator==(const Aggregate& a, const Aggregate& b);
};

// stats <agg>[, <agg>...] [by f1, f2]: one row per distinct combination of the by-fields.
struct StatsStage {
  std::vector<Aggregate> aggregates;  // at least one
  std::vector<FieldRef> by;
  friend bool operator==(const StatsStage&, const StatsStage&) = default;
};

struct SortKey {
  FieldRef field;  // a column of an earlier stats/timechart/fields stage, else an event field
  bool descending = false;
  friend bool operator==(const SortKey&, const SortKey&) = default;
};

struct SortStage {
  std::vector<SortKey> keys;  // at least one; the first decides first
  friend bool operator==(const SortStage&, const SortStage&) = default;
};

struct HeadStage {
  int64_t limit = 10;  // 1 .. kMaxHeadLimit
  friend bool operator==(const HeadStage&, const HeadStage&) = default;
};

struct FieldsStage {
  std::vector<FieldRef> fields;  // at least one, in output order
  friend bool operator==(const FieldsStage&, const FieldsStage&) = default;
};

// timechart span=<N><s|m|h|d> <agg>... [by field]: stats by time bucket (and field); rows
// carry the bucket start in `_time`.
struct TimechartStage {
  int64_t span_secs = 3600;
  std::vector<Aggregate> aggregates;  // at least one
  std::optional<FieldRef> by;
  friend bool operator==(const TimechartStage&, const TimechartStage&) = default;
};

inline constexpr int64_t kMaxHeadLimit = 1'000'000'000;
inline constexpr int64_t kMaxSpanSecs = 3650LL * 86400;

using StageBody = std::variant<StatsStage, SortStage, HeadStage, FieldsStage, TimechartStage>;

struct Stage {
  StageBody body;
  int position = -1;  // of the stage's name
  friend bool operator==(const Stage& a, const Stage& b) { return a.body == b.body; }
};

// A parsed query: the filter (null: every event) and the stages, applied in order.
struct Query {
  NodePtr filter;
  std::vector<Stage> stages;
  friend bool operator==(const Query& a, const Query& b) {
    return SameTree(a.filter, b.filter) && a.stages == b.stages;
  }
};

// The output columns after `stages`: nullopt while the rows are still events (any field can
// be read); else the column names (FieldPath::Dotted for fields, OutputName for aggregates,
// "_time" first for timechart).
std::optional<std::vector<std::string>> OutputColumns(const std::vector<Stage>& stages);

}  // namespace trailhound::query
