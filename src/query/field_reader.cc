#include "query/field_reader.h"

#include <cstdint>

namespace trailhound::query {

bool ElementScalar(simdjson::dom::element element, Scalar* scalar) {
  switch (element.type()) {
    case simdjson::dom::element_type::STRING:
      scalar->type = Scalar::kString;
      return element.get_string().get(scalar->text) == simdjson::SUCCESS;
    case simdjson::dom::element_type::INT64:
      scalar->type = Scalar::kInt64;
      return element.get_int64().get(scalar->int64) == simdjson::SUCCESS;
    case simdjson::dom::element_type::UINT64:
      scalar->type = Scalar::kUint64;
      return element.get_uint64().get(scalar->uint64) == simdjson::SUCCESS;
    case simdjson::dom::element_type::DOUBLE:
      scalar->type = Scalar::kDouble;
      return element.get_double().get(scalar->real) == simdjson::SUCCESS;
    case simdjson::dom::element_type::BOOL:
      scalar->type = Scalar::kBool;
      return element.get_bool().get(scalar->boolean) == simdjson::SUCCESS;
    default:  // null, object, array
      return false;
  }
}

void AppendElementJson(simdjson::dom::element element, std::string* out) {
  Scalar s;
  if (ElementScalar(element, &s)) {
    if (s.type == Scalar::kString) {
      AppendJsonString(s.text, out);
    } else {
      out->append(ScalarText(s));
    }
    return;
  }
  simdjson::dom::object object;
  simdjson::dom::array array;
  if (element.get_object().get(object) == simdjson::SUCCESS) {
    out->push_back('{');
    bool first = true;
    for (simdjson::dom::key_value_pair member : object) {
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(member.key, out);
      out->push_back(':');
      AppendElementJson(member.value, out);
    }
    out->push_back('}');
  } else if (element.get_array().get(array) == simdjson::SUCCESS) {
    out->push_back('[');
    bool first = true;
    for (simdjson::dom::element item : array) {
      if (!first) out->push_back(',');
      first = false;
      AppendElementJson(item, out);
    }
    out->push_back(']');
  } else {
    out->append("null");
  }
}

void SetScalarValue(const Scalar& scalar, Value* out) {
  switch (scalar.type) {
    case Scalar::kString:
      if (auto* text = std::get_if<std::string>(&out->data)) {
        text->assign(scalar.text);
      } else {
        out->data.emplace<std::string>(scalar.text);
      }
      return;
    case Scalar::kInt64:
      out->data = scalar.int64;
      return;
    case Scalar::kUint64:
      if (scalar.uint64 <= static_cast<uint64_t>(INT64_MAX)) {
        out->data = static_cast<int64_t>(scalar.uint64);
      } else {
        out->data = static_cast<double>(scalar.uint64);
      }
      return;
    case Scalar::kDouble:
      out->data = scalar.real;
      return;
    case Scalar::kBool:
      out->data = scalar.boolean;
      return;
  }
}

void FieldReader::ReadValue(simdjson::dom::element event, const VirtualFields& virtuals,
                            Value* out) const {
  size_t count = 0;
  ForEach(event, virtuals, [&](const Scalar& s) {
    if (count == 0) {
      SetScalarValue(s, out);
    } else {
      if (count == 1) {
        Value first = std::move(*out);
        out->data.emplace<Value::List>().push_back(std::move(first));
      }
      Value::List& list = std::get<Value::List>(out->data);
      list.emplace_back();
      SetScalarValue(s, &list.back());
    }
    ++count;
  });
  if (count == 0) out->data.emplace<std::monostate>();
}

}  // namespace trailhound::query
