// The web UI's files (web/ in the repository), compiled into the binary by
// cmake/EmbedAssets.cmake so that `trailhound run` serves its UI offline with nothing
// beside it. Thread safety: immutable data.
#pragma once

#include <string_view>
#include <vector>

namespace trailhound::server {

struct UiAsset {
  std::string_view path;   // "/index.html", "/js/app.js", ...
  std::string_view bytes;  // the file's content
};

// Every file, sorted by path.
const std::vector<UiAsset>& UiAssets();

// The asset at `path`, or nullptr.
const UiAsset* FindUiAsset(std::string_view path);

// The Content-Type for a path by its extension ("text/javascript; charset=utf-8", ...).
std::string_view UiContentType(std::string_view path);

}  // namespace trailhound::server
