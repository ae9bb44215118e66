#include "query/ranked_events.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace trailhound::query {

RankedEvents::RankedEvents(const std::vector<SortKey>& keys, size_t capacity,
                           size_t max_buffered_events)
    : capacity_(capacity), max_buffered_events_(max_buffered_events) {
  for (const SortKey& key : keys) {
    readers_.emplace_back(key.field.path);
    descending_.push_back(key.descending);
  }
  scratch_keys_.resize(readers_.size());
}

bool RankedEvents::Before(const View& a, const View& b) const {
  for (size_t i = 0; i < readers_.size(); ++i) {
    const int c = CompareValues((*a.keys)[i], (*b.keys)[i]);
    if (c != 0) return descending_[i] ? c > 0 : c < 0;
  }
  if (a.time_millis != b.time_millis) return a.time_millis > b.time_millis;
  if (const int c = a.raw.compare(b.raw); c != 0) return c < 0;
  if (const int c = a.source.compare(b.source); c != 0) return c < 0;
  return a.category.compare(b.category) < 0;
}

bool RankedEvents::WouldKeep(const View& candidate) const {
  if (heap_.size() < capacity_) return true;
  return Before(candidate, ViewOf(heap_.front()));
}

Status RankedEvents::CheckRoom() const {
  if (heap_.size() < max_buffered_events_) return Status::OK();
  return Status::ResourceExhausted(
      fmt::format("The query needs more than max_buffered_events={} events in memory for its "
                  "head and sort stages; use a smaller head or narrow the filter",
                  max_buffered_events_));
}

Status RankedEvents::Add(simdjson::dom::element event, std::string_view raw,
                         const VirtualFields& virtuals) {
  for (size_t i = 0; i < readers_.size(); ++i) {
    readers_[i].ReadValue(event, virtuals, &scratch_keys_[i]);
  }
  const View candidate{&scratch_keys_, virtuals.time_millis.value_or(0), raw,
                       virtuals.source.value_or(std::string_view()),
                       virtuals.category.value_or(std::string_view())};
  if (!WouldKeep(candidate)) return Status::OK();
  const auto before = [this](const Entry& a, const Entry& b) {
    return Before(ViewOf(a), ViewOf(b));
  };
  if (heap_.size() < capacity_) {
    TH_RETURN_IF_ERROR(CheckRoom());
    heap_.emplace_back();
  } else {
    std::pop_heap(heap_.begin(), heap_.end(), before);  // the last-ranked goes to the back
  }
  Entry& e = heap_.back();
  e.event.time_millis = candidate.time_millis;
  e.event.raw.assign(raw);
  e.event.source.assign(candidate.source);
  e.event.category.assign(candidate.category);
  e.keys = scratch_keys_;
  std::push_heap(heap_.begin(), heap_.end(), before);
  return Status::OK();
}

Status RankedEvents::Merge(RankedEvents&& other) {
  const auto before = [this](const Entry& a, const Entry& b) {
    return Before(ViewOf(a), ViewOf(b));
  };
  for (Entry& entry : other.heap_) {
    if (!WouldKeep(ViewOf(entry))) continue;
    if (heap_.size() < capacity_) {
      TH_RETURN_IF_ERROR(CheckRoom());
      heap_.push_back(std::move(entry));
    } else {
      std::pop_heap(heap_.begin(), heap_.end(), before);
      heap_.back() = std::move(entry);
    }
    std::push_heap(heap_.begin(), heap_.end(), before);
  }
  other.heap_.clear();
  return Status::OK();
}

std::optional<int64_t> RankedEvents::OldestUsefulTime() const {
  if (!readers_.empty() || heap_.size() < capacity_ || heap_.empty()) return std::nullopt;
  return heap_.front().event.time_millis;
}

std::vector<ResultEvent> RankedEvents::TakeRanked() {
  std::sort(heap_.begin(), heap_.end(),
            [this](const Entry& a, const Entry& b) { return Before(ViewOf(a), ViewOf(b)); });
  std::vector<ResultEvent> out;
  out.reserve(heap_.size());
  for (Entry& e : heap_) out.push_back(std::move(e.event));
  heap_.clear();
  return out;
}

}  // namespace trailhound::query
