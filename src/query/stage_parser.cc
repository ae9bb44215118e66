#include "query/stage_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "query/text_search.h"

namespace trailhound::query::internal {
namespace {

std::optional<AggregateFunction> AggregateByName(std::string_view name) {
  const std::string folded = FoldAscii(name);
  if (folded == "count") return AggregateFunction::kCount;
  if (folded == "count_distinct" || folded == "dc" || folded == "distinct_count") {
    return AggregateFunction::kCountDistinct;
  }
  if (folded == "min") return AggregateFunction::kMin;
  if (folded == "max") return AggregateFunction::kMax;
  if (folded == "values") return AggregateFunction::kValues;
  return std::nullopt;
}

// "1h" → 3600; nullopt unless 1-9 digits and one of s, m, h, d, within kMaxSpanSecs.
std::optional<int64_t> ParseSpan(const Token& t) {
  if (t.kind != TokenKind::kWord || t.has_escapes() || t.text.size() < 2 || t.text.size() > 10) {
    return std::nullopt;
  }
  int64_t n = 0;
  for (size_t i = 0; i + 1 < t.text.size(); ++i) {
    const char c = t.text[i];
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  int64_t unit = 0;
  switch (FoldAscii(t.text.back())) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  if (n < 1 || n > kMaxSpanSecs / unit) return std::nullopt;
  return n * unit;
}

class StageParser : private CursorParser {
 public:
  explicit StageParser(ParseCursor& cursor) : CursorParser(cursor) {}

  bool Parse(std::vector<Stage>* stages) {
    while (true) {
      const Token t = Peek(LexMode::kStage);
      if (t.kind == TokenKind::kEnd) return true;
      if (t.kind != TokenKind::kPipe) {
        if (t.kind == TokenKind::kError) {
          LexError(t);
          return false;
        }
        Fail(t.begin, "'|' or the end of the query",
             fmt::format("unexpected {} at position {} after the '{}' stage; expected '|' or "
                         "the end of the query",
                         Quote(Source(t)), t.begin, last_stage_));
        return false;
      }
      Take(LexMode::kStage);
      const Token name = Peek(LexMode::kStage);
      if (name.kind != TokenKind::kWord) {
        Expected(name, "a stage name", "'|'");
        return false;
      }
      Take(LexMode::kStage);
      const std::string folded = FoldAscii(name.text);
      std::optional<StageBody> body;
      if (folded == "stats") {
        body = ParseStats(name);
      } else if (folded == "sort") {
        body = ParseSort(name);
      } else if (folded == "head") {
        body = ParseHead(name);
      } else if (folded == "fields") {
        body = ParseFields(name);
      } else if (folded == "timechart") {
        body = ParseTimechart(name);
      } else if (folded == "where" || folded == "search" || folded == "filter") {
        Fail(name.begin, "a stage name",
             fmt::format("there is no '{}' stage (at position {}): write the filter before "
                         "the first '|'",
                         name.text, name.begin));
      } else {
        Fail(name.begin, "a stage name",
             fmt::format("unknown stage {} at position {}; expected stats, sort, head, fields "
                         "or timechart",
                         Quote(name.text), name.begin));
      }
      if (!body) return false;
      last_stage_ = folded;
      stages->push_back(Stage{std::move(*body), name.begin});
    }
  }

 private:
  bool CheckNotAggregated(const Token& name) {
    if (aggregated_.empty()) return true;
    Fail(name.begin, "",
         fmt::format("only one stats or timechart stage is allowed; found '{}' at position {} "
                     "after '{}'",
                     FoldAscii(name.text), name.begin, aggregated_));
    return false;
  }

  bool CheckColumn(const FieldRef& ref) {
    if (!columns_) return true;
    const std::string name = ref.path.Dotted();
    if (std::find(columns_->begin(), columns_->end(), name) != columns_->end()) return true;
    std::string list;
    for (size_t i = 0; i < columns_->size() && i < 10; ++i) {
      list += (i > 0 ? ", " : "") + (*columns_)[i];
    }
    if (columns_->size() > 10) list += ", ...";
    Fail(ref.position, "a column",
         fmt::format("unknown column {} at position {}; after '{}' the columns are {}", Quote(name),
                     ref.position, columns_stage_, list));
    return false;
  }

  // One field name in a stage.
  std::optional<FieldRef> ParseFieldRef(std::string_view after) {
    const Token t = Peek(LexMode::kStage);
    if (t.kind != TokenKind::kWord) {
      Expected(t, "a field name", after);
      return std::nullopt;
    }
    Take(LexMode::kStage);
    std::optional<FieldPath> path = ToFieldPath(t);
    if (!path) return std::nullopt;
    return FieldRef{std::move(*path), t.begin};
  }

  // f1[,] f2 ...: at least one; a ',' must be followed by another field.
  // With `descending`, each field may be preceded by '-' (sort).
  bool ParseFieldList(std::string_view after, std::vector<FieldRef>* fields,
                      std::vector<bool>* descending) {
    std::string next_after(after);
    while (true) {
      Token t = Peek(LexMode::kStage);
      bool desc = false;
      if (descending != nullptr && t.kind == TokenKind::kMinus) {
        Take(LexMode::kStage);
        desc = true;
        next_after = "'-'";
      }
      std::optional<FieldRef> ref = ParseFieldRef(next_after);
      if (!ref) return false;
      fields->push_back(std::move(*ref));
      if (descending != nullptr) descending->push_back(desc);
      t = Peek(LexMode::kStage);
      if (t.kind == TokenKind::kComma) {
        Take(LexMode::kStage);
        next_after = "','";
        continue;
      }
      if (t.kind == TokenKind::kWord || (descending != nullptr && t.kind == TokenKind::kMinus)) {
        next_after.clear();
        continue;
      }
      return true;
    }
  }

  std::optional<Aggregate> ParseAggregate(std::string_view after) {
    const Token t = Peek(LexMode::kStage);
    if (t.kind != TokenKind::kWord || t.IsKeyword("by")) {
      Expected(t, "an aggregate like count()", after);
      return std::nullopt;
    }
    Take(LexMode::kStage);
    const std::optional<AggregateFunction> function = AggregateByName(t.text);
    if (!function || t.has_escapes()) {
      Fail(t.begin, "an aggregate",
           fmt::format("unknown aggregate {} at position {}; expected count, count_distinct, "
                       "min, max or values",
                       Quote(Source(t)), t.begin));
      return std::nullopt;
    }
    Aggregate agg;
    agg.function = *function;
    agg.position = t.begin;
    const Token open = Peek(LexMode::kStage);
    if (open.kind == TokenKind::kLParen) {
      Take(LexMode::kStage);
      const Token inside = Peek(LexMode::kStage);
      int inner_end = open.end;
      if (inside.kind == TokenKind::kWord) {
        std::optional<FieldRef> ref = ParseFieldRef("");
        if (!ref) return std::nullopt;
        agg.field = std::move(*ref);
        inner_end = inside.end;
      } else if (inside.kind != TokenKind::kRParen || *function != AggregateFunction::kCount) {
        Expected(inside, "a field name", Quote(Source(t.begin, open.end)));
        return std::nullopt;
      }
      const Token close = Peek(LexMode::kStage);
      if (close.kind != TokenKind::kRParen) {
        Expected(close, "')'", Quote(Source(t.begin, inner_end)));
        return std::nullopt;
      }
      Take(LexMode::kStage);
    } else if (*function != AggregateFunction::kCount) {
      Expected(open, "'('", Quote(Source(t)));
      return std::nullopt;
    }
    const Token as = Peek(LexMode::kStage);
    if (as.IsKeyword("as")) {
      Take(LexMode::kStage);
      const Token name = Peek(LexMode::kStage);
      if (name.kind != TokenKind::kWord) {
        Expected(name, "a name", "'as'");
        return std::nullopt;
      }
      if (name.text.find_first_of(".\\") != std::string::npos) {
        Fail(name.begin, "a name",
             fmt::format("a column name may not contain '.' or '\\' ({} at position {})",
                         Quote(Source(name)), name.begin));
        return std::nullopt;
      }
      Take(LexMode::kStage);
      agg.alias = name.text;
    }
    if (agg.field && !CheckColumn(*agg.field)) return std::nullopt;
    return agg;
  }

  // agg[,] agg ... up to `by`, '|' or the end.
  bool ParseAggregates(std::string_view after, std::vector<Aggregate>* out) {
    std::string next_after(after);
    while (true) {
      std::optional<Aggregate> agg = ParseAggregate(next_after);
      if (!agg) return false;
      out->push_back(std::move(*agg));
      const Token t = Peek(LexMode::kStage);
      if (t.kind == TokenKind::kComma) {
        Take(LexMode::kStage);
        next_after = "','";
        continue;
      }
      if (t.kind == TokenKind::kWord && !t.IsKeyword("by")) {
        next_after.clear();
        continue;
      }
      return true;
    }
  }

  // Output columns must be unique.
  bool CheckUnique(const std::vector<FieldRef>& by, const std::vector<Aggregate>& aggs,
                   std::vector<std::string> names) {
    for (const FieldRef& f : by) {
      const std::string name = f.path.Dotted();
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        Fail(f.position, "",
             fmt::format("duplicate column {} at position {}", Quote(name), f.position));
        return false;
      }
      names.push_back(name);
    }
    for (const Aggregate& a : aggs) {
      const std::string name = a.OutputName();
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        Fail(a.position, "",
             fmt::format("duplicate column {} at position {}; name it with 'as'", Quote(name),
                         a.position));
        return false;
      }
      names.push_back(name);
    }
    return true;
  }

