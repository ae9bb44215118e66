#include "query/group_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "query/scalar.h"

namespace trailhound::query {
namespace {

// Encodes one by-value of a group key: 0 for null, else 1, the length and the bytes.
void AppendKeyPart(const std::string* text, std::string* out) {
  if (text == nullptr) {
    out->push_back('\0');
    return;
  }
  out->push_back('\1');
  const auto n = static_cast<uint32_t>(text->size());
  out->append(reinterpret_cast<const char*>(&n), sizeof(n));
  out->append(*text);
}

// floor(time / span) * span; nullopt when that is below the int64 range.
std::optional<int64_t> BucketStart(int64_t time, int64_t span) {
  int64_t q = time / span;
  if (time % span != 0 && time < 0) --q;
  if (q < std::numeric_limits<int64_t>::min() / span) return std::nullopt;
  return q * span;
}

int CompareKeys(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (const int c = CompareValues(a[i], b[i]); c != 0) return c;
  }
  return 0;
}

}  // namespace

void GroupTable::Texts::Add(const Scalar& scalar) {
  if (size == slots.size()) slots.emplace_back();
  std::string& slot = slots[size];
  if (scalar.type == Scalar::kString) {
    slot.assign(scalar.text);
  } else {
    slot = ScalarText(scalar);
  }
  for (size_t i = 0; i < size; ++i) {
    if (slots[i] == slot) return;  // already there
  }
  ++size;
}

GroupTable::GroupTable(const StageBody& stage, const PipelineOptions& options)
    : timechart_(std::holds_alternative<TimechartStage>(stage)),
      max_groups_(options.max_groups),
      max_values_(options.max_values),
      max_distinct_values_(options.max_distinct_values) {
  const std::vector<Aggregate>* aggregates = nullptr;
  if (const auto* chart = std::get_if<TimechartStage>(&stage)) {
    span_millis_ = chart->span_secs * 1000;
    if (chart->by) by_.emplace_back(chart->by->path);
    aggregates = &chart->aggregates;
  } else {
    const auto& stats = std::get<StatsStage>(stage);
    for (const FieldRef& f : stats.by) by_.emplace_back(f.path);
    aggregates = &stats.aggregates;
  }
  for (const Aggregate& a : *aggregates) {
    AggregateSpec spec{a.function, std::nullopt};
    if (a.field) spec.field.emplace(a.field->path);
    aggregates_.push_back(std::move(spec));
  }
  by_texts_.resize(by_.size());
  contributions_.resize(aggregates_.size());
  odometer_.resize(by_.size());
  combination_.resize(by_.size());
}

std::vector<GroupTable::State> GroupTable::InitialStates() const {
  std::vector<State> states;
  states.reserve(aggregates_.size());
  for (const AggregateSpec& a : aggregates_) {
    switch (a.function) {
      case AggregateFunction::kCount:
        states.emplace_back(uint64_t{0});
        break;
      case AggregateFunction::kMin:
      case AggregateFunction::kMax:
        states.emplace_back(Value{});
        break;
      case AggregateFunction::kCountDistinct:
        states.emplace_back(std::unordered_set<std::string>());
        break;
      case AggregateFunction::kValues:
        states.emplace_back(std::set<std::string>());
        break;
    }
  }
  return states;
}

Status GroupTable::TooManyGroups() const {
  return Status::ResourceExhausted(
      fmt::format("The query makes more than max_groups={} groups in its '{}' stage; group by "
                  "fewer fields, use a wider span or narrow the filter",
                  max_groups_, timechart_ ? "timechart" : "stats"));
}

