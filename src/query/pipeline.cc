#include "query/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "query/field_reader.h"
#include "query/group_table.h"
#include "query/ranked_events.h"
#include "query/time_value.h"

namespace trailhound::query {
namespace {

bool IsAggregation(const Stage& stage) {
  return std::holds_alternative<StatsStage>(stage.body) ||
         std::holds_alternative<TimechartStage>(stage.body);
}

VirtualFields VirtualsOf(const ResultEvent& e) {
  return VirtualFields{e.time_millis, std::string_view(e.source), std::string_view(e.category)};
}

Status Reparse(simdjson::dom::parser& parser, const ResultEvent& e, simdjson::dom::element* root) {
  if (parser.parse(e.raw).get(*root) != simdjson::SUCCESS) {
    return Status::Corruption(
        fmt::format("Kept event from source '{}' at {} is not valid JSON any more", e.source,
                    FormatTimeMillis(e.time_millis)));
  }
  return Status::OK();
}

// Sorts `events` stably by `keys`.
Status SortEvents(const std::vector<SortKey>& keys, simdjson::dom::parser& parser,
                  std::vector<ResultEvent>* events) {
  std::vector<FieldReader> readers;
  for (const SortKey& k : keys) readers.emplace_back(k.field.path);
  std::vector<std::vector<Value>> values(events->size(), std::vector<Value>(keys.size()));
  for (size_t i = 0; i < events->size(); ++i) {
    simdjson::dom::element root;
    TH_RETURN_IF_ERROR(Reparse(parser, (*events)[i], &root));
    const VirtualFields virtuals = VirtualsOf((*events)[i]);
    for (size_t k = 0; k < keys.size(); ++k) readers[k].ReadValue(root, virtuals, &values[i][k]);
  }
  std::vector<size_t> order(events->size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const int c = CompareValues(values[a][k], values[b][k]);
      if (c != 0) return keys[k].descending ? c > 0 : c < 0;
    }
    return false;
  });
  std::vector<ResultEvent> sorted;
  sorted.reserve(events->size());
  for (size_t i : order) sorted.push_back(std::move((*events)[i]));
  *events = std::move(sorted);
  return Status::OK();
}

// The index of `name` in `columns`; kInternal when absent (the parser checks column names).
Result<size_t> ColumnIndex(const std::vector<std::string>& columns, const FieldPath& path) {
  const std::string name = path.Dotted();
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) {
    return Status::Internal(fmt::format("Pipeline has no column '{}'", name));
  }
  return static_cast<size_t>(it - columns.begin());
}

// Applies a sort, head or fields stage to rows with `columns`.
Status ApplyToRows(const Stage& stage, std::vector<std::string>* columns,
                   std::vector<std::vector<Value>>* rows) {
  if (const auto* sort = std::get_if<SortStage>(&stage.body)) {
    std::vector<size_t> index;
    for (const SortKey& k : sort->keys) {
      TH_ASSIGN_OR_RETURN(const size_t i, ColumnIndex(*columns, k.field.path));
      index.push_back(i);
    }
    std::stable_sort(rows->begin(), rows->end(),
                     [&](const std::vector<Value>& a, const std::vector<Value>& b) {
                       for (size_t k = 0; k < index.size(); ++k) {
                         const int c = CompareValues(a[index[k]], b[index[k]]);
                         if (c != 0) return sort->keys[k].descending ? c > 0 : c < 0;
                       }
                       return false;
                     });
  } else if (const auto* head = std::get_if<HeadStage>(&stage.body)) {
    if (rows->size() > static_cast<size_t>(head->limit)) rows->resize(head->limit);
  } else if (const auto* fields = std::get_if<FieldsStage>(&stage.body)) {
    std::vector<size_t> index;
    std::vector<std::string> names;
    for (const FieldRef& f : fields->fields) {
      TH_ASSIGN_OR_RETURN(const size_t i, ColumnIndex(*columns, f.path));
      index.push_back(i);
      names.push_back(f.path.Dotted());
    }
    for (std::vector<Value>& row : *rows) {
      std::vector<Value> projected;
      projected.reserve(index.size());
      for (size_t i : index) projected.push_back(std::move(row[i]));
      row = std::move(projected);
    }
    *columns = std::move(names);
  } else {
    return Status::Internal("Pipeline has a second stats or timechart stage");
  }
  return Status::OK();
}

}  // namespace

