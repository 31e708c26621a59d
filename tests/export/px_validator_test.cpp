// The validator itself: it accepts a correct file and rejects each broken rule, so that a
// pass in the golden tests means something.

#include "px_validator.h"

#include <gtest/gtest.h>

#include <string>

namespace jobindsigt::exporting::testing {
namespace {

// standards.md §4.1's minimal example, with CHARSET "Unicode" (see CharsetMustMatchCodepage).
const std::string kValid = R"(CHARSET="Unicode";
AXIS-VERSION="2013";
CODEPAGE="UTF-8";
LANGUAGE="en";
CREATION-DATE="20250101 09:00";
DECIMALS=0;
MATRIX="UC001";
SUBJECT-CODE="SOC";
SUBJECT-AREA="Social protection";
TITLE="Persons on benefit by municipality, sex and month";
CONTENTS="Persons on benefit";
UNITS="persons";
STUB="municipality","sex";
HEADING="month";
VALUES("municipality")="Alpha","Beta";
VALUES("sex")="Women","Men";
VALUES("month")="2025M01","2025M02";
CODES("municipality")="0101","0102";
CODES("sex")="2","1";
CODES("month")="2025M01","2025M02";
TIMEVAL("month")=TLIST(M1),"202501","202502";
ELIMINATION("sex")=YES;
LAST-UPDATED="20250115 09:00";
SOURCE="Benefit register";
DATA=
120 118 
131 127 
".." 45 
40 "-" ;
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The rules the validator reports for `file`, to compare with the one a test breaks.
std::string Rules(const std::string& file) {
  std::string rules;
  for (const auto& problem : ValidatePx(file)) rules += (rules.empty() ? "" : ",") + problem.rule;
  return rules;
}

TEST(PxValidatorTest, AcceptsTheStandardsExample) {
  const auto problems = ValidatePx(kValid);
  EXPECT_TRUE(problems.empty()) << Describe(problems);
}

TEST(PxValidatorTest, AcceptsAByteOrderMarkAndCrLf) {
  std::string file = "\xEF\xBB\xBF";
  for (const char ch : kValid) file += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  EXPECT_EQ(Rules(file), "");
}

TEST(PxValidatorTest, CharsetMustMatchCodepage) {
  // The example as standards.md prints it pairs "ANSI" with a UTF-8 code page; Px.Utils says
  // CHARSET must match the file's encoding.
  EXPECT_EQ(Rules(Replace(kValid, "\"Unicode\"", "\"ANSI\"")), "charset");
  EXPECT_EQ(Rules(Replace(kValid, "\"Unicode\"", "\"UTF8\"")), "charset");
  EXPECT_EQ(Rules(Replace(kValid, "\"UTF-8\"", "\"iso-8859-1\"")), "charset");
}

TEST(PxValidatorTest, RejectsBytesThatAreNotUtf8) {
  EXPECT_EQ(Rules(Replace(kValid, "Benefit register", "B\xE6nefit register")), "encoding");
}

TEST(PxValidatorTest, RejectsMissingMandatoryKeywords) {
  for (const std::string keyword :
       {"CHARSET=\"Unicode\";\n", "AXIS-VERSION=\"2013\";\n", "MATRIX=\"UC001\";\n",
        "SUBJECT-CODE=\"SOC\";\n", "SUBJECT-AREA=\"Social protection\";\n",
        "CONTENTS=\"Persons on benefit\";\n", "UNITS=\"persons\";\n", "DECIMALS=0;\n",
        "LANGUAGE=\"en\";\n", "CODEPAGE=\"UTF-8\";\n"}) {
    EXPECT_NE(Rules(Replace(kValid, keyword, "")).find("mandatory"), std::string::npos) << keyword;
  }
  EXPECT_EQ(Rules(Replace(kValid, "TITLE=", "DESCRIPTION=")), "");  // DESCRIPTION stands in
  EXPECT_EQ(
      Rules(Replace(kValid, "TITLE=\"Persons on benefit by municipality, sex and month\";\n", "")),
      "mandatory");
}

TEST(PxValidatorTest, RejectsAnEntryWithoutItsSemicolon) {
  EXPECT_EQ(Rules(Replace(kValid, "MATRIX=\"UC001\";", "MATRIX=\"UC001\"")), "syntax");
  EXPECT_NE(Rules(Replace(kValid, "40 \"-\" ;", "40 \"-\" ")).find("syntax"), std::string::npos);
}

TEST(PxValidatorTest, RejectsQuotingErrors) {
  EXPECT_EQ(Rules(Replace(kValid, "MATRIX=\"UC001\";", "MATRIX=UC001;")), "type");
  EXPECT_NE(
      Rules(Replace(kValid, "\"Social protection\"", "\"Social \"protection\"")).find("syntax"),
      std::string::npos);
  EXPECT_EQ(Rules(Replace(kValid, "\"Social protection\"", "\"Social\nprotection\"")), "syntax");
  // A long text split into quoted pieces on separate lines is one string.
  EXPECT_EQ(Rules(Replace(kValid, "\"Social protection\"", "\"Social \"\n\"protection\"")), "");
}

TEST(PxValidatorTest, RejectsLongLines) {
  EXPECT_EQ(Rules(Replace(kValid, "Benefit register", std::string(250, 'x'))), "line-length");
}

TEST(PxValidatorTest, RejectsDataThatIsNotLast) {
  EXPECT_EQ(Rules(kValid + "NOTE=\"late\";\n"), "data-last");
}

TEST(PxValidatorTest, RejectsTheWrongNumberOfCells) {
  EXPECT_EQ(Rules(Replace(kValid, "40 \"-\" ;", "40 ;")), "data-count");
  EXPECT_EQ(Rules(Replace(kValid, "VALUES(\"sex\")=\"Women\",\"Men\";",
                          "VALUES(\"sex\")=\"Women\",\"Men\",\"All\";")),
            "codes,data-count");
}

TEST(PxValidatorTest, RejectsBadCells) {
  EXPECT_EQ(Rules(Replace(kValid, "\"..\" 45", "\"x\" 45")), "data-token");
  EXPECT_EQ(Rules(Replace(kValid, "\"..\" 45", ".. 45")), "data-token");
  EXPECT_EQ(Rules(Replace(kValid, "\"..\" 45", "1,5 45")), "data-token");
  EXPECT_EQ(Rules(Replace(kValid, "\"..\" 45", "1.5 45")), "decimals");  // DECIMALS=0
  EXPECT_EQ(Rules(Replace(kValid, "120 118 \n", "120 118\n")), "data-line-end");
  EXPECT_EQ(Rules(Replace(kValid, "120 118 \n", "120\t118 \n")), "data-line-end");
}

TEST(PxValidatorTest, RejectsValuesAndCodesThatDisagree) {
  EXPECT_EQ(Rules(Replace(kValid, "CODES(\"sex\")=\"2\",\"1\";", "CODES(\"sex\")=\"2\";")),
            "codes");
  EXPECT_EQ(Rules(Replace(kValid, "\"Women\",\"Men\"", "\"Men\",\"Men\"")), "values");
  EXPECT_NE(Rules(Replace(kValid, "VALUES(\"sex\")=\"Women\",\"Men\";\n", "")).find("values"),
            std::string::npos);
  EXPECT_EQ(
      Rules(Replace(kValid, "STUB=\"municipality\",\"sex\";", "STUB=\"municipality\",\"month\";")),
      "variables,specifier,specifier,specifier");
}

TEST(PxValidatorTest, RejectsDuplicateEntries) {
  EXPECT_EQ(Rules(Replace(kValid, "SOURCE=", "SOURCE=\"x\";\nSOURCE=")), "duplicate");
}

TEST(PxValidatorTest, RejectsBadTimeval) {
  EXPECT_EQ(Rules(Replace(kValid, "TLIST(M1),\"202501\",\"202502\"", "TLIST(M1),\"202501\"")),
            "timeval");
  EXPECT_EQ(Rules(Replace(kValid, "TLIST(M1),\"202501\",\"202502\"",
                          "TLIST(M1),\"2025M01\",\"2025M02\"")),
            "timeval,timeval");
  EXPECT_EQ(Rules(Replace(kValid, "TLIST(M1)", "TLIST(X1)")), "timeval");
  EXPECT_EQ(
      Rules(Replace(kValid, "TLIST(M1),\"202501\",\"202502\"", "TLIST(M1, \"202501-202502\")")),
      "");
}

TEST(PxValidatorTest, RejectsBadScalars) {
  EXPECT_EQ(Rules(Replace(kValid, "DECIMALS=0;", "DECIMALS=16;")), "decimals");
  EXPECT_EQ(Rules(Replace(kValid, "DECIMALS=0;", "DECIMALS=0;\nSHOWDECIMALS=2;")), "decimals");
  EXPECT_EQ(Rules(Replace(kValid, "\"20250115 09:00\"", "\"2025-01-15 09:00\"")), "datetime");
  EXPECT_EQ(Rules(Replace(kValid, "ELIMINATION(\"sex\")=YES;", "ELIMINATION(\"sex\")=\"Both\";")),
            "elimination");
  EXPECT_EQ(Rules(Replace(kValid, "SOURCE=", "VARIABLE-TYPE(\"sex\")=\"Gender\";\nSOURCE=")),
            "variable-type");
  EXPECT_EQ(Rules(Replace(kValid, "SOURCE=", "VALUENOTE(\"sex\",\"Other\")=\"x\";\nSOURCE=")),
            "specifier");
  EXPECT_EQ(Rules(Replace(kValid, "MATRIX=", "MATRIX(\"sex\")=")), "specifier");
}

TEST(PxValidatorTest, ChecksTheContentVariable) {
  const std::string content =
      Replace(Replace(kValid, "UNITS=\"persons\";\n", ""), "ELIMINATION",
              "CONTVARIABLE=\"sex\";\nUNITS(\"sex\",\"Women\")=\"persons\";\n"
              "UNITS(\"sex\",\"Men\")=\"persons\";\nELIMINATION");
  EXPECT_EQ(Rules(content), "");
  EXPECT_EQ(Rules(Replace(content, "UNITS(\"sex\",\"Men\")=\"persons\";\n", "")), "contvariable");
  EXPECT_EQ(Rules(Replace(content, "CONTVARIABLE=\"sex\"", "CONTVARIABLE=\"age\"")),
            "contvariable");
}

TEST(PxValidatorTest, ChecksLanguages) {
  const std::string two =
      Replace(kValid, "LANGUAGE=\"en\";", "LANGUAGE=\"en\";\nLANGUAGES=\"en\",\"da\";");
  EXPECT_NE(Rules(two + "").find("languages"), std::string::npos);  // no [da] texts at all
  EXPECT_NE(Rules(Replace(kValid, "SOURCE=", "SOURCE[da]=\"Ydelsesregister\";\nSOURCE="))
                .find("languages"),
            std::string::npos);
}

}  // namespace
}  // namespace jobindsigt::exporting::testing
