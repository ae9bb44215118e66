#include "core/event.h"

namespace trailhound {

std::string_view CategoryName(EventCategory category) {
  switch (category) {
    case EventCategory::kCloudServiceActivity:
      return "Cloud Service Activity";
    case EventCategory::kUnknown:
      break;
  }
  return "Unknown";
}

}  // namespace trailhound
