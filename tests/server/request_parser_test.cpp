// The data API's request parsers on their own (server/data_request.h, server/query_request.h):
// inputs the fuzzers (tests/fuzz) found that must be answered with a QueryError naming a
// reason, never another exception.
#include <gtest/gtest.h>

#include <string>

#include "engine/query_error.h"
#include "server/data_request.h"
#include "server/query_request.h"

namespace jobindsigt::test {
namespace {

// "reason field" of the QueryError the body gives; "" when it parses.
std::string ReasonOf(std::string_view body) {
  try {
    server::ParseQueryRequest(body);
  } catch (const engine::QueryError& error) {
    return error.reason() + " " + error.field();
  }
  return "";
}

// nlohmann::json reports a number beyond double's range as out_of_range, not parse_error: it
// used to escape as a 500 internal_error.
TEST(QueryRequestTest, NumberOutOfRangeIsMalformedRequest) {
  EXPECT_EQ(ReasonOf(R"({"statistics":["persons"],"periods":1e400})"), "malformed_request ");
  EXPECT_EQ(ReasonOf("9999444e444444444"), "malformed_request ");
  EXPECT_EQ(ReasonOf(R"({"breakdowns":[{"by":"survival_week","weeks":[-1e999]}]})"),
            "malformed_request ");
}

// A whole number above INT64_MAX is held unsigned by nlohmann::json; read as int64_t it wrapped
// to a negative number (18446744073709551615 → -1) that passed the range check.
TEST(QueryRequestTest, HugeUnsignedNumbersAreWrongType) {
  EXPECT_EQ(ReasonOf(R"({"breakdowns":[{"by":"status_after","months":18446744073709551615}]})"),
            "wrong_type breakdowns[0].months");
  EXPECT_EQ(ReasonOf(R"({"breakdowns":[{"by":"survival_week","weeks":[0,18446744073709551610]}]})"),
            "wrong_type breakdowns[0].weeks[1]");
  EXPECT_EQ(ReasonOf(R"({"breakdowns":[{"by":"status_after","months":1000001}]})"),
            "wrong_type breakdowns[0].months");
  EXPECT_EQ(ReasonOf(R"({"breakdowns":[{"by":"status_after","months":6}]})"), "");
}

}  // namespace
}  // namespace jobindsigt::test
