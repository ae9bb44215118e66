// ASCII case folding and case-insensitive search: the string primitives of the query language.
// Every comparison in a query is ASCII case-insensitive: 'A'-'Z' fold to 'a'-'z', every other
// byte (including all non-ASCII UTF-8) compares exactly. This matches SQLite's lower() and
// LIKE, the test oracle of the store. Thread safety: FoldedSearcher is immutable after
// construction and may be shared; the free functions are pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trailhound::query {

inline char FoldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// `text` with 'A'-'Z' replaced by 'a'-'z'.
std::string FoldAscii(std::string_view text);

// Case-insensitive equality.
bool EqualsFolded(std::string_view a, std::string_view b);

// Case-insensitive three-way byte comparison (<0, 0, >0), as std::string_view::compare on the
// folded strings.
int CompareFolded(std::string_view a, std::string_view b);

// Finds a fixed needle in haystacks, ignoring ASCII case, in O(haystack + needle) time
// (Knuth-Morris-Pratt over folded bytes; no allocation per search).
class FoldedSearcher {
 public:
  static constexpr size_t npos = std::string_view::npos;

  explicit FoldedSearcher(std::string_view needle);

  // Offset of the first occurrence at or after `from`, or npos. An empty needle is found at
  // `from` (when from <= haystack.size()).
  size_t Find(std::string_view haystack, size_t from = 0) const;
  bool Contains(std::string_view haystack) const { return Find(haystack) != npos; }

  const std::string& folded_needle() const { return needle_; }

 private:
  std::string needle_;        // folded
  std::vector<size_t> fail_;  // KMP failure function: longest proper border of needle_[0..i]
};

}  // namespace trailhound::query
