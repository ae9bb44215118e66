#include "testing/sqlite_oracle_functions.h"

#include <sqlite3.h>
#include <string.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "testing/sqlite_oracle_codec.h"
#include "testing/sqlite_oracle_schema.h"
#include "testing/sqlite_oracle_values.h"

namespace trailhound::testing {
namespace {

using query::Value;

std::string_view Text(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v))) : std::string_view();
}

std::string_view Blob(sqlite3_value* v) {
  const auto* p = static_cast<const char*>(sqlite3_value_blob(v));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v))) : std::string_view();
}

void ResultValue(sqlite3_context* ctx, const query::Value& value) {
  const std::string blob = EncodeOracleValue(value);
  sqlite3_result_blob64(ctx, blob.data(), blob.size(), SQLITE_TRANSIENT);
}

// The value of one kv row (t, s, n); nullopt for a NULL type (no row, from a LEFT JOIN).
std::optional<query::Value> RowValue(sqlite3_value* t, sqlite3_value* s, sqlite3_value* n) {
  if (sqlite3_value_type(t) == SQLITE_NULL) return std::nullopt;
  query::Value v;
  switch (static_cast<OracleType>(sqlite3_value_int(t))) {
    case OracleType::kInteger:
      v.data = static_cast<int64_t>(sqlite3_value_int64(n));
      break;
    case OracleType::kReal:
      v.data = sqlite3_value_double(n);
      break;
    case OracleType::kTrue:
      v.data = true;
      break;
    case OracleType::kFalse:
      v.data = false;
      break;
    case OracleType::kString:
    case OracleType::kObject:  // an object is its JSON text
      v.data = std::string(Text(s));
      break;
  }
  return v;
}

void TextOf(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_int(argv[0]) != static_cast<int>(OracleType::kObject)) {
    return sqlite3_result_value(ctx, argv[1]);
  }
  const auto* object_text = static_cast<const ObjectTextFunction*>(sqlite3_user_data(ctx));
  const Result<std::string> text =
      (*object_text)(sqlite3_value_int64(argv[2]), sqlite3_value_int64(argv[3]));
  if (!text.ok()) return sqlite3_result_error(ctx, text.status().message().c_str(), -1);
  sqlite3_result_text64(ctx, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Num(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) return sqlite3_result_null(ctx);
  const std::optional<OracleNumber> n = OracleParseNumber(Text(argv[0]));
  if (!n) return sqlite3_result_null(ctx);
  if (const auto* i = std::get_if<int64_t>(&*n)) return sqlite3_result_int64(ctx, *i);
  sqlite3_result_double(ctx, std::get<double>(*n));
}

// Whether argv[1] (ASCII-folded) occurs in argv[0] ASCII-folded, as bytes: the value of
// instr(lower(argv[0]), argv[1]) > 0, with glibc's memmem instead of SQLite's
// position-by-position comparison (free text reads all the raw JSON of a time range).
void ContainsFolded(sqlite3_context* ctx, int, sqlite3_value** argv) {
  thread_local std::string folded;
  const std::string_view text = Text(argv[0]);
  folded.resize(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    folded[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view needle = Text(argv[1]);
  sqlite3_result_int(ctx, needle.empty() || memmem(folded.data(), folded.size(), needle.data(),
                                                   needle.size()) != nullptr);
}

void SortKey(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const std::string key = OracleSortKey(DecodeOracleValue(Blob(argv[0])));
  sqlite3_result_blob64(ctx, key.data(), key.size(), SQLITE_TRANSIENT);
}

void Str(sqlite3_context* ctx, int, sqlite3_value** argv) {
  query::Value v;
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) v.data = std::string(Text(argv[0]));
  ResultValue(ctx, v);
}

void Int(sqlite3_context* ctx, int, sqlite3_value** argv) {
  query::Value v;
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    v.data = static_cast<int64_t>(sqlite3_value_int64(argv[0]));
  }
  ResultValue(ctx, v);
}

// Aggregates keep a C++ state behind a pointer in SQLite's aggregate context.
template <typename State>
State* GetState(sqlite3_context* ctx, bool create) {
  auto** slot = static_cast<State**>(sqlite3_aggregate_context(ctx, create ? sizeof(State*) : 0));
  if (slot == nullptr) return nullptr;
  if (*slot == nullptr && create) *slot = new State();
  return *slot;
}

template <typename State>
std::unique_ptr<State> TakeState(sqlite3_context* ctx) {
  auto** slot = static_cast<State**>(sqlite3_aggregate_context(ctx, 0));
  if (slot == nullptr) return nullptr;
  return std::unique_ptr<State>(std::exchange(*slot, nullptr));
}

struct FieldValueState {
  std::vector<std::pair<int64_t, query::Value>> values;
};

void FieldValueStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::optional<query::Value> v = RowValue(argv[1], argv[2], argv[3]);
  if (!v) return;
  GetState<FieldValueState>(ctx, true)->values.emplace_back(sqlite3_value_int64(argv[0]),
                                                            std::move(*v));
}

void FieldValueFinal(sqlite3_context* ctx) {
  std::unique_ptr<FieldValueState> state = TakeState<FieldValueState>(ctx);
  query::Value out;
  if (state && state->values.size() == 1) {
    out = std::move(state->values[0].second);
  } else if (state && !state->values.empty()) {
    std::stable_sort(state->values.begin(), state->values.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    query::Value::List list;
    for (auto& [seq, v] : state->values) list.push_back(std::move(v));
    out.data = std::move(list);
  }
  ResultValue(ctx, out);
}

struct ExtremeState {
  std::optional<query::Value> best;
};

template <int kSign>
void ExtremeStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::optional<query::Value> v = RowValue(argv[0], argv[1], argv[2]);
  if (!v) return;
  ExtremeState* state = GetState<ExtremeState>(ctx, true);
  if (!state->best || CompareOracleValues(*v, *state->best) * kSign > 0) state->best = std::move(v);
}

