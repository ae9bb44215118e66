#include "query/text_search.h"

namespace trailhound::query {

std::string FoldAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = FoldAscii(c);
  return out;
}

bool EqualsFolded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (FoldAscii(a[i]) != FoldAscii(b[i])) return false;
  }
  return true;
}

int CompareFolded(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(FoldAscii(a[i]));
    const auto y = static_cast<unsigned char>(FoldAscii(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

FoldedSearcher::FoldedSearcher(std::string_view needle)
    : needle_(FoldAscii(needle)), fail_(needle_.size(), 0) {
  size_t k = 0;
  for (size_t i = 1; i < needle_.size(); ++i) {
    while (k > 0 && needle_[i] != needle_[k]) k = fail_[k - 1];
    if (needle_[i] == needle_[k]) ++k;
    fail_[i] = k;
  }
}

size_t FoldedSearcher::Find(std::string_view haystack, size_t from) const {
  if (from > haystack.size()) return npos;
  const size_t m = needle_.size();
  if (m == 0) return from;
  size_t k = 0;  // matched prefix length
  for (size_t i = from; i < haystack.size(); ++i) {
    const char c = FoldAscii(haystack[i]);
    while (k > 0 && c != needle_[k]) k = fail_[k - 1];
    if (c == needle_[k]) ++k;
    if (k == m) return i + 1 - m;
  }
  return npos;
}

}  // namespace trailhound::query