Status GroupTable::Add(simdjson::dom::element event, const VirtualFields& virtuals) {
  int64_t bucket = 0;
  if (timechart_) {
    if (!virtuals.time_millis) return Status::OK();  // cannot be placed in time
    const std::optional<int64_t> start = BucketStart(*virtuals.time_millis, span_millis_);
    if (!start) return Status::OK();
    bucket = *start;
  }
  // What the event holds, read once however many groups it belongs to.
  for (size_t i = 0; i < by_.size(); ++i) {
    Texts& texts = by_texts_[i];
    texts.Clear();
    by_[i].ForEach(event, virtuals, [&texts](const Scalar& s) { texts.Add(s); });
  }
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    const AggregateSpec& spec = aggregates_[i];
    if (!spec.field) continue;
    Contribution& c = contributions_[i];
    c.present = false;
    c.texts.Clear();
    switch (spec.function) {
      case AggregateFunction::kCount: {
        bool present = false;
        spec.field->ForEach(event, virtuals, [&present](const Scalar&) { present = true; });
        c.present = present;
        break;
      }
      case AggregateFunction::kMin:
      case AggregateFunction::kMax: {
        const bool is_min = spec.function == AggregateFunction::kMin;
        spec.field->ForEach(event, virtuals, [&](const Scalar& s) {
          SetScalarValue(s, &c.candidate);
          const int cmp = c.present ? CompareValues(c.candidate, c.best) : 0;
          if (!c.present || (is_min ? cmp < 0 : cmp > 0)) {
            std::swap(c.best, c.candidate);
            c.present = true;
          }
        });
        break;
      }
      case AggregateFunction::kCountDistinct:
      case AggregateFunction::kValues:
        spec.field->ForEach(event, virtuals, [&c](const Scalar& s) { c.texts.Add(s); });
        break;
    }
  }
  // The event belongs to every combination of its by-texts (null for a field with none).
  std::fill(odometer_.begin(), odometer_.end(), 0);
  while (true) {
    for (size_t i = 0; i < by_.size(); ++i) {
      combination_[i] = by_texts_[i].size == 0 ? nullptr : &by_texts_[i].slots[odometer_[i]];
    }
    encoded_.clear();
    if (timechart_) encoded_.append(reinterpret_cast<const char*>(&bucket), sizeof(bucket));
    for (const std::string* text : combination_) AppendKeyPart(text, &encoded_);
    Group* group = nullptr;
    TH_RETURN_IF_ERROR(Find(encoded_, combination_, bucket, &group));
    TH_RETURN_IF_ERROR(Update(contributions_.data(), group));
    size_t i = 0;
    for (; i < by_.size(); ++i) {
      if (++odometer_[i] < by_texts_[i].size) break;
      odometer_[i] = 0;
    }
    if (i == by_.size()) break;
  }
  return Status::OK();
}

Status GroupTable::Find(const std::string& encoded, const std::vector<const std::string*>& by_texts,
                        int64_t bucket, Group** group) {
  const auto it = index_.find(encoded);
  if (it != index_.end()) {
    *group = &groups_[it->second];
    return Status::OK();
  }
  if (groups_.size() >= max_groups_) return TooManyGroups();
  Group g;
  if (timechart_) g.key.push_back(Value{bucket});
  for (const std::string* text : by_texts) {
    g.key.push_back(text == nullptr ? Value{} : Value{*text});
  }
  g.states = InitialStates();
  groups_.push_back(std::move(g));
  index_.emplace(encoded, groups_.size() - 1);
  *group = &groups_.back();
  return Status::OK();
}

Status GroupTable::InsertDistinct(const std::string& text, std::unordered_set<std::string>* set) {
  if (set->find(text) != set->end()) return Status::OK();
  if (distinct_total_ >= max_distinct_values_) {
    return Status::ResourceExhausted(
        fmt::format("The query keeps more than max_distinct_values={} distinct values for "
                    "count_distinct; count fewer distinct values or narrow the filter",
                    max_distinct_values_));
  }
  set->insert(text);
  ++distinct_total_;
  return Status::OK();
}

void GroupTable::InsertValue(const std::string& text, std::set<std::string>* set) const {
  if (set->size() >= max_values_) {
    if (text >= *set->rbegin()) return;  // only the smallest max_values are kept
  }
  if (!set->insert(text).second) return;
  if (set->size() > max_values_) set->erase(std::prev(set->end()));
}

Status GroupTable::Update(const Contribution* contributions, Group* group) {
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    const AggregateSpec& spec = aggregates_[i];
    const Contribution& c = contributions[i];
    State& state = group->states[i];
    switch (spec.function) {
      case AggregateFunction::kCount:
        if (!spec.field || c.present) ++std::get<uint64_t>(state);
        break;
      case AggregateFunction::kMin:
      case AggregateFunction::kMax: {
        if (!c.present) break;
        Value& best = std::get<Value>(state);
        const int cmp = CompareValues(c.best, best);
        const bool empty = std::holds_alternative<std::monostate>(best.data);
        if (empty || (spec.function == AggregateFunction::kMin ? cmp < 0 : cmp > 0)) {
          best = c.best;
        }
        break;
      }
      case AggregateFunction::kCountDistinct: {
        auto& set = std::get<std::unordered_set<std::string>>(state);
        for (size_t t = 0; t < c.texts.size; ++t) {
          TH_RETURN_IF_ERROR(InsertDistinct(c.texts.slots[t], &set));
        }
        break;
      }
      case AggregateFunction::kValues: {
        auto& set = std::get<std::set<std::string>>(state);
        for (size_t t = 0; t < c.texts.size; ++t) InsertValue(c.texts.slots[t], &set);
        break;
      }
    }
  }
  return Status::OK();
}

