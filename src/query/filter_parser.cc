#include "query/filter_parser.h"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "query/time_value.h"

namespace trailhound::query::internal {
namespace {

// The glob for a word: unescaped '*' and '?' are wildcards, everything else is literal.
std::string WordGlob(const Token& t) {
  std::string glob;
  for (size_t i = 0; i < t.text.size(); ++i) {
    const char c = t.text[i];
    if (t.escaped[i] && (c == '*' || c == '?')) {
      glob += '\\';
    } else if (c == '\\') {
      glob += '\\';
    }
    glob += c;
  }
  return glob;
}

bool HasUnescapedWildcard(const Token& t) { return t.HasUnescaped('*') || t.HasUnescaped('?'); }

// A field whose values a parenthesized group tests: eventName:(A OR B).
struct Group {
  FieldPath field;
  int position = 0;     // of the field name
  std::string context;  // "'eventName:'" for messages
};

class FilterParser : private CursorParser {
 public:
  FilterParser(ParseCursor& cursor, const ParseOptions& options)
      : CursorParser(cursor), options_(options) {}

  NodePtr Parse() {
    const Token first = Peek(LexMode::kFilter);
    if (first.kind == TokenKind::kEnd || first.kind == TokenKind::kPipe) return nullptr;
    NodePtr filter = ParseOr(0, nullptr, "");
    if (!filter) return nullptr;
    const Token t = Peek(LexMode::kFilter);
    if (t.kind == TokenKind::kRParen) {
      return Fail(t.begin, "'|' or the end of the query",
                  fmt::format("unexpected ')' at position {} with no matching '('", t.begin));
    }
    return filter;
  }

 private:
  bool EnterLevel(int depth, const Token& at) {
    if (depth < options_.max_depth) return true;
    Fail(at.begin, "",
         fmt::format("the query nests more than {} levels deep (parentheses and NOT) at "
                     "position {}",
                     options_.max_depth, at.begin));
    return false;
  }

  bool CountTerm(int position) {
    if (++terms_ <= options_.max_terms) return true;
    Fail(position, "",
         fmt::format("the query has more than {} terms at position {}", options_.max_terms,
                     position));
    return false;
  }

  static LexMode ModeFor(const Group* group) {
    return group != nullptr ? LexMode::kValue : LexMode::kFilter;
  }

  NodePtr ParseOr(int depth, const Group* group, std::string_view after) {
    std::vector<NodePtr> operands;
    NodePtr first = ParseAnd(depth, group, after);
    if (!first) return nullptr;
    operands.push_back(std::move(first));
    while (true) {
      const Token t = Peek(ModeFor(group));
      if (!t.IsKeyword("or")) break;
      Take(ModeFor(group));
      NodePtr next = ParseAnd(depth, group, Quote(Source(t)));
      if (!next) return nullptr;
      operands.push_back(std::move(next));
    }
    const int position = operands[0]->position();
    return MakeOr(std::move(operands), position);
  }

  NodePtr ParseAnd(int depth, const Group* group, std::string_view after) {
    std::vector<NodePtr> operands;
    NodePtr first = ParseUnary(depth, group, after);
    if (!first) return nullptr;
    operands.push_back(std::move(first));
    while (true) {
      const Token t = Peek(ModeFor(group));
      if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kPipe || t.kind == TokenKind::kRParen ||
          t.IsKeyword("or")) {
        break;
      }
      std::string op_after;
      if (t.IsKeyword("and")) {
        Take(ModeFor(group));
        op_after = Quote(Source(t));
      }
      NodePtr next = ParseUnary(depth, group, op_after);  // implicit AND without an operator
      if (!next) return nullptr;
      operands.push_back(std::move(next));
    }
    const int position = operands[0]->position();
    return MakeAnd(std::move(operands), position);
  }

  NodePtr ParseUnary(int depth, const Group* group, std::string_view after) {
    const LexMode mode = ModeFor(group);
    const Token t = Peek(mode);
    if (t.kind == TokenKind::kMinus) {
      Take(mode);
      if (!EnterLevel(depth, t)) return nullptr;
      const Token next = Peek(mode);
      if (next.begin != t.end || next.kind == TokenKind::kEnd) {
        return Fail(t.end, "a term",
                    fmt::format("expected a term right after '-' at position {}", t.end));
      }
      NodePtr child = ParseUnary(depth + 1, group, "'-'");
      return child ? MakeNot(std::move(child), t.begin) : nullptr;
    }
    if (t.IsKeyword("not")) {
      Take(mode);
      if (!EnterLevel(depth, t)) return nullptr;
      NodePtr child = ParseUnary(depth + 1, group, Quote(Source(t)));
      return child ? MakeNot(std::move(child), t.begin) : nullptr;
    }
    return ParsePrimary(depth, group, after);
  }

