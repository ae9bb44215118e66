#include "store/search.h"

#include <simdjson.h>

#include <algorithm>
#include <string>

#include "query/matcher.h"
#include "query/time_value.h"
#include "store/search_plan.h"

namespace trailhound::store {

namespace {

// Runs the filter and the pipeline over candidate rows; one per search.
class RowSink {
 public:
  RowSink(const query::FilterMatcher& matcher, query::Pipeline& pipeline, SearchStats& stats)
      : matcher_(matcher), pipeline_(pipeline), stats_(stats) {}

  Status Offer(int64_t time, std::string_view source, EventCategory category, std::string_view raw,
               const std::string& where) {
    ++stats_.rows_examined;
    simdjson::dom::element root;
    if (auto error = parser_.parse(raw.data(), raw.size()).get(root); error) {
      return Status::Corruption("Stored event in " + where +
                                " is not valid JSON: " + simdjson::error_message(error));
    }
    query::VirtualFields virtuals;
    virtuals.time_millis = time;
    virtuals.source = source;
    virtuals.category = CategoryName(category);
    if (!matcher_.Matches(root, raw, virtuals)) return Status::OK();
    return pipeline_.Add(root, raw, virtuals);
  }

 private:
  const query::FilterMatcher& matcher_;
  query::Pipeline& pipeline_;
  SearchStats& stats_;
  simdjson::dom::parser parser_;
};

bool InRange(int64_t time, const SearchOptions& options) {
  return time >= options.from_ms && time < options.to_ms;
}

// Whether [min_time, max_time] overlaps the searched range. (Pipeline::OldestUsefulTime could
// skip older data once the newest N events are known, but `total` must count every match.)
bool Overlaps(int64_t min_time, int64_t max_time, const SearchOptions& options) {
  return max_time >= options.from_ms && min_time < options.to_ms;
}

Result<query::QueryResult> SearchNarrowed(const StoreSnapshot& snapshot, const query::Query& query,
                                          const SearchOptions& options, SearchStats* stats);

// Narrows [from, to) by the _time terms every matching event must satisfy: the filter itself,
// or the operands of a top-level AND. (The matcher still checks them on every row.)
void NarrowByTimeTerms(const query::NodePtr& node, SearchOptions& options) {
  if (node == nullptr) return;
  if (node->kind() == query::NodeKind::kAnd) {
    for (const auto& child : node->children()) NarrowByTimeTerms(child, options);
    return;
  }
  if (node->kind() != query::NodeKind::kTerm) return;
  const query::Term& term = node->term();
  if (term.field.virtual_field() != query::VirtualField::kTime) return;
  auto at_least = [&](const std::string& text, bool inclusive) {
    auto t = query::ParseTimeMillis(text);
    if (t.ok()) options.from_ms = std::max(options.from_ms, inclusive ? *t : *t + 1);
  };
  auto below = [&](const std::string& text, bool inclusive) {
    auto t = query::ParseTimeMillis(text);
    if (t.ok()) options.to_ms = std::min(options.to_ms, inclusive ? *t + 1 : *t);
  };
  switch (term.kind) {
    case query::TermKind::kExact:
    case query::TermKind::kPhrase:
      at_least(term.value, true);
      below(term.value, true);
      break;
    case query::TermKind::kRange:
      if (term.lower.value) at_least(*term.lower.value, term.lower.inclusive);
      if (term.upper.value) below(*term.upper.value, term.upper.inclusive);
      break;
    case query::TermKind::kCompare:
      switch (term.op) {
        case query::CompareOp::kGreater:
          at_least(term.value, false);
          break;
        case query::CompareOp::kGreaterEqual:
          at_least(term.value, true);
          break;
        case query::CompareOp::kLess:
          below(term.value, false);
          break;
        case query::CompareOp::kLessEqual:
          below(term.value, true);
          break;
      }
      break;
    default:
      break;
  }
}

}  // namespace

Result<query::QueryResult> Search(const Store& store, const query::Query& query,
                                  const SearchOptions& options, SearchStats* stats) {
  return Search(store.Snapshot(), query, options, stats);
}

Result<query::QueryResult> Search(const StoreSnapshot& snapshot, const query::Query& query,
                                  const SearchOptions& options, SearchStats* stats) {
  SearchOptions narrowed = options;
  NarrowByTimeTerms(query.filter, narrowed);
  return SearchNarrowed(snapshot, query, narrowed, stats);
}

namespace {

Result<query::QueryResult> SearchNarrowed(const StoreSnapshot& snapshot, const query::Query& query,
                                          const SearchOptions& options, SearchStats* stats) {
  SearchStats local;
  SearchStats& counted = stats != nullptr ? *stats : local;
  counted = SearchStats{};
  TH_ASSIGN_OR_RETURN(query::FilterMatcher matcher, query::FilterMatcher::Compile(query.filter));
  TH_ASSIGN_OR_RETURN(std::unique_ptr<query::Pipeline> pipeline,
                      query::Pipeline::Create(query.stages, options.pipeline));
  SearchPlan plan = SearchPlan::ForFilter(query.filter);
  RowSink sink(matcher, *pipeline, counted);

  // The memtable holds the newest events: offering them first lets a "newest N" search skip
  // most segments.
  for (const MemtableChunk& chunk : snapshot.memtable) {
    for (const StoredEvent& event : *chunk) {
      if (!InRange(event.time, options)) continue;
      TH_RETURN_IF_ERROR(
          sink.Offer(event.time, event.source, event.category, event.raw, "the memtable"));
    }
  }

  // Segments newest first, and blocks newest first within each.
  std::vector<const Segment*> segments;
  for (const auto& segment : snapshot.segments) segments.push_back(segment.get());
  std::sort(segments.begin(), segments.end(), [](const Segment* a, const Segment* b) {
    return a->info().max_time > b->info().max_time;
  });
  BlockRows rows;
  BlockReadMask mask;
  mask.raw = true;
  for (const Segment* segment : segments) {
    ++counted.segments_total;
    counted.blocks_total += segment->block_count();
    const SegmentInfo& info = segment->info();
    if (!Overlaps(info.min_time, info.max_time, options)) continue;
    ++counted.segments_scanned;
    for (size_t b = segment->block_count(); b-- > 0;) {
      const BlockInfo& block = segment->block(b);
      if (!Overlaps(block.min_time, block.max_time, options)) continue;
      if (!plan.BlockMayMatch(*segment, b)) continue;
      ++counted.blocks_scanned;
      TH_RETURN_IF_ERROR(segment->ReadBlock(b, mask, &rows));
      const std::string where = "segment '" + info.path + "' block " + std::to_string(b);
      for (size_t r = 0; r < rows.size(); ++r) {
        if (!InRange(rows.time[r], options)) continue;
        TH_RETURN_IF_ERROR(
            sink.Offer(rows.time[r], rows.source[r], rows.category[r], rows.raw[r], where));
      }
    }
  }
  return pipeline->Finish();
}

}  // namespace
}  // namespace trailhound::store
