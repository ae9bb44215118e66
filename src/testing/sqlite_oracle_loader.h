// OracleFlattener: one event's raw JSON → the values its field paths reach, walked by
// SQLite's own JSON1 json_tree(), so that the oracle reads JSON with a parser other than the
// engine's (simdjson). Arrays are expanded wherever they are met, nulls are dropped, and of
// duplicate keys in an object the first one wins (paths follow the first; an object's JSON
// text keeps them all). OraclePaths numbers the key paths. Not thread-safe: one flattener
// per database, used by its thread; it must not outlive the database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "testing/sqlite_oracle_db.h"
#include "testing/sqlite_oracle_schema.h"

namespace trailhound::testing {

// Key paths and their ids: 0 is the root (no keys); a child path is its parent's path and
// one more object key (array levels add nothing).
class OraclePaths {
 public:
  OraclePaths() : key_paths_{""} {}
  // The id of `key` under path `parent`, made when new.
  int64_t Child(int64_t parent, std::string_view key);
  // The id of the path of `keys`, or -1 when no event has it.
  int64_t Find(const std::vector<std::string>& keys) const;
  size_t size() const { return key_paths_.size(); }
  // OracleKeyPath of path `pid`.
  const std::string& key_path(int64_t pid) const { return key_paths_[static_cast<size_t>(pid)]; }

 private:
  static std::string Key(int64_t parent, std::string_view key);
  std::unordered_map<std::string, int64_t> ids_;
  std::vector<std::string> key_paths_;
};

// One value a path reaches (a kv row without its event id). `text` is kv.s and views
// FlatEvent::arena.
struct OracleValueRow {
  int64_t pid = 0;
  int64_t seq = 0;  // document order within the event
  OracleType type = OracleType::kString;
  size_t text_begin = 0, text_size = 0;
  // kv.n: the number of a JSON number or of a string that reads as one.
  enum NumberKind : uint8_t { kNoNumber, kInteger, kReal } number_kind = kNoNumber;
  int64_t integer = 0;
  double real = 0;
};

struct FlatEvent {
  std::vector<OracleValueRow> rows;
  std::string arena;  // the bytes of every row's text
  // The top-level eventID and recipientAccountId as text ("" when missing, null, an object or
  // an array), for deduplication.
  std::string event_id;
  std::string recipient_account_id;

  std::string_view text(const OracleValueRow& row) const {
    return std::string_view(arena).substr(row.text_begin, row.text_size);
  }
};

class OracleFlattener {
 public:
  static Result<OracleFlattener> Create(SqlDatabase& db);

  // kCorruption when `raw` is not a JSON object. New paths are added to `paths`. An object's
  // text is left empty (it is long, and few queries read it): see NodeJsonText.
  Status Flatten(std::string_view raw, OraclePaths* paths, FlatEvent* out);

  // Parses `raw` for NodeJsonText, which then answers for it until the next Load or Flatten.
  Status Load(std::string_view raw);
  // The JSON text (docs/query-language.md "JSON text") of the value at position `seq` (an
  // OracleValueRow::seq of the same event).
  Result<std::string> NodeJsonText(int64_t seq) const;

 private:
  explicit OracleFlattener(SqlStatement tree) : tree_(std::move(tree)) {}

  enum class NodeType : uint8_t { kNull, kTrue, kFalse, kInteger, kReal, kText, kArray, kObject };
  struct Node {
    int parent = -1;  // index into nodes_; -1 for the root
    int first_child = -1, last_child = -1, next_sibling = -1;
    NodeType type = NodeType::kNull;
    bool has_key = false;                  // an object member
    size_t key_begin = 0, key_size = 0;    // in keys_
    size_t text_begin = 0, text_size = 0;  // kText: the string, in the arena
    int64_t integer = 0;
    double real = 0;
    int64_t pid = 0;
    bool shadowed = false;  // under a duplicate key that is not the first of its name
  };
  std::string_view KeyOf(const Node& node) const {
    return std::string_view(keys_).substr(node.key_begin, node.key_size);
  }
  // Runs json_tree over `raw` into nodes_, with the strings in `arena`.
  Status Parse(std::string_view raw, std::string* arena);
  // Appends the JSON text of node `index` (docs "JSON text") to `out`. `arena` holds the
  // strings.
  void AppendJsonText(int index, const std::string& arena, std::string* out) const;

  SqlStatement tree_;
  std::vector<Node> nodes_;             // reused
  std::string keys_;                    // reused
  std::vector<int> index_of_;           // json_tree id → index into nodes_; reused
  std::vector<std::string_view> seen_;  // reused
  std::string loaded_strings_;          // the arena of the event Load parsed
};

}  // namespace trailhound::testing