Status GroupTable::Merge(GroupTable&& other) {
  for (auto& [encoded, other_index] : other.index_) {
    Group& theirs = other.groups_[other_index];
    const auto it = index_.find(encoded);
    if (it == index_.end()) {
      if (groups_.size() >= max_groups_) return TooManyGroups();
      for (const State& s : theirs.states) {
        if (const auto* set = std::get_if<std::unordered_set<std::string>>(&s)) {
          distinct_total_ += set->size();
        }
      }
      groups_.push_back(std::move(theirs));
      index_.emplace(encoded, groups_.size() - 1);
      continue;
    }
    Group& ours = groups_[it->second];
    for (size_t i = 0; i < aggregates_.size(); ++i) {
      State& state = ours.states[i];
      State& other_state = theirs.states[i];
      switch (aggregates_[i].function) {
        case AggregateFunction::kCount:
          std::get<uint64_t>(state) += std::get<uint64_t>(other_state);
          break;
        case AggregateFunction::kMin:
        case AggregateFunction::kMax: {
          Value& best = std::get<Value>(state);
          Value& candidate = std::get<Value>(other_state);
          if (std::holds_alternative<std::monostate>(candidate.data)) break;
          const int cmp = CompareValues(candidate, best);
          const bool is_min = aggregates_[i].function == AggregateFunction::kMin;
          if (std::holds_alternative<std::monostate>(best.data) || (is_min ? cmp < 0 : cmp > 0)) {
            best = std::move(candidate);
          }
          break;
        }
        case AggregateFunction::kCountDistinct: {
          auto& set = std::get<std::unordered_set<std::string>>(state);
          for (const std::string& text : std::get<std::unordered_set<std::string>>(other_state)) {
            TH_RETURN_IF_ERROR(InsertDistinct(text, &set));
          }
          break;
        }
        case AggregateFunction::kValues: {
          auto& set = std::get<std::set<std::string>>(state);
          for (const std::string& text : std::get<std::set<std::string>>(other_state)) {
            InsertValue(text, &set);
          }
          break;
        }
      }
    }
  }
  other.index_.clear();
  other.groups_.clear();
  return Status::OK();
}

std::vector<std::vector<Value>> GroupTable::TakeRows() {
  if (!timechart_ && by_.empty() && groups_.empty()) {
    groups_.push_back(Group{{}, InitialStates()});  // stats without by: always one row
  }
  std::vector<size_t> order(groups_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [this](size_t a, size_t b) { return CompareKeys(groups_[a].key, groups_[b].key) < 0; });
  std::vector<std::vector<Value>> rows;
  rows.reserve(groups_.size());
  for (size_t g : order) {
    Group& group = groups_[g];
    std::vector<Value> row = std::move(group.key);
    for (State& state : group.states) {
      // emplace_back then assign: GCC 12 misreads a moved temporary Value as uninitialized.
      Value& cell = row.emplace_back();
      if (const auto* count = std::get_if<uint64_t>(&state)) {
        cell.data =
            static_cast<int64_t>(std::min<uint64_t>(*count, std::numeric_limits<int64_t>::max()));
      } else if (auto* best = std::get_if<Value>(&state)) {
        cell = std::move(*best);
      } else if (const auto* distinct = std::get_if<std::unordered_set<std::string>>(&state)) {
        cell.data = static_cast<int64_t>(distinct->size());
      } else {
        Value::List& list = cell.data.emplace<Value::List>();
        for (const std::string& text : std::get<std::set<std::string>>(state)) {
          list.emplace_back().data = text;
        }
      }
    }
    rows.push_back(std::move(row));
  }
  index_.clear();
  groups_.clear();
  distinct_total_ = 0;
  return rows;
}

}  // namespace trailhound::query