  NodePtr ParsePrimary(int depth, const Group* group, std::string_view after) {
    const LexMode mode = ModeFor(group);
    const std::string what = group != nullptr ? "a value" : "a term";
    const Token t = Peek(mode);
    switch (t.kind) {
      case TokenKind::kLParen: {
        Take(mode);
        if (!EnterLevel(depth, t)) return nullptr;
        NodePtr inner = ParseOr(depth + 1, group, "'('");
        if (!inner) return nullptr;
        return CloseParen(t, mode) ? inner : nullptr;
      }
      case TokenKind::kQuoted:
      case TokenKind::kCompare:
      case TokenKind::kLBracket:
      case TokenKind::kLBrace:
        if (group != nullptr) return ParseValue(*group, depth);
        if (t.kind != TokenKind::kQuoted) return Expected(t, what, after);
        Take(mode);
        if (!CountTerm(t.begin)) return nullptr;
        return MakeFreeText({FreeTextKind::kPhrase, t.text}, t.begin);
      case TokenKind::kWord:
        if (t.IsKeyword("and") || t.IsKeyword("or")) {
          return Fail(t.begin, what,
                      fmt::format("expected {} {} at position {}", what,
                                  after.empty() ? "before " + Quote(Source(t))
                                                : "after " + std::string(after),
                                  t.begin));
        }
        if (group != nullptr) return ParseValue(*group, depth);
        return ParseWordTerm(depth);
      default:
        return Expected(t, what, after);
    }
  }

  bool CloseParen(const Token& open, LexMode mode) {
    const Token close = Peek(mode);
    if (close.kind == TokenKind::kRParen) {
      Take(mode);
      return true;
    }
    if (close.kind == TokenKind::kError) {
      LexError(close);
      return false;
    }
    Fail(close.begin, "')'",
         fmt::format("expected ')' at position {} to close the '(' at position {}", close.begin,
                     open.begin));
    return false;
  }

  // A term that starts with a word: field:value, field>=value, or free text.
  NodePtr ParseWordTerm(int depth) {
    const Token word = Take(LexMode::kFilter);
    const Token next = Peek(LexMode::kFilter);
    if (next.kind == TokenKind::kColon || next.kind == TokenKind::kCompare) {
      std::optional<FieldPath> field = ToFieldPath(word);
      if (!field) return nullptr;
      if (next.kind == TokenKind::kCompare) {
        Take(LexMode::kFilter);
        Group group{std::move(*field), word.begin, ""};
        return ParseCompare(group, next);
      }
      Take(LexMode::kFilter);
      Group group{std::move(*field), word.begin, Quote(Source(word.begin, next.end))};
      const Token value = Peek(LexMode::kValue);
      if (value.kind == TokenKind::kLParen) {
        Take(LexMode::kValue);
        if (!EnterLevel(depth, value)) return nullptr;
        group.context = Quote(Source(word.begin, value.end));
        NodePtr inner = ParseOr(depth + 1, &group, group.context);
        if (!inner) return nullptr;
        return CloseParen(value, LexMode::kValue) ? inner : nullptr;
      }
      return ParseValue(group, depth);
    }
    if (!CountTerm(word.begin)) return nullptr;
    if (HasUnescapedWildcard(word)) {
      return MakeFreeText({FreeTextKind::kWildcard, WordGlob(word)}, word.begin);
    }
    return MakeFreeText({FreeTextKind::kWord, word.text}, word.begin);
  }

