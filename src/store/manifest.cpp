#include "store/manifest.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "store/file_io.h"
#include "store/release_layout.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

// Manifests hold a list of files and a summary, never data: anything larger is not ours.
constexpr uint64_t kMaxManifestBytes = 64 << 20;

class ManifestParser {
 public:
  explicit ManifestParser(fs::path path) : path_(std::move(path)) {}

  [[noreturn]] void Fail(std::string_view what) const {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("release manifest {} {}", path_.string(), what));
  }

  const json& Field(const json& object, const char* key, json::value_t type) const {
    const auto found = object.find(key);
    const bool unsigned_wanted = type == json::value_t::number_unsigned;
    if (found == object.end() ||
        !(found->type() == type || (unsigned_wanted && found->is_number_unsigned()))) {
      Fail(fmt::format("is damaged: '{}' is missing or not a {}", key, json(type).type_name()));
    }
    return *found;
  }
  std::string String(const json& object, const char* key) const {
    return Field(object, key, json::value_t::string).get<std::string>();
  }
  uint64_t Unsigned(const json& object, const char* key) const {
    return Field(object, key, json::value_t::number_unsigned).get<uint64_t>();
  }

  ManifestFile File(const json& entry) const {
    if (!entry.is_object()) Fail("is damaged: a file entry is not an object");
    ManifestFile file;
    file.path = String(entry, "path");
    file.bytes = Unsigned(entry, "bytes");
    file.xxh3 = String(entry, "xxh3");
    if (entry.contains("rows")) file.rows = Unsigned(entry, "rows");
    if (!IsSafeRelativePath(file.path) || file.path == kManifestName) {
      Fail(fmt::format("is damaged: file path '{}' is not a path inside the release", file.path));
    }
    if (file.xxh3.size() != 16 || !std::all_of(file.xxh3.begin(), file.xxh3.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        })) {
      Fail(fmt::format("is damaged: the xxh3 of '{}' is not 16 hex digits", file.path));
    }
    return file;
  }

 private:
  fs::path path_;
};

}  // namespace

uint64_t Manifest::TotalBytes() const {
  uint64_t total = 0;
  for (const ManifestFile& file : files) total += file.bytes;
  return total;
}

const ManifestFile* Manifest::Find(std::string_view path) const {
  const auto found = std::find_if(files.begin(), files.end(),
                                  [&](const ManifestFile& file) { return file.path == path; });
  return found == files.end() ? nullptr : &*found;
}

std::string ManifestToJson(const Manifest& manifest) {
  json files = json::array();
  for (const ManifestFile& file : manifest.files) {
    json entry = {{"path", file.path}, {"bytes", file.bytes}, {"xxh3", file.xxh3}};
    if (file.rows) entry["rows"] = *file.rows;
    files.push_back(std::move(entry));
  }
  json months = json::array();
  for (const MonthIndex month : manifest.source_months) months.push_back(FormatYearMonth(month));
  const json document = {
      {"format_version", manifest.format_version},
      {"release_id", manifest.release_id},
      {"created_utc", manifest.created_utc},
      {"cut_off_day", FormatIsoDate(manifest.cut_off_day)},
      {"source_months", std::move(months)},
      {"files", std::move(files)},
      {"summary", manifest.summary},
  };
  return document.dump(2) + "\n";
}

Manifest ReadManifest(const fs::path& release_dir) {
  const fs::path path = release_dir / kManifestName;
  const ManifestParser parser(path);
  const json document =
      json::parse(ReadSmallFile(path, kMaxManifestBytes, "release manifest"), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    parser.Fail("is damaged: it is not a JSON object");
  }
  Manifest manifest;
  const uint64_t version = parser.Unsigned(document, "format_version");
  if (version > static_cast<uint64_t>(kManifestVersion)) {
    parser.Fail(
        fmt::format("was written by a newer Jobindsigt (manifest format version {}; this "
                    "build reads version {}): upgrade Jobindsigt to read it",
                    version, kManifestVersion));
  }
  if (version != static_cast<uint64_t>(kManifestVersion)) {
    parser.Fail(fmt::format("has unknown format version {}", version));
  }
  manifest.release_id = parser.String(document, "release_id");
  if (manifest.release_id != release_dir.filename().string()) {
    parser.Fail(fmt::format("names release '{}', not its folder's {}", manifest.release_id,
                            release_dir.filename().string()));
  }
  manifest.created_utc = parser.String(document, "created_utc");
  const auto cut_off = ParseIsoDate(parser.String(document, "cut_off_day"));
  if (!cut_off) parser.Fail("is damaged: 'cut_off_day' is not a YYYY-MM-DD date");
  manifest.cut_off_day = *cut_off;
  for (const json& month : parser.Field(document, "source_months", json::value_t::array)) {
    const auto parsed = month.is_string() ? ParseYearMonth(month.get<std::string>()) : std::nullopt;
    if (!parsed) parser.Fail("is damaged: 'source_months' holds something other than YYYY-MM");
    manifest.source_months.push_back(*parsed);
  }
  for (const json& entry : parser.Field(document, "files", json::value_t::array)) {
    manifest.files.push_back(parser.File(entry));
    if (manifest.files.size() > 1 &&
        !(manifest.files.end()[-2].path < manifest.files.back().path)) {
      parser.Fail("is damaged: its files are not in order or appear twice");
    }
  }
  manifest.summary = parser.Field(document, "summary", json::value_t::object);
  return manifest;
}

}  // namespace jobindsigt::store
