// A thin RAII layer over the SQLite C API for the SQLite oracle (sqlite_oracle.h): one
// in-memory database, prepared statements with positional parameters, and SQL values as a
// variant. Errors are kInternal with SQLite's message and the statement. Not thread-safe: a
// database and its statements belong to one thread; statements must not outlive their
// database.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace trailhound::testing {

// A value bound to, or read from, SQL: NULL, INTEGER, REAL or TEXT.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

// A piece of SQL with the values of its `?` placeholders, in order.
struct SqlFragment {
  std::string sql;
  std::vector<SqlValue> params;

  // Appends `other`'s text and parameters.
  void Append(const SqlFragment& other);
  void Append(std::string_view text) { sql += text; }
};

class SqlStatement {
 public:
  SqlStatement() = default;
  SqlStatement(SqlStatement&& other) noexcept;
  SqlStatement& operator=(SqlStatement&& other) noexcept;
  ~SqlStatement();

  // Binds parameters 1..n (clears earlier bindings and resets the statement).
  Status Bind(const std::vector<SqlValue>& params);
  Status Bind(int index, const SqlValue& value);  // 1-based
  // Binds without copying. REQUIRES: `text` outlives the next Step/Reset.
  Status BindText(int index, std::string_view text);
  Status BindInt(int index, int64_t value);
  Status BindDouble(int index, double value);
  Status BindNull(int index);
  // Runs to the next row: true when a row is there, false when done.
  Result<bool> Step();
  // Steps until done, ignoring rows.
  Status Run();
  Status Reset();

  int ColumnCount() const;
  enum ColumnKind { kNull, kInteger, kReal, kText, kBlob };
  ColumnKind ColumnType(int index) const;
  SqlValue Column(int index) const;  // 0-based
  int64_t ColumnInt(int index) const;
  double ColumnDouble(int index) const;
  std::string_view ColumnText(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class SqlDatabase;
  SqlStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Status Error(std::string_view what) const;

  sqlite3_stmt* stmt_ = nullptr;  // owned
  sqlite3* db_ = nullptr;         // not owned
};

class SqlDatabase {
 public:
  static Result<std::unique_ptr<SqlDatabase>> OpenInMemory();
  ~SqlDatabase();
  SqlDatabase(const SqlDatabase&) = delete;
  SqlDatabase& operator=(const SqlDatabase&) = delete;

  // Runs one or more statements without parameters.
  Status Exec(std::string_view sql);
  Result<SqlStatement> Prepare(std::string_view sql);
  // Prepares, binds and runs `fragment`, returning every row.
  Result<std::vector<std::vector<SqlValue>>> Query(const SqlFragment& fragment);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  int64_t LastInsertRowid() const;

  sqlite3* handle() { return db_; }

 private:
  explicit SqlDatabase(sqlite3* db) : db_(db) {}
  sqlite3* db_;  // owned
};

}  // namespace trailhound::testing
