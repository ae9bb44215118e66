#include "query/wildcard.h"

namespace trailhound::query {
namespace {

constexpr size_t npos = std::string_view::npos;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Bytes of the character starting at `at`: a lead byte and the continuation bytes it
// announces that are present; any other byte is a character of its own.
size_t CharLength(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  size_t want = 1;
  if (lead >= 0xF0 && lead <= 0xF7) {
    want = 4;
  } else if (lead >= 0xE0) {
    want = lead <= 0xEF ? 3 : 1;
  } else if (lead >= 0xC0) {
    want = 2;
  }
  size_t len = 1;
  while (len < want && at + len < text.size() && IsContinuation(text[at + len])) ++len;
  return len;
}

// True when a character starts at `at` in the left-to-right split made by CharLength.
bool IsBoundary(std::string_view text, size_t at) {
  if (at == 0 || at >= text.size() || !IsContinuation(text[at])) return true;
  for (size_t back = 1; back <= 3 && back <= at; ++back) {
    const size_t j = at - back;
    if (!IsContinuation(text[j])) return j + CharLength(text, j) <= at;
  }
  return true;  // more than three continuation bytes back: a stray byte
}

}  // namespace

std::vector<WildcardElement> DecodeWildcard(std::string_view pattern) {
  std::vector<WildcardElement> out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '?' || pattern[i + 1] == '\\')) {
      out.push_back({WildcardElement::kLiteral, pattern[++i]});
    } else if (c == '*') {
      out.push_back({WildcardElement::kAnyString, 0});
    } else if (c == '?') {
      out.push_back({WildcardElement::kAnyChar, 0});
    } else {
      out.push_back({WildcardElement::kLiteral, c});
    }
  }
  return out;
}

std::string EncodeWildcard(const std::vector<WildcardElement>& elements) {
  std::string out;
  out.reserve(elements.size());
  for (const WildcardElement& e : elements) {
    switch (e.kind) {
      case WildcardElement::kAnyString:
        out += '*';
        break;
      case WildcardElement::kAnyChar:
        out += '?';
        break;
      case WildcardElement::kLiteral:
        if (e.literal == '*' || e.literal == '?' || e.literal == '\\') out += '\\';
        out += e.literal;
        break;
    }
  }
  return out;
}

std::string CanonicalWildcard(std::string_view pattern) {
  return EncodeWildcard(DecodeWildcard(pattern));
}

std::string EscapeWildcard(std::string_view literal) {
  std::string out;
  out.reserve(literal.size());
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool HasWildcards(std::string_view pattern) {
  for (const WildcardElement& e : DecodeWildcard(pattern)) {
    if (e.kind != WildcardElement::kLiteral) return true;
  }
  return false;
}

std::string LiteralPrefix(std::string_view pattern) {
  std::string out;
  for (const WildcardElement& e : DecodeWildcard(pattern)) {
    if (e.kind != WildcardElement::kLiteral) break;
    out += FoldAscii(e.literal);
  }
  return out;
}

std::vector<std::string> RequiredSubstrings(std::string_view pattern) {
  std::vector<std::string> out;
  std::string run;
  for (const WildcardElement& e : DecodeWildcard(pattern)) {
    if (e.kind == WildcardElement::kLiteral) {
      run += FoldAscii(e.literal);
    } else if (!run.empty()) {
      out.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) out.push_back(std::move(run));
  return out;
}

WildcardPattern::Segment WildcardPattern::MakeSegment(const std::string& chars,
                                                      const std::vector<bool>& any) {
  Segment seg{chars, any, 0, FoldedSearcher(chars)};
  for (bool a : any) seg.any_count += a ? 1 : 0;
  return seg;
}

WildcardPattern::WildcardPattern(std::string_view pattern) {
  const std::vector<WildcardElement> elements = DecodeWildcard(pattern);
  std::string chars;
  std::vector<bool> any;
  bool segment_open = false;
  for (size_t i = 0; i < elements.size(); ++i) {
    const WildcardElement& e = elements[i];
    if (e.kind == WildcardElement::kAnyString) {
      if (i == 0) leading_star_ = true;
      has_star_ = true;
      if (segment_open) segments_.push_back(MakeSegment(chars, any));
      chars.clear();
      any.clear();
      segment_open = false;
      continue;
    }
    segment_open = true;
    chars += e.kind == WildcardElement::kLiteral ? FoldAscii(e.literal) : '\0';
    any.push_back(e.kind == WildcardElement::kAnyChar);
  }
  trailing_star_ = !elements.empty() && elements.back().kind == WildcardElement::kAnyString;
  // A pattern without elements ("") matches only the empty text: one empty segment.
  if (segment_open || elements.empty()) segments_.push_back(MakeSegment(chars, any));
}

size_t WildcardPattern::MatchAt(const Segment& seg, std::string_view text, size_t at) {
  size_t pos = at;
  for (size_t i = 0; i < seg.chars.size(); ++i) {
    if (pos >= text.size()) return npos;
    if (seg.any[i]) {
      pos += CharLength(text, pos);
    } else {
      if (FoldAscii(text[pos]) != seg.chars[i]) return npos;
      ++pos;
    }
  }
  return pos;
}

size_t WildcardPattern::FindIn(const Segment& seg, std::string_view text, size_t from, size_t limit,
                               size_t* end) {
  const std::string_view window = text.substr(0, limit);
  if (seg.any_count == 0) {
    // A literal segment: linear search. A hit starts with a literal byte, so it starts at a
    // character boundary unless the pattern itself begins with a stray continuation byte.
    const size_t at = seg.searcher.Find(window, from);
    if (at != npos) *end = at + seg.chars.size();
    return at;
  }
  for (size_t at = from; at + seg.min_bytes() <= limit; ++at) {
    if (!IsBoundary(text, at)) continue;
    const size_t e = MatchAt(seg, window, at);
    if (e != npos) {
      *end = e;
      return at;
    }
  }
  return npos;
}

bool WildcardPattern::Matches(std::string_view text) const {
  if (!has_star_) {
    // No star: one segment anchored at both ends.
    return MatchAt(segments_[0], text, 0) == text.size();
  }
  size_t first = 0;  // segments_[first..last) are the floating middle ones
  size_t last = segments_.size();
  size_t pos = 0;              // everything before pos is consumed
  size_t limit = text.size();  // everything from limit on is consumed
  if (!leading_star_) {
    pos = MatchAt(segments_[0], text, 0);
    if (pos == npos) return false;
    first = 1;
  }
  if (!trailing_star_) {
    // The last segment ends at the end of the text. Its byte length is bounded by its '?'
    // count, so only a few starts need trying; the rightmost that fits leaves the most room.
    const Segment& seg = segments_[last - 1];
    if (text.size() < pos + seg.min_bytes()) return false;
    const size_t hi = text.size() - seg.min_bytes();
    const size_t span = seg.max_bytes() - seg.min_bytes();
    const size_t lo = hi >= pos + span ? hi - span : pos;
    size_t found = npos;
    for (size_t at = hi + 1; at-- > lo;) {
      if (IsBoundary(text, at) && MatchAt(seg, text, at) == text.size()) {
        found = at;
        break;
      }
    }
    if (found == npos) return false;
    limit = found;
    --last;
  }
  for (size_t i = first; i < last; ++i) {
    size_t end = 0;
    if (FindIn(segments_[i], text, pos, limit, &end) == npos) return false;
    pos = end;
  }
  return true;
}

}  // namespace trailhound::query
