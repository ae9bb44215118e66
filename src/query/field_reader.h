// FieldReader: how result stages (sort, fields, stats, timechart) read one field of an event:
// the values its path reaches with nulls dropped, objects turned into their JSON text, and the
// virtual fields _time, _source and _category taken from VirtualFields
// (docs/query-language.md "Results": "Field values" and "Texts"). Immutable after
// construction; may be shared between threads. Scalars passed to a visitor view the event's
// document (or a temporary for objects) and are valid only during the call.
#pragma once

#include <simdjson.h>

#include <string>
#include <utility>

#include "query/ast.h"
#include "query/json_path.h"
#include "query/matcher.h"
#include "query/scalar.h"
#include "query/value.h"

namespace trailhound::query {

// The scalar of a JSON string, number or boolean; false for null, objects and arrays.
bool ElementScalar(simdjson::dom::element element, Scalar* scalar);

// Appends the JSON text of `element`: no spaces, members in document order, strings escaped
// as AppendJsonString does, numbers as ScalarText.
void AppendElementJson(simdjson::dom::element element, std::string* out);

// Sets `*out` to the typed value of `scalar` (integers beyond int64 become reals), reusing the
// string storage `*out` already has.
void SetScalarValue(const Scalar& scalar, Value* out);

class FieldReader {
 public:
  explicit FieldReader(FieldPath path) : path_(std::move(path)), virtual_(path_.virtual_field()) {}

  const FieldPath& path() const { return path_; }

  // Calls visit(const Scalar&) for each value other than null the field reaches, in document
  // order; an object is passed as a kString scalar holding its JSON text.
  template <typename Visit>
  void ForEach(simdjson::dom::element event, const VirtualFields& virtuals, Visit&& visit) const {
    Scalar s;
    switch (virtual_) {
      case VirtualField::kTime:
        if (virtuals.time_millis) {
          s.type = Scalar::kInt64;
          s.int64 = *virtuals.time_millis;
          visit(s);
        }
        return;
      case VirtualField::kSource:
      case VirtualField::kCategory: {
        const auto& text = virtual_ == VirtualField::kSource ? virtuals.source : virtuals.category;
        if (text) {
          s.type = Scalar::kString;
          s.text = *text;
          visit(s);
        }
        return;
      }
      case VirtualField::kNone:
        break;
    }
    VisitPath(event, path_, [&](simdjson::dom::element e) {
      if (ElementScalar(e, &s)) {
        visit(s);
      } else if (e.is_object()) {
        std::string json;
        AppendElementJson(e, &json);
        Scalar object;
        object.type = Scalar::kString;
        object.text = json;
        visit(object);
      }
      return false;
    });
  }

  // Sets `*out` to the field's value: null when no value is reached, the value when one is,
  // a list of them when several are. Reuses `*out`'s storage where it can.
  void ReadValue(simdjson::dom::element event, const VirtualFields& virtuals, Value* out) const;

 private:
  FieldPath path_;
  VirtualField virtual_;
};

}  // namespace trailhound::query
