#include "testing/sqlite_oracle_db.h"

#include <sqlite3.h>

#include <utility>

namespace trailhound::testing {

void SqlFragment::Append(const SqlFragment& other) {
  sql += other.sql;
  params.insert(params.end(), other.params.begin(), other.params.end());
}

SqlStatement::SqlStatement(SqlStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}

SqlStatement& SqlStatement::operator=(SqlStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
  }
  return *this;
}

SqlStatement::~SqlStatement() { sqlite3_finalize(stmt_); }

Status SqlStatement::Error(std::string_view what) const {
  const char* sql = stmt_ ? sqlite3_sql(stmt_) : "";
  return Status::Internal(std::string("SQLite failed to ") + std::string(what) + ": " +
                          sqlite3_errmsg(db_) + " in '" + (sql ? sql : "") + "'");
}

Status SqlStatement::Bind(const std::vector<SqlValue>& params) {
  TH_RETURN_IF_ERROR(Reset());
  sqlite3_clear_bindings(stmt_);
  for (size_t i = 0; i < params.size(); ++i) {
    TH_RETURN_IF_ERROR(Bind(static_cast<int>(i + 1), params[i]));
  }
  return Status::OK();
}

Status SqlStatement::Bind(int index, const SqlValue& value) {
  int rc = SQLITE_OK;
  if (std::holds_alternative<std::monostate>(value)) {
    rc = sqlite3_bind_null(stmt_, index);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    rc = sqlite3_bind_int64(stmt_, index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    rc = sqlite3_bind_double(stmt_, index, *d);
  } else {
    const std::string& s = std::get<std::string>(value);
    rc = sqlite3_bind_text64(stmt_, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return rc == SQLITE_OK ? Status::OK() : Error("bind a parameter");
}

Status SqlStatement::BindText(int index, std::string_view text) {
  return sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8) ==
                 SQLITE_OK
             ? Status::OK()
             : Error("bind a parameter");
}

Status SqlStatement::BindInt(int index, int64_t value) {
  return sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK ? Status::OK()
                                                              : Error("bind a parameter");
}

Status SqlStatement::BindDouble(int index, double value) {
  return sqlite3_bind_double(stmt_, index, value) == SQLITE_OK ? Status::OK()
                                                               : Error("bind a parameter");
}

Status SqlStatement::BindNull(int index) {
  return sqlite3_bind_null(stmt_, index) == SQLITE_OK ? Status::OK() : Error("bind a parameter");
}

Result<bool> SqlStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error("step");
}

Status SqlStatement::Run() {
  while (true) {
    TH_ASSIGN_OR_RETURN(const bool row, Step());
    if (!row) return Status::OK();
  }
}

Status SqlStatement::Reset() {
  return sqlite3_reset(stmt_) == SQLITE_OK ? Status::OK() : Error("reset");
}

int SqlStatement::ColumnCount() const { return sqlite3_column_count(stmt_); }

SqlValue SqlStatement::Column(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt_, index));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt_, index);
    case SQLITE_NULL:
      return std::monostate();
    default:
      return std::string(ColumnText(index));
  }
}

SqlStatement::ColumnKind SqlStatement::ColumnType(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_INTEGER:
      return kInteger;
    case SQLITE_FLOAT:
      return kReal;
    case SQLITE_TEXT:
      return kText;
    case SQLITE_BLOB:
      return kBlob;
    default:
      return kNull;
  }
}

int64_t SqlStatement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

double SqlStatement::ColumnDouble(int index) const { return sqlite3_column_double(stmt_, index); }

std::string_view SqlStatement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (text == nullptr) return {};
  return std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

bool SqlStatement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

Result<std::unique_ptr<SqlDatabase>> SqlDatabase::OpenInMemory() {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      ":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Internal("SQLite failed to open an in-memory database: " + message);
  }
  return std::unique_ptr<SqlDatabase>(new SqlDatabase(db));
}

SqlDatabase::~SqlDatabase() { sqlite3_close(db_); }

Status SqlDatabase::Exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string error = message ? message : "unknown error";
    sqlite3_free(message);
    return Status::Internal("SQLite failed to run '" + text + "': " + error);
  }
  return Status::OK();
}

Result<SqlStatement> SqlDatabase::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return Status::Internal("SQLite failed to prepare '" + std::string(sql) +
                            "': " + sqlite3_errmsg(db_));
  }
  return SqlStatement(stmt, db_);
}

Result<std::vector<std::vector<SqlValue>>> SqlDatabase::Query(const SqlFragment& fragment) {
  TH_ASSIGN_OR_RETURN(SqlStatement stmt, Prepare(fragment.sql));
  TH_RETURN_IF_ERROR(stmt.Bind(fragment.params));
  std::vector<std::vector<SqlValue>> rows;
  while (true) {
    TH_ASSIGN_OR_RETURN(const bool has_row, stmt.Step());
    if (!has_row) break;
    std::vector<SqlValue> row;
    row.reserve(static_cast<size_t>(stmt.ColumnCount()));
    for (int i = 0; i < stmt.ColumnCount(); ++i) row.push_back(stmt.Column(i));
    rows.push_back(std::move(row));
  }
  return rows;
}

int64_t SqlDatabase::Changes() const { return sqlite3_changes64(db_); }

int64_t SqlDatabase::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace trailhound::testing
