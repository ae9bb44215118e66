#include "testing/sqlite_oracle_loader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "testing/sqlite_oracle_codec.h"
#include "testing/sqlite_oracle_values.h"

namespace trailhound::testing {

std::string OraclePaths::Key(int64_t parent, std::string_view key) {
  std::string k(sizeof(parent), '\0');
  std::memcpy(k.data(), &parent, sizeof(parent));
  k.append(key);
  return k;
}

int64_t OraclePaths::Child(int64_t parent, std::string_view key) {
  auto [it, inserted] = ids_.try_emplace(Key(parent, key), static_cast<int64_t>(key_paths_.size()));
  if (inserted) {
    std::string path = key_paths_[static_cast<size_t>(parent)];
    if (parent != 0) path.push_back('.');
    path += OracleKeyPath({std::string(key)});
    key_paths_.push_back(std::move(path));
  }
  return it->second;
}

int64_t OraclePaths::Find(const std::vector<std::string>& keys) const {
  int64_t pid = 0;
  for (const std::string& key : keys) {
    const auto it = ids_.find(Key(pid, key));
    if (it == ids_.end()) return -1;
    pid = it->second;
  }
  return keys.empty() ? -1 : pid;
}

Result<OracleFlattener> OracleFlattener::Create(SqlDatabase& db) {
  TH_ASSIGN_OR_RETURN(SqlStatement tree,
                      db.Prepare("SELECT id, parent, key, type, atom FROM json_tree(?1)"));
  return OracleFlattener(std::move(tree));
}

void OracleFlattener::AppendJsonText(int index, const std::string& arena, std::string* out) const {
  const Node& node = nodes_[static_cast<size_t>(index)];
  switch (node.type) {
    case NodeType::kNull:
      *out += "null";
      return;
    case NodeType::kTrue:
      *out += "true";
      return;
    case NodeType::kFalse:
      *out += "false";
      return;
    case NodeType::kInteger:
      *out += OracleNumberText(node.integer);
      return;
    case NodeType::kReal:
      *out += OracleNumberText(node.real);
      return;
    case NodeType::kText:
      AppendOracleJsonString(std::string_view(arena).substr(node.text_begin, node.text_size), out);
      return;
    case NodeType::kArray:
    case NodeType::kObject: {
      const bool object = node.type == NodeType::kObject;
      out->push_back(object ? '{' : '[');
      for (int c = node.first_child; c >= 0; c = nodes_[static_cast<size_t>(c)].next_sibling) {
        if (c != node.first_child) out->push_back(',');
        if (object) {
          AppendOracleJsonString(KeyOf(nodes_[static_cast<size_t>(c)]), out);
          out->push_back(':');
        }
        AppendJsonText(c, arena, out);
      }
      out->push_back(object ? '}' : ']');
      return;
    }
  }
}

Status OracleFlattener::Parse(std::string_view raw, std::string* arena) {
  arena->clear();
  nodes_.clear();
  keys_.clear();
  std::fill(index_of_.begin(), index_of_.end(), -1);
  if (raw.empty() || raw.front() != '{')
    return Status::Corruption("the event is not a JSON object");
  TH_RETURN_IF_ERROR(tree_.Reset());
  TH_RETURN_IF_ERROR(tree_.BindText(1, raw));
  while (true) {
    Result<bool> row = tree_.Step();
    if (!row.ok()) {
      (void)tree_.Reset();
      return Status::Corruption("the event is not valid JSON: " + row.status().message());
    }
    if (!*row) break;
    Node node;
    if (!tree_.ColumnIsNull(1)) {
      const int64_t parent = tree_.ColumnInt(1);
      if (parent < 0 || static_cast<size_t>(parent) >= index_of_.size() ||
          index_of_[static_cast<size_t>(parent)] < 0) {
        return Status::Internal("json_tree gave a child before its parent");
      }
      node.parent = index_of_[static_cast<size_t>(parent)];
    }
    if (tree_.ColumnType(2) == SqlStatement::kText) {
      const std::string_view key = tree_.ColumnText(2);
      node.has_key = true;
      node.key_begin = keys_.size();
      node.key_size = key.size();
      keys_.append(key);
    }
    const std::string_view type = tree_.ColumnText(3);
    if (type == "object") {
      node.type = NodeType::kObject;
    } else if (type == "array") {
      node.type = NodeType::kArray;
    } else if (type == "text") {
      node.type = NodeType::kText;
      const std::string_view text = tree_.ColumnText(4);
      node.text_begin = arena->size();
      node.text_size = text.size();
      arena->append(text);
    } else if (type == "integer" || type == "real") {
      // SQLite gives a JSON integer beyond 64 bits as a real, as the docs want.
      if (tree_.ColumnType(4) == SqlStatement::kInteger) {
        node.type = NodeType::kInteger;
        node.integer = tree_.ColumnInt(4);
      } else {
        node.type = NodeType::kReal;
        node.real = tree_.ColumnDouble(4);
      }
    } else if (type == "true") {
      node.type = NodeType::kTrue;
    } else if (type == "false") {
      node.type = NodeType::kFalse;
    }
    const int index = static_cast<int>(nodes_.size());
    const int64_t id = tree_.ColumnInt(0);  // json_tree ids are small: node offsets
    if (id < 0) return Status::Internal("json_tree gave a negative id");
    if (static_cast<size_t>(id) >= index_of_.size())
      index_of_.resize(static_cast<size_t>(id) + 1, -1);
    index_of_[static_cast<size_t>(id)] = index;
    if (node.parent >= 0) {
      Node& parent = nodes_[static_cast<size_t>(node.parent)];
      if (parent.last_child >= 0) {
        nodes_[static_cast<size_t>(parent.last_child)].next_sibling = index;
      } else {
        parent.first_child = index;
      }
      parent.last_child = index;
    }
    nodes_.push_back(node);
  }
  TH_RETURN_IF_ERROR(tree_.Reset());
  if (nodes_.empty() || nodes_[0].type != NodeType::kObject) {
    return Status::Corruption("the event is not a JSON object");
  }
  return Status::OK();
}

Status OracleFlattener::Load(std::string_view raw) { return Parse(raw, &loaded_strings_); }

Result<std::string> OracleFlattener::NodeJsonText(int64_t seq) const {
  if (seq < 0 || static_cast<size_t>(seq) >= nodes_.size()) {
    return Status::Internal("no JSON value #" + std::to_string(seq) + " in the event");
  }
  std::string text;
  AppendJsonText(static_cast<int>(seq), loaded_strings_, &text);
  return text;
}

Status OracleFlattener::Flatten(std::string_view raw, OraclePaths* paths, FlatEvent* out) {
  out->rows.clear();
  out->event_id.clear();
  out->recipient_account_id.clear();
  TH_RETURN_IF_ERROR(Parse(raw, &out->arena));

  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& node = nodes_[i];
    if (node.type == NodeType::kObject) {
      // Later members with the name of an earlier one are shadowed (paths follow the first).
      seen_.clear();
      for (int c = node.first_child; c >= 0; c = nodes_[static_cast<size_t>(c)].next_sibling) {
        Node& child = nodes_[static_cast<size_t>(c)];
        const std::string_view key = KeyOf(child);
        bool duplicate = false;
        for (std::string_view k : seen_) duplicate = duplicate || k == key;
        seen_.push_back(key);
        child.shadowed = node.shadowed || duplicate;
        child.pid = child.shadowed ? -1 : paths->Child(node.pid, key);
      }
    } else if (node.type == NodeType::kArray) {
      for (int c = node.first_child; c >= 0; c = nodes_[static_cast<size_t>(c)].next_sibling) {
        nodes_[static_cast<size_t>(c)].shadowed = node.shadowed;
        nodes_[static_cast<size_t>(c)].pid = node.pid;
      }
    }
    if (i == 0 || node.shadowed || node.type == NodeType::kArray || node.type == NodeType::kNull) {
      continue;
    }
    OracleValueRow row;
    row.pid = node.pid;
    row.seq = static_cast<int64_t>(i);
    switch (node.type) {
      case NodeType::kText: {
        row.type = OracleType::kString;
        row.text_begin = node.text_begin;
        row.text_size = node.text_size;
        const std::optional<OracleNumber> n =
            OracleParseNumber(std::string_view(out->arena).substr(node.text_begin, node.text_size));
        if (n) {
          if (const auto* iv = std::get_if<int64_t>(&*n)) {
            row.number_kind = OracleValueRow::kInteger;
            row.integer = *iv;
          } else {
            row.number_kind = OracleValueRow::kReal;
            row.real = std::get<double>(*n);
          }
        }
        break;
      }
      case NodeType::kInteger:
      case NodeType::kReal: {
        const bool integer = node.type == NodeType::kInteger;
        row.type = integer ? OracleType::kInteger : OracleType::kReal;
        row.number_kind = integer ? OracleValueRow::kInteger : OracleValueRow::kReal;
        row.integer = node.integer;
        row.real = node.real;
        const std::string text =
            integer ? OracleNumberText(node.integer) : OracleNumberText(node.real);
        row.text_begin = out->arena.size();
        row.text_size = text.size();
        out->arena += text;
        break;
      }
      case NodeType::kTrue:
      case NodeType::kFalse: {
        const bool value = node.type == NodeType::kTrue;
        row.type = value ? OracleType::kTrue : OracleType::kFalse;
        row.text_begin = out->arena.size();
        row.text_size = value ? 4 : 5;
        out->arena += value ? "true" : "false";
        break;
      }
      default:  // object: its JSON text is made when a query needs it (NodeJsonText)
        row.type = OracleType::kObject;
        break;
    }
    // The dedup key's parts: top-level members, as text.
    if (node.parent == 0 && (node.type != NodeType::kObject)) {
      const std::string_view key = KeyOf(node);
      if (key == "eventID") out->event_id = std::string(out->text(row));
      if (key == "recipientAccountId") out->recipient_account_id = std::string(out->text(row));
    }
    out->rows.push_back(row);
  }
  return Status::OK();
}

}  // namespace trailhound::testing
