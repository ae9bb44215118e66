// Segment: maps a segment file read-only, checks the header, the trailer and the footer CRC
// at Open, and decodes blocks on demand, checking each section's CRC before decompressing it.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "query/text_search.h"
#include "store/bloom_filter.h"
#include "store/crc32c.h"
#include "store/segment.h"
#include "store/segment_block.h"
#include "store/segment_footer.h"
#include "store/segment_format.h"

namespace trailhound::store {
namespace {

// A read-only shared mapping of a whole file, unmapped by the destructor.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  Status Map(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error("Failed to open segment", path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return Error("Failed to stat segment", path, err);
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
      if (p == MAP_FAILED) {
        const int err = errno;
        ::close(fd);
        return Error("Failed to map segment", path, err);
      }
      data_ = p;
    }
    ::close(fd);  // the mapping keeps the file
    return Status::OK();
  }

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  static Status Error(std::string_view what, const std::string& path, int err) {
    return Status::IoError(std::string(what) + " '" + path + "': " + std::strerror(err));
  }

  void* data_ = nullptr;
  size_t size_ = 0;
};

// Upper bound on a decompressed section; a larger claim is damage, not data.
constexpr uint64_t kMaxSectionBytes = 1ull << 40;

// Makes sure `s` keeps its bytes on the heap, so that views into it survive moving it (a
// short string would otherwise live inside the object).
void ReserveHeap(std::string* s, size_t n) { s->reserve(std::max<size_t>(n, 32)); }

}  // namespace

struct Segment::Impl {
  MappedFile file;
  SegmentInfo info;
  std::vector<BlockInfo> block_infos;
  std::vector<ParsedBlock> blocks;
  std::vector<std::vector<std::string>> dictionaries;
  std::string_view keys;  // in the mapping

  Status Corrupt(std::string_view what) const {
    return Status::Corruption("Corrupt segment '" + info.path + "': " + std::string(what));
  }

  // Checks and decompresses one section of a block into `out`.
  Status ReadSection(size_t block, int section, std::string* out) const {
    const SectionRef& ref = blocks[block].sections[section];
    const std::string where = "block " + std::to_string(block) + " " +
                              std::string(BlockSectionName(section)) + " section at offset " +
                              std::to_string(ref.offset) + " (" + std::to_string(ref.stored_bytes) +
                              " bytes)";
    const std::string_view stored = file.bytes().substr(ref.offset, ref.stored_bytes);
    if (MaskCrc(Crc32c(stored)) != ref.crc) return Corrupt(where + ": checksum mismatch");
    const unsigned long long content = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (ref.raw_bytes > kMaxSectionBytes || content != ref.raw_bytes) {
      return Corrupt(where + ": bad decompressed size");
    }
    out->clear();
    ReserveHeap(out, ref.raw_bytes);
    out->resize(ref.raw_bytes);
    const size_t n = ZSTD_decompress(out->data(), out->size(), stored.data(), stored.size());
    if (ZSTD_isError(n) || n != ref.raw_bytes) {
      return Corrupt(where + ": cannot decompress" +
                     (ZSTD_isError(n) ? std::string(": ") + ZSTD_getErrorName(n) : ""));
    }
    return Status::OK();
  }
};

Segment::Segment(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Segment::~Segment() = default;

Result<std::shared_ptr<const Segment>> Segment::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->info.path = path;
  TH_RETURN_IF_ERROR(impl->file.Map(path));
  const std::string_view bytes = impl->file.bytes();
  if (bytes.size() < kSegmentHeaderBytes + kSegmentTrailerBytes) {
    return impl->Corrupt("file of " + std::to_string(bytes.size()) +
                         " bytes is too short to be a segment");
  }
  std::optional<uint64_t> id = DecodeSegmentHeader(bytes);
  if (!id) return impl->Corrupt("bad header at offset 0 (magic, version or reserved bytes)");
  const uint64_t trailer_offset = bytes.size() - kSegmentTrailerBytes;
  std::optional<SegmentTrailer> trailer = DecodeSegmentTrailer(bytes.substr(trailer_offset));
  if (!trailer) {
    return impl->Corrupt("bad trailer at offset " + std::to_string(trailer_offset) +
                         " (magic or version; truncated file?)");
  }
  if (trailer->footer_offset < kSegmentHeaderBytes || trailer->footer_offset > trailer_offset ||
      trailer->footer_length != trailer_offset - trailer->footer_offset) {
    return impl->Corrupt("trailer at offset " + std::to_string(trailer_offset) +
                         " does not locate the footer");
  }
  const std::string_view footer = bytes.substr(trailer->footer_offset, trailer->footer_length);
  if (MaskCrc(Crc32c(footer)) != trailer->footer_crc) {
    return impl->Corrupt("footer at offset " + std::to_string(trailer->footer_offset) + " (" +
                         std::to_string(footer.size()) + " bytes): checksum mismatch");
  }
  ParsedFooter parsed;
  std::string error;
  if (!ParseFooter(footer, kSegmentHeaderBytes, trailer->footer_offset, &parsed, &error)) {
    return impl->Corrupt("footer at offset " + std::to_string(trailer->footer_offset) + ": " +
                         error);
  }
  if (parsed.info.id != *id) return impl->Corrupt("header and footer name different segment ids");
  const std::string name = std::filesystem::path(path).filename().string();
  if (std::optional<uint64_t> named = ParseSegmentFileName(name); named && *named != *id) {
    return impl->Corrupt("file holds segment " + std::to_string(*id));
  }

  parsed.info.path = path;
  parsed.info.file_bytes = bytes.size();
  impl->info = std::move(parsed.info);
  impl->blocks = std::move(parsed.blocks);
  impl->dictionaries = std::move(parsed.dictionaries);
  impl->keys = parsed.keys;
  impl->block_infos.reserve(impl->blocks.size());
  for (const ParsedBlock& block : impl->blocks) impl->block_infos.push_back(block.info);
  return std::shared_ptr<const Segment>(new Segment(std::move(impl)));
}

