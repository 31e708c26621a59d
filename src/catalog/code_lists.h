#pragma once
// The catalogue's code lists (catalog/codes/*.toml): codes with names and validity dates, and
// the benefit groups. Read at run time; a code that is added or renamed is a file edit.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"

namespace jobindsigt {

struct CodeEntry {
  std::string code;
  std::string name_da;
  std::string name_en;
  DayNumber valid_from = -1000000;  // far past when the list gives no date
  DayNumber valid_to = 1000000;     // far future when the code is still in use
  std::string replaced_by;
};

struct CodeList {
  std::string id;
  std::vector<CodeEntry> codes;

  // Index of `code` in `codes`, nullopt when the list does not have it.
  std::optional<int> Find(std::string_view code) const;
};

struct BenefitGroup {
  std::string id;
  std::string name_da;
  std::string name_en;
  std::vector<std::string> members;
};

struct CodeLists {
  std::map<std::string, CodeList, std::less<>> lists;  // by list id: "benefit", "sex", …
  std::vector<BenefitGroup> benefit_groups;

  const CodeList* Find(std::string_view list_id) const;
};

// Reads every catalog/codes/*.toml. Throws UserError(kBadCatalog) naming the file and entry
// for a parse error, a missing field, a duplicate code or a group member that is no benefit.
CodeLists LoadCodeLists(const std::filesystem::path& catalog_dir);

}  // namespace jobindsigt
