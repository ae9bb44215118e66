// VisitPath: the values a field path reaches in a simdjson DOM event — the fan-out behind "an
// array matches if any element matches". The elements passed to `visit` live as long as the
// parser's document. Pure apart from `visit`.
//
// Object keys are looked up exactly (case-sensitive; the first of duplicate keys wins). Arrays
// are expanded wherever they are met — on the way and at the end, nested ones too — so
// `resources.arn` reaches the arn of every element of resources[], and
// `requestParameters.host` each string of a host array.
#pragma once

#include <simdjson.h>

#include <cstddef>

#include "query/ast.h"

namespace trailhound::query {

namespace internal {

template <typename Visit>
bool VisitFrom(simdjson::dom::element element, const FieldPath& path, size_t index, Visit& visit) {
  simdjson::dom::array array;
  if (element.get_array().get(array) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : array) {
      if (VisitFrom(item, path, index, visit)) return true;
    }
    return false;
  }
  if (index == path.segments().size()) return visit(element);
  simdjson::dom::object object;
  simdjson::dom::element child;
  if (element.get_object().get(object) != simdjson::SUCCESS ||
      object.at_key(path.segments()[index]).get(child) != simdjson::SUCCESS) {
    return false;
  }
  return VisitFrom(child, path, index + 1, visit);
}

}  // namespace internal

// Calls visit(element) for each value `path` reaches under `root` (never for an array; an
// empty array reaches nothing), in document order, until a call returns true. Returns
// whether one did. `visit` is callable as bool(simdjson::dom::element).
template <typename Visit>
bool VisitPath(simdjson::dom::element root, const FieldPath& path, Visit&& visit) {
  return internal::VisitFrom(root, path, 0, visit);
}

}  // namespace trailhound::query
