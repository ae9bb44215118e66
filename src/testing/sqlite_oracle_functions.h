// The SQL functions the SQLite oracle registers for rules SQL cannot say directly, each
// written from docs/query-language.md (none calls the engine). "Encoded value" is the BLOB of
// sqlite_oracle_codec.h; (t, s, n) are the kv columns of sqlite_oracle_schema.h.
//
//   th_text(t, s, ev, seq)      a kv row's text: s, or for an object (whose s is empty) its
//                               JSON text, from `object_text`
//   th_num(text)                the number a string reads as (INTEGER or REAL), else NULL
//   th_contains_folded(text, part)  instr(lower(text), part) > 0 for an ASCII-folded `part`
//   th_sortkey(value)           the value-order sort key of an encoded value (BLOB)
//   th_str(text), th_int(int)   a string / integer as an encoded value (NULL → null)
//   th_list1(text)              an encoded list of that one text ([] for NULL)
//   th_value(seq, t, s, n)      aggregate: an event's field value from its kv rows — null,
//                               the one value, or a list in `seq` order
//   th_min(t, s, n), th_max     aggregate: the least / greatest value in value order
//   th_vmin(value), th_vmax     aggregate: the same over encoded values (nulls skipped)
//   th_texts(s)                 aggregate: the distinct texts, as an encoded list
//   th_count_texts(list)        aggregate: how many distinct texts the lists hold
//   th_merge_texts(list, max)   aggregate: their distinct texts ascending by bytes, first `max`
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"
#include "core/status.h"
#include "testing/sqlite_oracle_db.h"

namespace trailhound::testing {

// The JSON text of value `seq` of event `ev`.
using ObjectTextFunction = std::function<Result<std::string>(int64_t ev, int64_t seq)>;

Status RegisterOracleFunctions(SqlDatabase& db, ObjectTextFunction object_text);

}  // namespace trailhound::testing
