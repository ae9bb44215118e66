#include "testing/sqlite_oracle_schema.h"

namespace trailhound::testing {

std::string OracleKeyPath(const std::vector<std::string>& keys) {
  std::string path;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) path.push_back('.');
    for (char c : keys[i]) {
      if (c == '\\' || c == '.') path.push_back('\\');
      path.push_back(c);
    }
  }
  return path;
}

}  // namespace trailhound::testing
