#include "store/search_plan.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "query/scalar.h"
#include "query/text_search.h"
#include "query/wildcard.h"

namespace trailhound::store {

struct SearchPlan::Check {
  enum Kind { kAnd, kOr, kValue, kText };
  Kind kind = kAnd;
  std::vector<std::shared_ptr<const Check>> children;  // kAnd / kOr
  size_t field = 0;                                    // kValue
  std::string folded;                                  // kValue / kText
};

namespace {

using CheckPtr = std::shared_ptr<const SearchPlan::Check>;

// The shortest text the n-gram filter can check; shorter needles prune nothing.
constexpr size_t kMinTextBytes = 3;

CheckPtr Text(std::string folded) {
  if (folded.size() < kMinTextBytes) return nullptr;
  auto check = std::make_shared<SearchPlan::Check>();
  check->kind = SearchPlan::Check::kText;
  check->folded = std::move(folded);
  return check;
}

CheckPtr Combine(SearchPlan::Check::Kind kind, std::vector<CheckPtr> children) {
  if (kind == SearchPlan::Check::kAnd) {
    std::erase(children, nullptr);  // "maybe" constrains nothing
    if (children.empty()) return nullptr;
  } else if (children.empty() ||
             std::find(children.begin(), children.end(), nullptr) != children.end()) {
    return nullptr;  // one branch that may match anything makes the OR "maybe"
  }
  if (children.size() == 1) return children.front();
  auto check = std::make_shared<SearchPlan::Check>();
  check->kind = kind;
  check->children = std::move(children);
  return check;
}

// Whether a value's text appears verbatim in the raw JSON of any string that equals it.
// JSON encoders escape '"', '\' and control characters, and some escape '<', '>', '&', '\''
// or '/' (\u003c, \/); none escapes letters, digits or the other punctuation below. Non-ASCII
// may be written as \uXXXX. So only these bytes are trusted to appear as they are.
bool VerbatimInJson(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
    return std::string_view("\"\\<>&'/").find(c) == std::string_view::npos;
  });
}

// Whether some number's JSON text could contain `text` (so a term on a number field could
// match without `text` appearing in the raw JSON): digits, '.', 'e', '+', '-' only.
bool CouldBeNumberText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  });
}

// A literal that every matching value of a term contains, as a raw-JSON text check.
CheckPtr RequireLiteral(std::string_view literal) {
  if (!VerbatimInJson(literal) || CouldBeNumberText(literal)) return nullptr;
  return Text(query::FoldAscii(literal));
}

CheckPtr ForTerm(const query::Term& term) {
  if (term.field.virtual_field() != query::VirtualField::kNone) return nullptr;
  switch (term.kind) {
    case query::TermKind::kExact:
    case query::TermKind::kPhrase: {
      // A numeric value also equals numbers written differently (5 = 5.0): no pruning.
      if (term.value.empty() || query::ParseNumber(term.value)) return nullptr;
      int field = IndexedFieldIndex(term.field);
      if (field >= 0) {
        auto check = std::make_shared<SearchPlan::Check>();
        check->kind = SearchPlan::Check::kValue;
        check->field = static_cast<size_t>(field);
        check->folded = query::FoldAscii(term.value);
        return check;
      }
      return RequireLiteral(term.value);
    }
    case query::TermKind::kWildcard: {
      std::vector<CheckPtr> parts;
      for (const std::string& piece : query::RequiredSubstrings(term.value)) {
        parts.push_back(RequireLiteral(piece));
      }
      return Combine(SearchPlan::Check::kAnd, std::move(parts));
    }
    default:
      return nullptr;  // exists, ranges, comparisons: numbers and absent fields take part
  }
}

CheckPtr Build(const query::NodePtr& node) {
  if (node == nullptr) return nullptr;
  switch (node->kind()) {
    case query::NodeKind::kAnd:
    case query::NodeKind::kOr: {
      std::vector<CheckPtr> children;
      for (const auto& child : node->children()) children.push_back(Build(child));
      return Combine(
          node->kind() == query::NodeKind::kAnd ? SearchPlan::Check::kAnd : SearchPlan::Check::kOr,
          std::move(children));
    }
    case query::NodeKind::kNot:
      return nullptr;  // a Bloom filter proves absence, never presence
    case query::NodeKind::kTerm:
      return ForTerm(node->term());
    case query::NodeKind::kFreeText: {
      // Free text is searched in the raw JSON itself, so every literal piece must be there.
      const query::FreeText& text = node->free_text();
      if (text.kind != query::FreeTextKind::kWildcard) return Text(query::FoldAscii(text.text));
      std::vector<CheckPtr> parts;
      for (const std::string& piece : query::RequiredSubstrings(text.text)) {
        parts.push_back(Text(piece));
      }
      return Combine(SearchPlan::Check::kAnd, std::move(parts));
    }
  }
  return nullptr;
}

bool Evaluate(const SearchPlan::Check& check, const Segment& segment, size_t block) {
  switch (check.kind) {
    case SearchPlan::Check::kAnd:
      return std::all_of(check.children.begin(), check.children.end(),
                         [&](const CheckPtr& c) { return Evaluate(*c, segment, block); });
    case SearchPlan::Check::kOr:
      return std::any_of(check.children.begin(), check.children.end(),
                         [&](const CheckPtr& c) { return Evaluate(*c, segment, block); });
    case SearchPlan::Check::kValue:
      return segment.BlockMayContainValue(block, check.field, check.folded);
    case SearchPlan::Check::kText:
      return segment.BlockMayContainText(block, check.folded);
  }
  return true;
}

void Print(const SearchPlan::Check& check, std::string& out) {
  switch (check.kind) {
    case SearchPlan::Check::kAnd:
    case SearchPlan::Check::kOr:
      out += check.kind == SearchPlan::Check::kAnd ? "and(" : "or(";
      for (size_t i = 0; i < check.children.size(); ++i) {
        if (i > 0) out += ",";
        Print(*check.children[i], out);
      }
      out += ")";
      return;
    case SearchPlan::Check::kValue:
      out += "value(" + std::string(IndexedFields()[check.field].dotted) + "=" + check.folded + ")";
      return;
    case SearchPlan::Check::kText:
      out += "text(" + check.folded + ")";
      return;
  }
}

}  // namespace

SearchPlan SearchPlan::ForFilter(const query::NodePtr& filter) { return SearchPlan(Build(filter)); }

bool SearchPlan::BlockMayMatch(const Segment& segment, size_t block) const {
  return root_ == nullptr || Evaluate(*root_, segment, block);
}

std::string SearchPlan::ToString() const {
  if (root_ == nullptr) return "all";
  std::string out;
  Print(*root_, out);
  return out;
}

}  // namespace trailhound::store
