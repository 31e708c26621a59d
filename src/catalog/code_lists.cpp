#include "catalog/code_lists.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "common/error.h"

namespace jobindsigt {
namespace {

[[noreturn]] void Fail(const std::filesystem::path& path, const std::string& what) {
  throw UserError(ErrorCode::kBadCatalog, fmt::format("{}: {}", path.string(), what));
}

DayNumber ToDay(const toml::date& date) {
  return DaysFromCivil(date.year, date.month, date.day);
}

std::string RequiredString(const toml::table& table, const char* key,
                           const std::filesystem::path& path, const std::string& where) {
  const auto value = table[key].value<std::string>();
  if (!value || value->empty()) Fail(path, fmt::format("{}: '{}' is missing or empty", where, key));
  return *value;
}

CodeList ReadCodeList(const toml::table& root, const std::filesystem::path& path) {
  CodeList list;
  list.id = RequiredString(root, "list", path, "the file");
  const auto* codes = root["code"].as_array();
  if (codes == nullptr || codes->empty()) Fail(path, "no [[code]] entries");
  std::set<std::string> seen;
  for (const auto& node : *codes) {
    const auto* table = node.as_table();
    if (table == nullptr) Fail(path, "a [[code]] entry is not a table");
    CodeEntry entry;
    entry.code = RequiredString(*table, "code", path, "a [[code]] entry");
    const std::string where = fmt::format("code '{}'", entry.code);
    entry.name_da = RequiredString(*table, "name_da", path, where);
    entry.name_en = RequiredString(*table, "name_en", path, where);
    if (const auto from = (*table)["valid_from"].value<toml::date>())
      entry.valid_from = ToDay(*from);
    if (const auto to = (*table)["valid_to"].value<toml::date>()) entry.valid_to = ToDay(*to);
    entry.replaced_by = (*table)["replaced_by"].value_or(std::string());
    if (entry.valid_to < entry.valid_from) Fail(path, where + ": valid_to is before valid_from");
    if (!seen.insert(entry.code).second) Fail(path, where + " appears twice");
    list.codes.push_back(std::move(entry));
  }
  return list;
}

void ReadBenefitGroups(const toml::table& root, const std::filesystem::path& path,
                       CodeLists& lists) {
  const auto* groups = root["group"].as_array();
  if (groups == nullptr) Fail(path, "no [[group]] entries");
  for (const auto& node : *groups) {
    const auto* table = node.as_table();
    if (table == nullptr) Fail(path, "a [[group]] entry is not a table");
    BenefitGroup group;
    group.id = RequiredString(*table, "id", path, "a [[group]] entry");
    group.name_da = RequiredString(*table, "name_da", path, "group " + group.id);
    group.name_en = RequiredString(*table, "name_en", path, "group " + group.id);
    if (const auto* members = (*table)["members"].as_array()) {
      for (const auto& member : *members) group.members.push_back(member.value_or(std::string()));
    }
    if (group.members.empty()) Fail(path, "group " + group.id + " has no members");
    lists.benefit_groups.push_back(std::move(group));
  }
}

}  // namespace

std::optional<int> CodeList::Find(std::string_view code) const {
  for (size_t index = 0; index < codes.size(); ++index) {
    if (codes[index].code == code) return static_cast<int>(index);
  }
  return std::nullopt;
}

const CodeList* CodeLists::Find(std::string_view list_id) const {
  const auto found = lists.find(list_id);
  return found == lists.end() ? nullptr : &found->second;
}

CodeLists LoadCodeLists(const std::filesystem::path& catalog_dir) {
  const auto folder = catalog_dir / "codes";
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("{} is not a folder: expected the catalogue's code lists "
                                "(check --catalog)",
                                folder.string()));
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  CodeLists lists;
  for (const auto& path : files) {
    toml::table root;
    try {
      root = toml::parse_file(path.string());
    } catch (const toml::parse_error& parse_error) {
      Fail(path,
           fmt::format("line {}: {}", parse_error.source().begin.line, parse_error.description()));
    }
    const std::string id = RequiredString(root, "list", path, "the file");
    if (id == "benefit_group") {
      ReadBenefitGroups(root, path, lists);
    } else if (!lists.lists.emplace(id, ReadCodeList(root, path)).second) {
      Fail(path, "list '" + id + "' is defined twice");
    }
  }
  const CodeList* benefits = lists.Find("benefit");
  if (benefits == nullptr) Fail(folder, "no code list 'benefit'");
  for (const auto& group : lists.benefit_groups) {
    for (const auto& member : group.members) {
      if (!benefits->Find(member)) {
        Fail(folder / "benefit_groups.toml",
             fmt::format("group {}: member '{}' is not a benefit code", group.id, member));
      }
    }
  }
  return lists;
}

}  // namespace jobindsigt