  std::optional<StageBody> ParseStats(const Token& name) {
    if (!CheckNotAggregated(name)) return std::nullopt;
    StatsStage stats;
    if (!ParseAggregates(Quote(Source(name)), &stats.aggregates)) return std::nullopt;
    const Token by = Peek(LexMode::kStage);
    if (by.IsKeyword("by")) {
      Take(LexMode::kStage);
      if (!ParseFieldList(Quote(Source(by)), &stats.by, nullptr)) return std::nullopt;
      for (const FieldRef& f : stats.by) {
        if (!CheckColumn(f)) return std::nullopt;
      }
    }
    if (!CheckUnique(stats.by, stats.aggregates, {})) return std::nullopt;
    aggregated_ = "stats";
    SetColumns(StageBody(stats), "stats");
    return StageBody(std::move(stats));
  }

  std::optional<StageBody> ParseTimechart(const Token& name) {
    if (!CheckNotAggregated(name)) return std::nullopt;
    TimechartStage chart;
    const Token span = Peek(LexMode::kStage);
    if (!span.IsKeyword("span")) {
      Expected(span, "'span='", Quote(Source(name)));
      return std::nullopt;
    }
    Take(LexMode::kStage);
    const Token eq = Peek(LexMode::kStage);
    if (eq.kind != TokenKind::kEquals) {
      Expected(eq, "'='", Quote(Source(span)));
      return std::nullopt;
    }
    Take(LexMode::kStage);
    const Token value = Peek(LexMode::kStage);
    const std::optional<int64_t> secs = ParseSpan(value);
    if (!secs) {
      if (value.kind == TokenKind::kError) {
        LexError(value);
        return std::nullopt;
      }
      Fail(value.begin, "a span like 1h",
           fmt::format("expected a span like 30s, 5m, 1h or 1d (at most {}d) after 'span=' at "
                       "position {}",
                       kMaxSpanSecs / 86400, value.begin));
      return std::nullopt;
    }
    Take(LexMode::kStage);
    chart.span_secs = *secs;
    if (columns_ && std::find(columns_->begin(), columns_->end(), "_time") == columns_->end()) {
      CheckColumn(FieldRef{FieldPath({"_time"}), name.begin});
      return std::nullopt;
    }
    if (!ParseAggregates(Quote(Source(span.begin, value.end)), &chart.aggregates)) {
      return std::nullopt;
    }
    const Token by = Peek(LexMode::kStage);
    if (by.IsKeyword("by")) {
      Take(LexMode::kStage);
      std::optional<FieldRef> ref = ParseFieldRef(Quote(Source(by)));
      if (!ref || !CheckColumn(*ref)) return std::nullopt;
      chart.by = std::move(*ref);
      const Token more = Peek(LexMode::kStage);
      if (more.kind == TokenKind::kComma || more.kind == TokenKind::kWord) {
        Fail(more.begin, "'|' or the end of the query",
             fmt::format("timechart takes one 'by' field; found more at position {}", more.begin));
        return std::nullopt;
      }
    }
    std::vector<FieldRef> by_fields;
    if (chart.by) by_fields.push_back(*chart.by);
    if (!CheckUnique(by_fields, chart.aggregates, {"_time"})) return std::nullopt;
    aggregated_ = "timechart";
    SetColumns(StageBody(chart), "timechart");
    return StageBody(std::move(chart));
  }