// The stages run in three phases. The event phase is everything before the stats/timechart
// stage (all stages when there is none). Its start, up to the first sort that follows a head,
// is applied while events arrive: `ranked` keeps the first K events in the order of the sorts
// seen so far (K: the smallest head, else event_limit). The rest of the event phase is applied
// to those K events in Finish. Then the aggregation (streamed into `groups` directly when no
// head precedes it, since a sort alone changes nothing there), then the row stages after it.
struct Pipeline::Impl {
  std::vector<Stage> stages;
  PipelineOptions options;
  size_t aggregate_at = 0;  // the stats/timechart stage, or stages.size()
  size_t streamed_end = 0;  // event-phase stages [0, streamed_end) are applied by `ranked`
  std::optional<RankedEvents> ranked;
  std::optional<GroupTable> groups;
  uint64_t total = 0;
  bool finished = false;

  bool has_aggregation() const { return aggregate_at < stages.size(); }
  Result<QueryResult> Finish();
};

Result<std::unique_ptr<Pipeline>> Pipeline::Create(const std::vector<Stage>& stages,
                                                   const PipelineOptions& options) {
  if (options.event_limit < 1 || options.max_buffered_events < 1 || options.max_groups < 1 ||
      options.max_values < 1 || options.max_distinct_values < 1) {
    return Status::InvalidArgument(
        "Pipeline options event_limit, max_buffered_events, max_groups, max_values and "
        "max_distinct_values must be at least 1");
  }
  auto impl = std::make_unique<Impl>();
  impl->stages = stages;
  impl->options = options;
  impl->aggregate_at = static_cast<size_t>(
      std::find_if(stages.begin(), stages.end(), IsAggregation) - stages.begin());
  for (size_t i = impl->aggregate_at + 1; i < stages.size(); ++i) {
    if (IsAggregation(stages[i])) {
      return Status::InvalidArgument("A query may have only one stats or timechart stage");
    }
  }
  std::vector<SortKey> keys;  // the sorts so far, the latest first: stable sorts compose so
  std::optional<int64_t> head;
  size_t i = 0;
  for (; i < impl->aggregate_at; ++i) {
    const StageBody& body = stages[i].body;
    if (const auto* sort = std::get_if<SortStage>(&body)) {
      if (head) break;
      keys.insert(keys.begin(), sort->keys.begin(), sort->keys.end());
    } else if (const auto* h = std::get_if<HeadStage>(&body)) {
      head = std::min(head.value_or(h->limit), h->limit);
    }
  }
  impl->streamed_end = i;
  if (impl->has_aggregation() && !head) {
    impl->streamed_end = impl->aggregate_at;
  } else {
    size_t capacity = head ? static_cast<size_t>(*head) : options.event_limit;
    size_t max_buffered = options.max_buffered_events;
    if (!impl->has_aggregation() && impl->streamed_end == impl->aggregate_at) {
      // Nothing reorders the kept events any more: the result's top is all there is to keep.
      capacity = std::min(capacity, options.event_limit);
      max_buffered = capacity;
    }
    impl->ranked.emplace(keys, capacity, max_buffered);
  }
  if (impl->has_aggregation()) impl->groups.emplace(stages[impl->aggregate_at].body, options);
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;

Status Pipeline::Add(simdjson::dom::element event, std::string_view raw,
                     const VirtualFields& virtuals) {
  if (impl_->finished) return Status::FailedPrecondition("Pipeline::Add after Finish");
  ++impl_->total;
  if (impl_->ranked) return impl_->ranked->Add(event, raw, virtuals);
  return impl_->groups->Add(event, virtuals);
}

std::optional<int64_t> Pipeline::OldestUsefulTime() const {
  if (impl_->finished || !impl_->ranked) return std::nullopt;
  return impl_->ranked->OldestUsefulTime();
}

Status Pipeline::Merge(Pipeline&& other) {
  Impl& o = *other.impl_;
  const PipelineOptions& a = impl_->options;
  const PipelineOptions& b = o.options;
  if (impl_->finished || o.finished || impl_->stages != o.stages ||
      a.event_limit != b.event_limit || a.max_buffered_events != b.max_buffered_events ||
      a.max_groups != b.max_groups || a.max_values != b.max_values ||
      a.max_distinct_values != b.max_distinct_values) {
    return Status::InvalidArgument(
        "Pipeline::Merge needs two unfinished pipelines of the same stages and options");
  }
  impl_->total += o.total;
  o.total = 0;
  if (impl_->ranked) TH_RETURN_IF_ERROR(impl_->ranked->Merge(std::move(*o.ranked)));
  if (impl_->groups && !impl_->ranked) {
    TH_RETURN_IF_ERROR(impl_->groups->Merge(std::move(*o.groups)));
  }
  return Status::OK();
}

Result<QueryResult> Pipeline::Finish() {
  if (impl_->finished) return Status::FailedPrecondition("Pipeline::Finish called twice");
  impl_->finished = true;
  return impl_->Finish();
}

Result<QueryResult> Pipeline::Impl::Finish() {
  QueryResult result;
  result.total = total;
  simdjson::dom::parser parser;
  if (ranked) {
    std::vector<ResultEvent> events = ranked->TakeRanked();
    const FieldsStage* fields = nullptr;
    for (size_t i = 0; i < aggregate_at; ++i) {
      const StageBody& body = stages[i].body;
      if (const auto* f = std::get_if<FieldsStage>(&body)) fields = f;
      if (i < streamed_end) continue;
      if (const auto* sort = std::get_if<SortStage>(&body)) {
        TH_RETURN_IF_ERROR(SortEvents(sort->keys, parser, &events));
      } else if (const auto* head = std::get_if<HeadStage>(&body)) {
        if (events.size() > static_cast<size_t>(head->limit)) events.resize(head->limit);
      }
    }
    if (!has_aggregation()) {
      if (events.size() > options.event_limit) events.resize(options.event_limit);
      if (fields == nullptr) {
        result.events = std::move(events);
        return result;
      }
      result.rows_mode = true;
      std::vector<FieldReader> readers;
      for (const FieldRef& f : fields->fields) {
        readers.emplace_back(f.path);
        result.columns.push_back(f.path.Dotted());
      }
      result.rows.reserve(events.size());
      for (const ResultEvent& e : events) {
        simdjson::dom::element root;
        TH_RETURN_IF_ERROR(Reparse(parser, e, &root));
        std::vector<Value> row(readers.size());
        for (size_t c = 0; c < readers.size(); ++c) {
          readers[c].ReadValue(root, VirtualsOf(e), &row[c]);
        }
        result.rows.push_back(std::move(row));
      }
      return result;
    }
    for (const ResultEvent& e : events) {
      simdjson::dom::element root;
      TH_RETURN_IF_ERROR(Reparse(parser, e, &root));
      TH_RETURN_IF_ERROR(groups->Add(root, VirtualsOf(e)));
    }
  }
  result.rows_mode = true;
  result.rows = groups->TakeRows();
  result.columns = OutputColumns({stages[aggregate_at]}).value_or(std::vector<std::string>());
  for (size_t i = aggregate_at + 1; i < stages.size(); ++i) {
    TH_RETURN_IF_ERROR(ApplyToRows(stages[i], &result.columns, &result.rows));
  }
  return result;
}

std::string EventToJson(const ResultEvent& event) {
  std::string out = "{\"_time\":";
  AppendJsonString(FormatTimeMillis(event.time_millis), &out);
  out.append(",\"_source\":");
  AppendJsonString(event.source, &out);
  out.append(",\"_category\":");
  AppendJsonString(event.category, &out);
  std::string_view raw = event.raw;
  constexpr std::string_view kSpace = " \t\r\n";
  raw.remove_prefix(std::min(raw.size(), raw.find_first_not_of(kSpace)));
  raw.remove_suffix(raw.size() - std::min(raw.size(), raw.find_last_not_of(kSpace) + 1));
  if (raw.size() < 2 || raw.front() != '{' || raw.back() != '}') {
    out.append(",\"_raw\":");
    AppendJsonString(event.raw, &out);
    out.push_back('}');
    return out;
  }
  const std::string_view members = raw.substr(1);  // up to and including the closing brace
  if (members.find_first_not_of(kSpace) != members.size() - 1) out.push_back(',');
  out.append(members);
  return out;
}

}  // namespace trailhound::query
