#pragma once
// An independent PC-Axis validator for the tests: the syntax and content rules of
// standards.md §4.1 (SCB mandatory keywords, the Px.Utils content rules, the PxWeb fatal
// errors and the validator checklist there), written from the rules and sharing no code with
// src/export. Each problem names its rule, so that the negative tests can ask for the one
// they break.

#include <string>
#include <string_view>
#include <vector>

namespace jobindsigt::exporting::testing {

struct PxProblem {
  size_t line = 0;   // 1-based; 0 for the file as a whole
  std::string rule;  // e.g. "mandatory", "data-count", "charset" (px_validator.cpp lists them)
  std::string message;
};

std::vector<PxProblem> ValidatePx(std::string_view file);

// "line 12 [data-count] …" per problem, for test failure messages.
std::string Describe(const std::vector<PxProblem>& problems);

}  // namespace jobindsigt::exporting::testing