  std::optional<StageBody> ParseSort(const Token& name) {
    SortStage sort;
    std::vector<FieldRef> fields;
    std::vector<bool> descending;
    if (!ParseFieldList(Quote(Source(name)), &fields, &descending)) return std::nullopt;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (!CheckColumn(fields[i])) return std::nullopt;
      sort.keys.push_back(SortKey{std::move(fields[i]), descending[i]});
    }
    return StageBody(std::move(sort));
  }

  std::optional<StageBody> ParseHead(const Token& name) {
    HeadStage head;
    const Token t = Peek(LexMode::kStage);
    if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kPipe) return StageBody(head);
    bool ok =
        t.kind == TokenKind::kWord && !t.has_escapes() && !t.text.empty() && t.text.size() <= 10;
    int64_t n = 0;
    for (size_t i = 0; ok && i < t.text.size(); ++i) {
      ok = t.text[i] >= '0' && t.text[i] <= '9';
      n = n * 10 + (t.text[i] - '0');
    }
    if (!ok || n < 1 || n > kMaxHeadLimit) {
      if (t.kind == TokenKind::kError) {
        LexError(t);
        return std::nullopt;
      }
      Fail(t.begin, "a positive integer",
           fmt::format("expected a number from 1 to {} after {} at position {}, found {}",
                       kMaxHeadLimit, Quote(Source(name)), t.begin, Quote(Source(t))));
      return std::nullopt;
    }
    Take(LexMode::kStage);
    head.limit = n;
    return StageBody(head);
  }

  std::optional<StageBody> ParseFields(const Token& name) {
    FieldsStage fields;
    if (!ParseFieldList(Quote(Source(name)), &fields.fields, nullptr)) return std::nullopt;
    std::vector<std::string> seen;
    for (const FieldRef& f : fields.fields) {
      if (!CheckColumn(f)) return std::nullopt;
      if (std::find(seen.begin(), seen.end(), f.path.Dotted()) != seen.end()) {
        Fail(f.position, "",
             fmt::format("duplicate column {} at position {}", Quote(f.path.Dotted()), f.position));
        return std::nullopt;
      }
      seen.push_back(f.path.Dotted());
    }
    SetColumns(StageBody(fields), "fields");
    return StageBody(std::move(fields));
  }

  void SetColumns(const StageBody& body, std::string stage) {
    std::vector<Stage> stages{Stage{body, 0}};
    std::optional<std::vector<std::string>> columns = OutputColumns(stages);
    columns_ = std::move(columns);
    columns_stage_ = std::move(stage);
  }

  std::string last_stage_;
  std::string aggregated_;                           // "stats" or "timechart" once one was parsed
  std::optional<std::vector<std::string>> columns_;  // nullopt while rows are events
  std::string columns_stage_;
};

}  // namespace

bool ParseStages(ParseCursor& cursor, std::vector<Stage>* stages) {
  return StageParser(cursor).Parse(stages);
}

}  // namespace trailhound::query::internal
