// Case-insensitive glob patterns, the wildcard syntax of query values and of Sigma rules, and
// helpers that extract what every match must contain (for index pruning). Matching never
// backtracks across '*' and is never exponential. Thread safety: a compiled WildcardPattern
// is immutable and may be shared; the helpers are pure.
//
// Syntax: '*' matches any run of characters (also none), '?' exactly one character (one UTF-8
// code point; a stray byte counts as one), '\*' '\?' '\\' are the literal characters, and a
// '\' before anything else (or at the end) is itself literal, as in Sigma. Case folding is
// ASCII only (text_search.h). A pattern is split at its stars into segments matched left to
// right, the middle ones at their leftmost occurrence: O(text + pattern) for star-separated
// literals, O(text × segment) at worst when a middle segment holds '?'.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "query/text_search.h"

namespace trailhound::query {

// One element of a decoded pattern.
struct WildcardElement {
  enum Kind : unsigned char { kLiteral, kAnyChar, kAnyString };
  Kind kind = kLiteral;
  char literal = 0;  // kLiteral only

  friend bool operator==(const WildcardElement&, const WildcardElement&) = default;
};

// Decodes the escapes of `pattern`; every string is a valid pattern.
std::vector<WildcardElement> DecodeWildcard(std::string_view pattern);

// The pattern for `elements` in canonical form: '*' and '?' only where they are wildcards,
// and every literal '*', '?' and '\' escaped. DecodeWildcard(EncodeWildcard(e)) == e.
std::string EncodeWildcard(const std::vector<WildcardElement>& elements);

// EncodeWildcard(DecodeWildcard(pattern)): "C:\Windows\*" becomes "C:\\Windows\\*".
std::string CanonicalWildcard(std::string_view pattern);

// A pattern that matches exactly `literal` ('*', '?' and '\' escaped).
std::string EscapeWildcard(std::string_view literal);

// True when `pattern` holds an unescaped '*' or '?'.
bool HasWildcards(std::string_view pattern);

// The folded literal text before the first wildcard ("Access*" → "access"); all of it when
// there is none. Every matching value starts with it (ignoring ASCII case): index pruning.
std::string LiteralPrefix(std::string_view pattern);

// The folded maximal literal runs of the pattern, in order, without empty ones:
// "*Access*Denied?x" → {"access", "denied", "x"}. Every matching value contains each of them
// (ignoring ASCII case), in this order and without overlap: token-filter pruning.
std::vector<std::string> RequiredSubstrings(std::string_view pattern);

// A compiled pattern.
class WildcardPattern {
 public:
  explicit WildcardPattern(std::string_view pattern);

  // True when the whole of `text` matches.
  bool Matches(std::string_view text) const;

  // True for a pattern of one or more '*' and nothing else.
  bool MatchesEverything() const { return has_star_ && segments_.empty(); }

 private:
  // A run of literals and '?' between stars.
  struct Segment {
    std::string chars;        // folded literals; 0 where any_ is set
    std::vector<bool> any;    // true for '?'
    size_t any_count = 0;     // number of '?'
    FoldedSearcher searcher;  // used when any_count == 0
    size_t min_bytes() const { return chars.size(); }
    size_t max_bytes() const { return chars.size() + 3 * any_count; }
  };
  static Segment MakeSegment(const std::string& chars, const std::vector<bool>& any);
  // End offset when `seg` matches text at `at` (a character boundary), else npos.
  static size_t MatchAt(const Segment& seg, std::string_view text, size_t at);
  // Leftmost start in [from, limit) where `seg` matches and ends by `limit`; its end in *end.
  static size_t FindIn(const Segment& seg, std::string_view text, size_t from, size_t limit,
                       size_t* end);

  bool has_star_ = false;
  bool leading_star_ = false;
  bool trailing_star_ = false;
  std::vector<Segment> segments_;
};

}  // namespace trailhound::query
