// ToString: writes an AST back as canonical query text. ParseQuery(ToString(q)) == q for every
// Query the parser produces and every AST built with the ast.h factories within their
// REQUIRES. Pure functions.
//
// Canonical form: AND/OR/NOT spelled out in capitals, parentheses only where precedence needs
// them (and around a nested operand of the same operator, which keeps the tree's shape),
// values escaped with '\' or quoted as needed, stages as "| stats count() by eventName".
#pragma once

#include <string>

#include "query/ast.h"

namespace trailhound::query {

std::string ToString(const Query& query);
std::string ToString(const Node& node);
std::string ToString(const Stage& stage);

// A field as written in a query ("requestParameters.bucketName", "a\.b" for a key with a dot).
std::string FieldToString(const FieldPath& field);

}  // namespace trailhound::query
