// GroupTable: the groups of one stats or timechart stage and, per group, the state of each
// aggregate (docs/query-language.md "Results": "Texts", "stats", "timechart"). Memory: one
// entry per group (at most max_groups), the texts count_distinct has seen (at most
// max_distinct_values over all groups) and at most max_values texts per values(). Not
// thread-safe; Merge combines tables built over disjoint events on different threads.
// Errors: kResourceExhausted naming the limit that was passed.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "core/status.h"
#include "query/ast.h"
#include "query/field_reader.h"
#include "query/matcher.h"
#include "query/pipeline.h"
#include "query/value.h"

namespace trailhound::query {

class GroupTable {
 public:
  // REQUIRES: `stage` holds a StatsStage or a TimechartStage.
  GroupTable(const StageBody& stage, const PipelineOptions& options);

  // Counts one event in every group it belongs to.
  Status Add(simdjson::dom::element event, const VirtualFields& virtuals);

  // Adds the groups of `other`. REQUIRES: built from the same stage and options.
  Status Merge(GroupTable&& other);

  // The rows, by-values (or _time and the by-value) then aggregates, ordered by those
  // by-values ascending in value order. Leaves the table empty.
  std::vector<std::vector<Value>> TakeRows();

 private:
  // count() and count(f): a number; min/max: the best value so far (null: none yet);
  // count_distinct: the texts seen; values: the smallest texts, at most max_values.
  using State =
      std::variant<uint64_t, Value, std::unordered_set<std::string>, std::set<std::string>>;
  struct Group {
    std::vector<Value> key;
    std::vector<State> states;  // one per aggregate
  };
  struct AggregateSpec {
    AggregateFunction function;
    std::optional<FieldReader> field;
  };
  // Texts of one field in one event, de-duplicated; slots are reused between events.
  struct Texts {
    std::vector<std::string> slots;
    size_t size = 0;
    void Clear() { size = 0; }
    void Add(const Scalar& scalar);
  };
  // What one aggregate takes from the current event.
  struct Contribution {
    bool present = false;  // count(f): the field holds a value; min/max: `best` is set
    Value best;            // min/max
    Value candidate;       // min/max scratch
    Texts texts;           // count_distinct, values
  };

  std::vector<State> InitialStates() const;
  Status Find(const std::string& encoded, const std::vector<const std::string*>& by_texts,
              int64_t bucket, Group** group);
  Status Update(const Contribution* contributions, Group* group);
  Status InsertDistinct(const std::string& text, std::unordered_set<std::string>* set);
  void InsertValue(const std::string& text, std::set<std::string>* set) const;
  Status TooManyGroups() const;

  bool timechart_;
  int64_t span_millis_ = 0;
  std::vector<FieldReader> by_;
  std::vector<AggregateSpec> aggregates_;
  size_t max_groups_;
  size_t max_values_;
  size_t max_distinct_values_;
  size_t distinct_total_ = 0;

  std::unordered_map<std::string, size_t> index_;  // encoded key → groups_ index
  std::vector<Group> groups_;

  // Scratch for Add, reused between events.
  std::vector<Texts> by_texts_;
  std::vector<Contribution> contributions_;
  std::vector<size_t> odometer_;
  std::vector<const std::string*> combination_;
  std::string encoded_;
};

}  // namespace trailhound::query