  // The value after `field:` (or inside `field:( ... )`).
  NodePtr ParseValue(const Group& group, int /*depth*/) {
    const Token t = Peek(LexMode::kValue);
    switch (t.kind) {
      case TokenKind::kWord: {
        Take(LexMode::kValue);
        if (!CountTerm(t.begin)) return nullptr;
        if (!t.has_escapes() && t.text == "*") {
          return MakeTerm(Term::Exists(group.field), group.position);
        }
        if (HasUnescapedWildcard(t)) {
          if (group.field.virtual_field() == VirtualField::kTime) {
            return Fail(
                t.begin, "a time",
                fmt::format("wildcards are not supported on _time at position {}", t.begin));
          }
          return MakeTerm(Term::Wildcard(group.field, WordGlob(t)), group.position);
        }
        if (!CheckTime(group, t.text, t)) return nullptr;
        return MakeTerm(Term::Exact(group.field, t.text), group.position);
      }
      case TokenKind::kQuoted:
        Take(LexMode::kValue);
        if (!CountTerm(t.begin)) return nullptr;
        if (!CheckTime(group, t.text, t)) return nullptr;
        return MakeTerm(Term::Phrase(group.field, t.text), group.position);
      case TokenKind::kCompare:
        Take(LexMode::kValue);
        return ParseCompare(group, t);
      case TokenKind::kLBracket:
      case TokenKind::kLBrace:
        Take(LexMode::kValue);
        return ParseRange(group, t);
      default:
        return Expected(t, "a value", group.context);
    }
  }

  bool CheckTime(const Group& group, const std::string& value, const Token& at) {
    if (group.field.virtual_field() != VirtualField::kTime || ParseTimeMillis(value).ok()) {
      return true;
    }
    Fail(at.begin, "an ISO 8601 time",
         fmt::format("expected an ISO 8601 time like 2024-05-01T00:00:00Z at position {}, "
                     "found {}",
                     at.begin, Quote(Source(at))));
    return false;
  }

  NodePtr ParseCompare(const Group& group, const Token& op) {
    const std::string context = Quote(Source(group.position, op.end));
    const Token t = Peek(LexMode::kValue);
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kQuoted) {
      return Expected(t, "a value", context);
    }
    if (t.kind == TokenKind::kWord && HasUnescapedWildcard(t)) {
      return Fail(t.begin, "a value",
                  fmt::format("wildcards are not allowed in a comparison at position {}", t.begin));
    }
    Take(LexMode::kValue);
    if (!CountTerm(t.begin)) return nullptr;
    if (!CheckTime(group, t.text, t)) return nullptr;
    CompareOp cmp = CompareOp::kLess;
    if (op.text == "<=") cmp = CompareOp::kLessEqual;
    if (op.text == ">") cmp = CompareOp::kGreater;
    if (op.text == ">=") cmp = CompareOp::kGreaterEqual;
    return MakeTerm(Term::Compare(group.field, cmp, t.text), group.position);
  }

  // After '[' or '{': bound TO bound (']' | '}').
  NodePtr ParseRange(const Group& group, const Token& open) {
    RangeBound lower, upper;
    lower.inclusive = open.kind == TokenKind::kLBracket;
    if (!ParseBound(group, Quote(Source(open)), &lower)) return nullptr;
    const Token to = Peek(LexMode::kValue);
    if (!to.IsKeyword("to")) return Expected(to, "'TO'");
    Take(LexMode::kValue);
    if (!ParseBound(group, Quote(Source(to)), &upper)) return nullptr;
    const Token close = Peek(LexMode::kValue);
    if (close.kind != TokenKind::kRBracket && close.kind != TokenKind::kRBrace) {
      if (close.kind == TokenKind::kError) return LexError(close);
      return Fail(close.begin, "']' or '}'",
                  fmt::format("expected ']' or '}}' at position {} to close the range at "
                              "position {}",
                              close.begin, open.begin));
    }
    Take(LexMode::kValue);
    upper.inclusive = close.kind == TokenKind::kRBracket;
    if (!CountTerm(open.begin)) return nullptr;
    return MakeTerm(Term::Range(group.field, std::move(lower), std::move(upper)), group.position);
  }

  bool ParseBound(const Group& group, std::string_view after, RangeBound* bound) {
    const Token t = Peek(LexMode::kValue);
    if (t.kind == TokenKind::kWord) {
      if (!t.has_escapes() && t.text == "*") {
        Take(LexMode::kValue);
        return true;  // open
      }
      if (HasUnescapedWildcard(t)) {
        Fail(t.begin, "a range bound",
             fmt::format("wildcards are not allowed in a range at position {}", t.begin));
        return false;
      }
    } else if (t.kind != TokenKind::kQuoted) {
      Expected(t, "a range bound", after);
      return false;
    }
    Take(LexMode::kValue);
    if (!CheckTime(group, t.text, t)) return false;
    bound->value = t.text;
    return true;
  }

  const ParseOptions& options_;
  int terms_ = 0;
};

}  // namespace

NodePtr ParseFilter(ParseCursor& cursor, const ParseOptions& options) {
  return FilterParser(cursor, options).Parse();
}

}  // namespace trailhound::query::internal
