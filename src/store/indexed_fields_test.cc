#include "store/indexed_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailhound::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

size_t Field(std::string_view dotted) {
  const int i = IndexedFieldIndex(query::FieldPath::FromDotted(dotted));
  EXPECT_GE(i, 0) << dotted;
  return static_cast<size_t>(i);
}

TEST(IndexedFields, ListsTheDesignedFieldsWithDictionariesForLowCardinality) {
  std::span<const IndexedField> fields = IndexedFields();
  ASSERT_EQ(fields.size(), 19u);
  EXPECT_EQ(IndexedFieldPaths().size(), fields.size());
  EXPECT_TRUE(fields[Field("eventName")].dictionary);
  EXPECT_TRUE(fields[Field("userIdentity.accountId")].dictionary);
  EXPECT_FALSE(fields[Field("userIdentity.arn")].dictionary);
  EXPECT_FALSE(fields[Field("userIdentity.sessionContext.sessionIssuer.userName")].dictionary);
  EXPECT_FALSE(fields[Field("requestParameters.bucketName")].dictionary);
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(IndexedFieldIndex(query::FieldPath::FromDotted(fields[i].dotted)),
              static_cast<int>(i));
  }
  EXPECT_EQ(IndexedFieldIndex(query::FieldPath::FromDotted("eventname")), -1);  // exact case
  EXPECT_EQ(IndexedFieldIndex(query::FieldPath::FromDotted("userIdentity")), -1);
  EXPECT_EQ(IndexedFieldIndex(query::FieldPath({"userIdentity.arn"})), -1);  // one key with a dot
}

TEST(FieldExtractor, ClassifiesEachShapeOfValue) {
  FieldExtractor x;
  ASSERT_TRUE(x.Extract(R"({
    "eventName": "ConsoleLogin",
    "eventSource": null,
    "awsRegion": 5,
    "errorCode": ["A", "b"],
    "eventType": {"x": 1},
    "eventCategory": true,
    "recipientAccountId": [null, null],
    "userIdentity": [{"type": "Root"}, {"type": null}],
    "sourceIPAddress": ["10.0.0.1"],
    "userAgent": [],
    "requestParameters": {"bucketName": [1.5, "Logs", {"no": 1}, false]}
  })"));
  std::span<const FieldCell> cells = x.cells();
  const FieldCell& name = cells[Field("eventName")];
  EXPECT_EQ(name.kind, ColumnValue::kString);
  EXPECT_EQ(name.text, "ConsoleLogin");
  EXPECT_THAT(name.folded, ElementsAre("consolelogin"));

  EXPECT_EQ(cells[Field("eventSource")].kind, ColumnValue::kMissing);  // null
  EXPECT_THAT(cells[Field("eventSource")].folded, IsEmpty());
  EXPECT_EQ(cells[Field("eventID")].kind, ColumnValue::kMissing);  // absent

  EXPECT_EQ(cells[Field("awsRegion")].kind, ColumnValue::kOther);  // a number
  EXPECT_THAT(cells[Field("awsRegion")].folded, ElementsAre("5"));

  EXPECT_EQ(cells[Field("errorCode")].kind, ColumnValue::kOther);  // several values
  EXPECT_THAT(cells[Field("errorCode")].folded, ElementsAre("a", "b"));

  EXPECT_EQ(cells[Field("eventType")].kind, ColumnValue::kOther);  // an object
  EXPECT_THAT(cells[Field("eventType")].folded, IsEmpty());

  EXPECT_EQ(cells[Field("eventCategory")].kind, ColumnValue::kOther);  // a boolean
  EXPECT_THAT(cells[Field("eventCategory")].folded, ElementsAre("true"));

  EXPECT_EQ(cells[Field("recipientAccountId")].kind, ColumnValue::kMissing);  // only nulls

  // A string and a null reached: two values, so the executor looks at the JSON.
  EXPECT_EQ(cells[Field("userIdentity.type")].kind, ColumnValue::kOther);
  EXPECT_THAT(cells[Field("userIdentity.type")].folded, ElementsAre("root"));

  // One string inside an array is still exactly one string value.
  EXPECT_EQ(cells[Field("sourceIPAddress")].kind, ColumnValue::kString);
  EXPECT_EQ(cells[Field("sourceIPAddress")].text, "10.0.0.1");

  EXPECT_EQ(cells[Field("userAgent")].kind, ColumnValue::kMissing);  // empty array

  const FieldCell& bucket = cells[Field("requestParameters.bucketName")];
  EXPECT_EQ(bucket.kind, ColumnValue::kOther);
  EXPECT_THAT(bucket.folded, ElementsAre("1.5", "logs", "false"));
}

TEST(FieldExtractor, DecodesEscapesAndKeepsNonAsciiBytes) {
  FieldExtractor x;
  ASSERT_TRUE(x.Extract(R"({"userIdentity":{"userName":"J\u00f6rg \"Ü\" MÜLLER","arn":""}})"));
  const FieldCell& user = x.cells()[Field("userIdentity.userName")];
  EXPECT_EQ(user.kind, ColumnValue::kString);
  EXPECT_EQ(user.text, "Jörg \"Ü\" MÜLLER");
  EXPECT_THAT(user.folded, ElementsAre("jörg \"Ü\" mÜller"));  // only ASCII letters fold
  const FieldCell& arn = x.cells()[Field("userIdentity.arn")];
  EXPECT_EQ(arn.kind, ColumnValue::kString);
  EXPECT_EQ(arn.text, "");
  EXPECT_THAT(arn.folded, ElementsAre(""));
}

TEST(FieldExtractor, NumbersUseCanonicalText) {
  FieldExtractor x;
  ASSERT_TRUE(x.Extract(
      R"({"awsRegion":[5.0, -0, 1e21, 18446744073709551615, -9223372036854775808, 2.50]})"));
  EXPECT_THAT(
      x.cells()[Field("awsRegion")].folded,
      ElementsAre("5", "0", "1e+21", "18446744073709551615", "-9223372036854775808", "2.5"));
}

TEST(FieldExtractor, InvalidJsonMakesEveryCellOtherWithoutValues) {
  FieldExtractor x;
  EXPECT_FALSE(x.Extract(R"({"eventName":"Get)"));
  for (const FieldCell& cell : x.cells()) {
    EXPECT_EQ(cell.kind, ColumnValue::kOther);
    EXPECT_THAT(cell.folded, IsEmpty());
  }
  // The extractor recovers on the next record.
  ASSERT_TRUE(x.Extract(R"({"eventName":"Get"})"));
  EXPECT_EQ(x.cells()[Field("eventName")].kind, ColumnValue::kString);
  EXPECT_EQ(x.cells()[Field("eventSource")].kind, ColumnValue::kMissing);
}

TEST(FieldExtractor, NonObjectRootsReachNothingOrTheirElements) {
  FieldExtractor x;
  ASSERT_TRUE(x.Extract("42"));
  EXPECT_EQ(x.cells()[Field("eventName")].kind, ColumnValue::kMissing);
  ASSERT_TRUE(x.Extract(R"([{"eventName":"A"},{"eventName":"B"}])"));
  EXPECT_EQ(x.cells()[Field("eventName")].kind, ColumnValue::kOther);
  EXPECT_THAT(x.cells()[Field("eventName")].folded, ElementsAre("a", "b"));
}

}  // namespace
}  // namespace trailhound::store