const SegmentInfo& Segment::info() const { return impl_->info; }
size_t Segment::block_count() const { return impl_->blocks.size(); }
const BlockInfo& Segment::block(size_t index) const { return impl_->block_infos[index]; }

bool Segment::ContainsKey(const DedupKey& key) const {
  size_t lo = 0;
  size_t hi = impl_->keys.size() / 16;
  while (lo < hi) {  // the first key >= `key`
    const size_t mid = lo + (hi - lo) / 2;
    if (FooterKey(impl_->keys, mid) < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < impl_->keys.size() / 16 && FooterKey(impl_->keys, lo) == key;
}

bool Segment::BlockMayContainValue(size_t block, size_t field,
                                   std::string_view folded_value) const {
  assert(block < impl_->blocks.size());
  const std::vector<BloomFilterView>& filters = impl_->blocks[block].field_filters;
  if (field >= filters.size()) return true;
  // Fold here too: a caller that forgot would otherwise get a false "certainly not".
  if (std::any_of(folded_value.begin(), folded_value.end(),
                  [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return filters[field].MayContain(query::FoldAscii(folded_value));
  }
  return filters[field].MayContain(folded_value);
}

bool Segment::BlockMayContainText(size_t block, std::string_view folded_text) const {
  assert(block < impl_->blocks.size());
  return TrigramsMayBePresent(impl_->blocks[block].text_filter, folded_text);
}

std::span<const std::string> Segment::Dictionary(size_t field) const {
  if (field >= impl_->dictionaries.size()) return {};
  return impl_->dictionaries[field];
}

Status Segment::ReadBlock(size_t index, const BlockReadMask& mask, BlockRows* out) const {
  assert(index < impl_->blocks.size());
  out->time.clear();
  out->time_is_fallback.clear();
  out->source.clear();
  out->category.clear();
  out->key.clear();
  out->raw.clear();
  out->columns.clear();
  // One buffer per section plus one for the dictionary values the columns use. Buffers are
  // reused between calls; none grows after views into it were made.
  out->buffers.resize(kBlockSectionCount + 1);
  const size_t rows = impl_->blocks[index].info.rows;
  const std::string where = "block " + std::to_string(index) + " at offset " +
                            std::to_string(impl_->blocks[index].sections[0].offset);

  TH_RETURN_IF_ERROR(impl_->ReadSection(index, kMetaSection, &out->buffers[kMetaSection]));
  if (!DecodeMetaSection(out->buffers[kMetaSection], rows, out)) {
    return impl_->Corrupt(where + ": malformed meta section");
  }
  const BlockInfo& info = impl_->blocks[index].info;
  for (size_t i = 0; i < rows; ++i) {
    if (out->time[i] < info.min_time || out->time[i] > info.max_time ||
        (i > 0 && out->time[i] < out->time[i - 1])) {
      return impl_->Corrupt(where + ": times out of order or outside the block's range");
    }
  }
  if (mask.raw) {
    TH_RETURN_IF_ERROR(impl_->ReadSection(index, kRawSection, &out->buffers[kRawSection]));
    if (!DecodeRawSection(out->buffers[kRawSection], rows, &out->raw)) {
      return impl_->Corrupt(where + ": malformed raw section");
    }
  }
  if (mask.columns) {
    TH_RETURN_IF_ERROR(impl_->ReadSection(index, kColumnsSection, &out->buffers[kColumnsSection]));
    std::string* text = &out->buffers[kBlockSectionCount];
    ReserveHeap(text, 0);
    if (!DecodeColumnsSection(out->buffers[kColumnsSection], rows, impl_->dictionaries, text,
                              &out->columns)) {
      return impl_->Corrupt(where + ": malformed columns section");
    }
  }
  return Status::OK();
}

}  // namespace trailhound::store
