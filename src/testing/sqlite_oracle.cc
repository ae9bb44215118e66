#include "testing/sqlite_oracle.h"

#include <cstring>
#include <utility>

#include "testing/sqlite_oracle_filter.h"
#include "testing/sqlite_oracle_functions.h"
#include "testing/sqlite_oracle_schema.h"
#include "testing/sqlite_oracle_stages.h"

namespace trailhound::testing {
namespace {

constexpr size_t kTextChunkBytes = size_t{64} << 20;
constexpr size_t kRowsPerInsert = 64;
// Kept values that Add puts into kv at once (about 27,000 CloudTrail events).
constexpr size_t kMaterializeValues = 1'000'000;

// Whether the stages read every matching event: a sort or an aggregation before any head.
bool NeedsEveryEvent(const std::vector<query::Stage>& stages) {
  for (const query::Stage& stage : stages) {
    if (std::holds_alternative<query::HeadStage>(stage.body)) return false;
    if (!std::holds_alternative<query::FieldsStage>(stage.body)) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<SqliteOracle>> SqliteOracle::Create(const SqliteOracleOptions& options) {
  TH_ASSIGN_OR_RETURN(std::unique_ptr<SqlDatabase> db, SqlDatabase::OpenInMemory());
  std::unique_ptr<SqliteOracle> oracle(new SqliteOracle(std::move(db), options));
  TH_RETURN_IF_ERROR(oracle->Prepare());
  return oracle;
}

SqliteOracle::SqliteOracle(std::unique_ptr<SqlDatabase> db, SqliteOracleOptions options)
    : db_(std::move(db)), options_(options) {}

SqliteOracle::~SqliteOracle() = default;

Status SqliteOracle::Prepare() {
  TH_RETURN_IF_ERROR(
      db_->Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; "
                "PRAGMA cache_size = -1000000;"));
  TH_RETURN_IF_ERROR(db_->Exec(kOracleSchema));
  TH_ASSIGN_OR_RETURN(OracleFlattener flattener, OracleFlattener::Create(*db_));
  flattener_ = std::make_unique<OracleFlattener>(std::move(flattener));
  TH_ASSIGN_OR_RETURN(OracleFlattener texts, OracleFlattener::Create(*db_));
  object_texts_ = std::make_unique<OracleFlattener>(std::move(texts));
  TH_ASSIGN_OR_RETURN(select_raw_, db_->Prepare("SELECT raw FROM events WHERE id = ?"));
  TH_RETURN_IF_ERROR(RegisterOracleFunctions(
      *db_, [this](int64_t ev, int64_t seq) { return ObjectText(ev, seq); }));
  TH_ASSIGN_OR_RETURN(insert_event_,
                      db_->Prepare("INSERT INTO events(id, time, source, category, raw) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)"));
  TH_ASSIGN_OR_RETURN(
      insert_value_,
      db_->Prepare("INSERT INTO kv(pid, ev, seq, t, s, n) VALUES (?, ?, ?, ?, ?, ?)"));
  std::string many = "INSERT INTO kv(pid, ev, seq, t, s, n) VALUES ";
  for (size_t r = 0; r < kRowsPerInsert; ++r)
    many += r ? ", (?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
  TH_ASSIGN_OR_RETURN(insert_values_, db_->Prepare(many));
  TH_ASSIGN_OR_RETURN(insert_path_, db_->Prepare("INSERT INTO paths(pid, path) VALUES (?, ?)"));
  return Status::OK();
}

Result<std::string> SqliteOracle::ObjectText(int64_t ev, int64_t seq) {
  if (ev != object_texts_ev_) {  // a query asks for the objects of one event after another
    object_texts_ev_ = -1;
    TH_RETURN_IF_ERROR(select_raw_.Reset());
    TH_RETURN_IF_ERROR(select_raw_.BindInt(1, ev));
    TH_ASSIGN_OR_RETURN(const bool found, select_raw_.Step());
    if (!found) return Status::Internal("no event #" + std::to_string(ev));
    const Status loaded = object_texts_->Load(select_raw_.ColumnText(0));
    TH_RETURN_IF_ERROR(select_raw_.Reset());
    TH_RETURN_IF_ERROR(loaded);
    object_texts_ev_ = ev;
  }
  return object_texts_->NodeJsonText(seq);
}

uint64_t SqliteOracle::KeepText(std::string_view text) {
  if (texts_.empty() || texts_.back().size() + text.size() > texts_.back().capacity()) {
    texts_.emplace_back();
    texts_.back().reserve(std::max(kTextChunkBytes, text.size()));
  }
  const uint64_t at = (static_cast<uint64_t>(texts_.size() - 1) << 32) | texts_.back().size();
  texts_.back().append(text);
  return at;
}

std::string_view SqliteOracle::KeptText(const KeptValue& value) const {
  return std::string_view(texts_[value.text_at >> 32])
      .substr(value.text_at & 0xFFFFFFFFu, value.text_size);
}

Result<size_t> SqliteOracle::Add(std::span<const OracleEvent> events) {
  // One transaction for the batch. On an error the events before the bad one stay added.
  TH_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  Result<size_t> added = AddEvents(events);
  TH_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  // Into kv in chunks, so that loading does most of the work and memory stays bounded.
  if (added.ok() && pending_values_ >= kMaterializeValues) TH_RETURN_IF_ERROR(Materialize());
  return added;
}

Result<size_t> SqliteOracle::AddEvents(std::span<const OracleEvent> events) {
  size_t added = 0;
  for (const OracleEvent& event : events) {
    TH_RETURN_IF_ERROR(flattener_->Flatten(event.raw, &paths_, &flat_));
    std::string key = flat_.event_id.empty()
                          ? "raw\x1f" + event.raw
                          : "id\x1f" + flat_.recipient_account_id + "\x1f" + flat_.event_id;
    if (!keys_.insert(std::move(key)).second) continue;  // a duplicate: the first one wins
    const auto ev = static_cast<uint32_t>(keys_.size());
    TH_RETURN_IF_ERROR(insert_event_.Reset());
    TH_RETURN_IF_ERROR(insert_event_.BindInt(1, ev));
    TH_RETURN_IF_ERROR(insert_event_.BindInt(2, event.time_millis));
    TH_RETURN_IF_ERROR(insert_event_.BindText(3, event.source));
    TH_RETURN_IF_ERROR(insert_event_.BindText(4, event.category));
    TH_RETURN_IF_ERROR(insert_event_.BindText(5, event.raw));
    TH_RETURN_IF_ERROR(insert_event_.Run());
    if (values_.size() < paths_.size()) values_.resize(paths_.size());
    for (const OracleValueRow& row : flat_.rows) {
      KeptValue v;
      v.ev = ev;
      v.seq = static_cast<uint32_t>(row.seq);
      v.type = row.type;
      v.number_kind = row.number_kind;
      if (row.number_kind == OracleValueRow::kReal) {
        std::memcpy(&v.number_bits, &row.real, sizeof(row.real));
      } else {
        v.number_bits = row.integer;
      }
      const std::string_view text = flat_.text(row);
      v.text_at = KeepText(text);
      v.text_size = static_cast<uint32_t>(text.size());
      values_[static_cast<size_t>(row.pid)].push_back(v);
    }
    pending_values_ += flat_.rows.size();
    ranked_ = false;
    ++added;
  }
  return added;
}

Status SqliteOracle::BindValue(SqlStatement& insert, int first, int64_t pid, const KeptValue& v) {
  TH_RETURN_IF_ERROR(insert.BindInt(first, pid));
  TH_RETURN_IF_ERROR(insert.BindInt(first + 1, v.ev));
  TH_RETURN_IF_ERROR(insert.BindInt(first + 2, v.seq));
  TH_RETURN_IF_ERROR(insert.BindInt(first + 3, static_cast<int64_t>(v.type)));
  TH_RETURN_IF_ERROR(insert.BindText(first + 4, KeptText(v)));
  if (v.number_kind == OracleValueRow::kInteger) return insert.BindInt(first + 5, v.number_bits);
  if (v.number_kind == OracleValueRow::kReal) {
    double d = 0;
    std::memcpy(&d, &v.number_bits, sizeof(d));
    return insert.BindDouble(first + 5, d);
  }
  return insert.BindNull(first + 5);
}

Status SqliteOracle::Materialize() {
  TH_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  // Path by path, each in (ev, seq) order: the inserts append to the clustered kv table. Many
  // rows per INSERT: SQLite's cost is mostly per statement step.
  for (size_t pid = 0; pid < values_.size(); ++pid) {
    const std::vector<KeptValue>& values = values_[pid];
    size_t done = 0;
    for (; done + kRowsPerInsert <= values.size(); done += kRowsPerInsert) {
      TH_RETURN_IF_ERROR(insert_values_.Reset());
      for (size_t r = 0; r < kRowsPerInsert; ++r) {
        TH_RETURN_IF_ERROR(BindValue(insert_values_, static_cast<int>(6 * r + 1),
                                     static_cast<int64_t>(pid), values[done + r]));
      }
      TH_RETURN_IF_ERROR(insert_values_.Run());
    }
    for (; done < values.size(); ++done) {
      TH_RETURN_IF_ERROR(insert_value_.Reset());
      TH_RETURN_IF_ERROR(BindValue(insert_value_, 1, static_cast<int64_t>(pid), values[done]));
      TH_RETURN_IF_ERROR(insert_value_.Run());
    }
  }
  TH_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  // Everything is in SQLite now: free the memory.
  std::vector<std::vector<KeptValue>>(values_.size()).swap(values_);
  std::vector<std::string>().swap(texts_);
  pending_values_ = 0;
  return Status::OK();
}

Status SqliteOracle::PrepareForQueries() {
  if (ranked_) return Status::OK();
  TH_RETURN_IF_ERROR(db_->Exec(kOracleRanks));
  for (; paths_in_table_ < paths_.size(); ++paths_in_table_) {
    const auto pid = static_cast<int64_t>(paths_in_table_);
    TH_RETURN_IF_ERROR(insert_path_.Bind({pid, paths_.key_path(pid)}));
    TH_RETURN_IF_ERROR(insert_path_.Run());
  }
  TH_RETURN_IF_ERROR(Materialize());
  ranked_ = true;
  return Status::OK();
}

Result<query::QueryResult> SqliteOracle::Run(const query::Query& query, int64_t from_ms,
                                             int64_t to_ms, size_t event_limit) {
  TH_RETURN_IF_ERROR(PrepareForQueries());
  const PathIdLookup path_id = [this](const std::vector<std::string>& keys) {
    return paths_.Find(keys);
  };
  TH_ASSIGN_OR_RETURN(const SqlFragment filter, FilterToSql(query.filter, path_id));
  // The matching events, read through the (time, rank DESC) index: ordered newest first, ties
  // by rank, it stops as soon as a LIMIT is reached.
  SqlFragment events{
      "SELECT e.id AS id, e.time AS time, e.rank AS rank FROM events e "
      "INDEXED BY events_time WHERE e.time >= ? AND e.time < ? AND ",
      {from_ms, to_ms}};
  events.Append(filter);

  query::QueryResult result;
  if (NeedsEveryEvent(query.stages)) {
    // The stages read every match anyway: keep them in a table, and count them on the way.
    TH_RETURN_IF_ERROR(
        db_->Exec("DROP TABLE IF EXISTS temp.matched; CREATE TEMP TABLE matched("
                  "id INTEGER NOT NULL, time INTEGER NOT NULL, rank INTEGER NOT NULL)"));
    SqlFragment insert{"INSERT INTO matched " + events.sql, events.params};
    TH_ASSIGN_OR_RETURN(SqlStatement statement, db_->Prepare(insert.sql));
    TH_RETURN_IF_ERROR(statement.Bind(insert.params));
    TH_RETURN_IF_ERROR(statement.Run());
    result.total = static_cast<uint64_t>(db_->Changes());
    events = SqlFragment{"SELECT id, time, rank FROM matched", {}};
  } else {
    // Events mode or a head first: counting is one pass, and the newest events come from the
    // index with an early stop.
    SqlFragment count{"SELECT count(*) FROM (" + events.sql + ")", events.params};
    TH_ASSIGN_OR_RETURN(const auto counted, db_->Query(count));
    result.total = static_cast<uint64_t>(std::get<int64_t>(counted.at(0).at(0)));
  }
  OracleStageContext context{db_.get(), path_id, std::move(events), event_limit,
                             options_.max_values};
  TH_RETURN_IF_ERROR(RunOracleStages(query.stages, context, &result));
  return result;
}

}  // namespace trailhound::testing