void ExtremeFinal(sqlite3_context* ctx) {
  std::unique_ptr<ExtremeState> state = TakeState<ExtremeState>(ctx);
  ResultValue(ctx, state && state->best ? *state->best : query::Value{});
}

// Sets of texts: std::string orders by unsigned bytes, a prefix first.
struct TextSetState {
  std::set<std::string> texts;
  int64_t max = 0;
};

void TextsStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  TextSetState* state = GetState<TextSetState>(ctx, true);
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) state->texts.emplace(Text(argv[0]));
}

// Adds the texts of an encoded list.
void MergeStep(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  TextSetState* state = GetState<TextSetState>(ctx, true);
  if (argc > 1) state->max = sqlite3_value_int64(argv[1]);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  const Value list = DecodeOracleValue(Blob(argv[0]));
  if (const auto* items = std::get_if<Value::List>(&list.data)) {
    for (const Value& v : *items) {
      if (const auto* text = std::get_if<std::string>(&v.data)) state->texts.insert(*text);
    }
  }
}

Value TextList(const TextSetState* state, int64_t max) {
  Value::List list;
  if (state) {
    for (const std::string& text : state->texts) {
      if (static_cast<int64_t>(list.size()) >= max) break;
      list.push_back(Value{text});
    }
  }
  return Value{std::move(list)};
}

void TextsFinal(sqlite3_context* ctx) {
  std::unique_ptr<TextSetState> state = TakeState<TextSetState>(ctx);
  ResultValue(ctx, TextList(state.get(), INT64_MAX));
}

void CountTextsFinal(sqlite3_context* ctx) {
  std::unique_ptr<TextSetState> state = TakeState<TextSetState>(ctx);
  sqlite3_result_int64(ctx, state ? static_cast<int64_t>(state->texts.size()) : 0);
}

void MergeTextsFinal(sqlite3_context* ctx) {
  std::unique_ptr<TextSetState> state = TakeState<TextSetState>(ctx);
  ResultValue(ctx, TextList(state.get(), state ? state->max : 0));
}

void List1(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Value::List list;
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) list.push_back(Value{std::string(Text(argv[0]))});
  ResultValue(ctx, Value{std::move(list)});
}

// The least / greatest of encoded values, nulls skipped.
template <int kSign>
void ValueExtremeStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  Value v = DecodeOracleValue(Blob(argv[0]));
  if (std::holds_alternative<std::monostate>(v.data)) return;
  ExtremeState* state = GetState<ExtremeState>(ctx, true);
  if (!state->best || CompareOracleValues(v, *state->best) * kSign > 0) state->best = std::move(v);
}

}  // namespace

Status RegisterOracleFunctions(SqlDatabase& db, ObjectTextFunction object_text) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  // SQLite owns the copy of `object_text` and deletes it with the function.
  if (sqlite3_create_function_v2(
          db.handle(), "th_text", 4, kFlags, new ObjectTextFunction(std::move(object_text)), TextOf,
          nullptr, nullptr,
          [](void* p) { delete static_cast<ObjectTextFunction*>(p); }) != SQLITE_OK) {
    return Status::Internal("SQLite failed to register th_text");
  }
  struct Scalar {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  for (const Scalar& f :
       {Scalar{"th_num", 1, Num}, Scalar{"th_sortkey", 1, SortKey}, Scalar{"th_str", 1, Str},
        Scalar{"th_int", 1, Int}, Scalar{"th_list1", 1, List1},
        Scalar{"th_contains_folded", 2, ContainsFolded}}) {
    if (sqlite3_create_function_v2(db.handle(), f.name, f.args, kFlags, nullptr, f.fn, nullptr,
                                   nullptr, nullptr) != SQLITE_OK) {
      return Status::Internal(std::string("SQLite failed to register ") + f.name);
    }
  }
  struct Aggregate {
    const char* name;
    int args;
    void (*step)(sqlite3_context*, int, sqlite3_value**);
    void (*final)(sqlite3_context*);
  };
  for (const Aggregate& f : {Aggregate{"th_value", 4, FieldValueStep, FieldValueFinal},
                             Aggregate{"th_min", 3, ExtremeStep<-1>, ExtremeFinal},
                             Aggregate{"th_max", 3, ExtremeStep<1>, ExtremeFinal},
                             Aggregate{"th_vmin", 1, ValueExtremeStep<-1>, ExtremeFinal},
                             Aggregate{"th_vmax", 1, ValueExtremeStep<1>, ExtremeFinal},
                             Aggregate{"th_texts", 1, TextsStep, TextsFinal},
                             Aggregate{"th_count_texts", 1, MergeStep, CountTextsFinal},
                             Aggregate{"th_merge_texts", 2, MergeStep, MergeTextsFinal}}) {
    if (sqlite3_create_function_v2(db.handle(), f.name, f.args, kFlags, nullptr, nullptr, f.step,
                                   f.final, nullptr) != SQLITE_OK) {
      return Status::Internal(std::string("SQLite failed to register ") + f.name);
    }
  }
  return Status::OK();
}

}  // namespace trailhound::testing
