// Segments over real CloudTrail records from ../shared/corpora (Panther's rule tests and the
// AWS documentation examples, 504 records): they round-trip, every present value and text
// passes the block filters, and the test prints the bytes per event it measured.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "query/text_search.h"
#include "store/indexed_fields.h"
#include "store/segment_format.h"
#include "store/segment_test_util.h"
#include "store/wal_format.h"

namespace trailhound::store {
namespace {

using testing::kT0;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::TempDir;
using testing::WriteOrDie;

const std::string kCorpora = std::string(TRAILHOUND_SHARED_DIR) + "/corpora/";

// The "event" member of each JSONL line, minified.
std::vector<std::string> LoadEvents(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::string> events;
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element row, event;
    if (parser.parse(line).get(row) != simdjson::SUCCESS ||
        row["event"].get(event) != simdjson::SUCCESS) {
      ADD_FAILURE() << "bad line in " << path;
      continue;
    }
    events.push_back(simdjson::minify(event));
  }
  return events;
}

std::vector<StoredEvent> CorpusEvents() {
  std::vector<std::string> raws = LoadEvents(kCorpora + "panther-cloudtrail/tests.jsonl");
  for (std::string& r : LoadEvents(kCorpora + "aws-docs-cloudtrail-examples/events.jsonl")) {
    raws.push_back(std::move(r));
  }
  std::vector<StoredEvent> events;
  for (size_t i = 0; i < raws.size(); ++i) {
    StoredEvent& e = events.emplace_back();
    e.time = kT0 + static_cast<int64_t>(i) * 1000;
    e.source = "cloudtrail-main";
    e.category = EventCategory::kCloudServiceActivity;
    e.raw = std::move(raws[i]);
    e.key = MakeDedupKey("", "", e.raw);
  }
  return events;
}

uint64_t FooterBytes(const std::string& path) {
  const std::string bytes = testing::ReadBytes(path);
  return DecodeFixed64(bytes.data() + bytes.size() - kSegmentTrailerBytes + 8);
}

TEST(SegmentCorpus, RealRecordsRoundTripAndPassTheirFilters) {
  TempDir dir;
  const std::vector<StoredEvent> events = CorpusEvents();
  ASSERT_GE(events.size(), 500u);
  const SegmentInfo info = WriteOrDie(dir.path(), 1, events, {.rows_per_block = 128});
  auto segment = OpenOrDie(info.path);
  ASSERT_NE(segment, nullptr);
  EXPECT_EQ(ReadAll(*segment), events);

  FieldExtractor extractor;
  std::mt19937_64 rng(2);
  BlockRows rows;
  size_t row = 0;
  for (size_t b = 0; b < segment->block_count(); ++b) {
    ASSERT_TRUE(segment->ReadBlock(b, {.raw = true, .columns = true}, &rows).ok());
    for (size_t r = 0; r < rows.size(); ++r, ++row) {
      ASSERT_TRUE(extractor.Extract(rows.raw[r]));
      for (size_t f = 0; f < IndexedFields().size(); ++f) {
        const FieldCell& cell = extractor.cells()[f];
        EXPECT_EQ(rows.columns[f][r].kind, cell.kind);
        EXPECT_EQ(rows.columns[f][r].text, cell.text);
        for (const std::string& v : cell.folded)
          EXPECT_TRUE(segment->BlockMayContainValue(b, f, v));
      }
      const std::string folded = query::FoldAscii(rows.raw[r]);
      for (int i = 0; i < 20; ++i) {
        const size_t begin = rng() % folded.size();
        EXPECT_TRUE(segment->BlockMayContainText(b, folded.substr(begin, 3 + rng() % 30)));
      }
    }
  }
  EXPECT_EQ(row, events.size());
}

// Prints what a segment costs per event; the numbers go into docs/formats/store.md.
TEST(SegmentCorpus, ReportsBytesPerEvent) {
  const std::vector<StoredEvent> corpus = CorpusEvents();
  uint64_t raw_bytes = 0;
  for (const StoredEvent& e : corpus) raw_bytes += e.raw.size();

  // The 504 distinct records in one block.
  TempDir dir;
  const SegmentInfo info = WriteOrDie(dir.path(), 1, corpus);
  std::printf(
      "corpus: %zu events, %.0f raw bytes/event, %.0f segment bytes/event "
      "(footer %.0f bytes/event)\n",
      corpus.size(), static_cast<double>(raw_bytes) / corpus.size(),
      static_cast<double>(info.file_bytes) / corpus.size(),
      static_cast<double>(FooterBytes(info.path)) / corpus.size());

  // A full default block: the corpus 8 times over with fresh ids, request ids and times,
  // so that the high-cardinality values differ as they would in a real trail.
  std::vector<StoredEvent> events;
  std::mt19937_64 rng(5);
  auto hex = [&rng](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back("0123456789abcdef"[rng() % 16]);
    return s;
  };
  for (int copy = 0; copy < 8; ++copy) {
    for (const StoredEvent& original : corpus) {
      StoredEvent e = original;
      for (std::string_view key : {"\"eventID\":\"", "\"requestID\":\""}) {
        const size_t at = e.raw.find(key);
        if (at == std::string::npos) continue;
        const size_t begin = at + key.size();
        const size_t end = e.raw.find('"', begin);
        e.raw.replace(begin, end - begin,
                      hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12));
      }
      e.time = kT0 + static_cast<int64_t>(events.size()) * 250;
      e.key = MakeDedupKey("", "", e.raw);
      events.push_back(std::move(e));
    }
  }
  raw_bytes = 0;
  for (const StoredEvent& e : events) raw_bytes += e.raw.size();
  const auto start = std::chrono::steady_clock::now();
  const SegmentInfo big = WriteOrDie(dir.path(), 2, events);
  const auto written = std::chrono::steady_clock::now();
  auto segment = OpenOrDie(big.path);
  BlockRows rows;
  ASSERT_TRUE(segment->ReadBlock(0, {.raw = true, .columns = true}, &rows).ok());
  const auto read = std::chrono::steady_clock::now();
  auto micros = [](auto d) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  };
  std::printf(
      "write %.1f us/event (zstd level 3, fsync included), open + read with columns "
      "%.1f us/event\n",
      micros(written - start) / events.size(), micros(read - written) / events.size());
  std::printf(
      "%zu events (corpus x8, fresh ids): %.0f raw bytes/event, %.0f segment "
      "bytes/event (footer %.0f bytes/event), %.1fx smaller than the raw JSON\n",
      events.size(), static_cast<double>(raw_bytes) / events.size(),
      static_cast<double>(big.file_bytes) / events.size(),
      static_cast<double>(FooterBytes(big.path)) / events.size(),
      static_cast<double>(raw_bytes) / big.file_bytes);
  EXPECT_LT(big.file_bytes, raw_bytes / 4);
}

}  // namespace
}  // namespace trailhound::store
