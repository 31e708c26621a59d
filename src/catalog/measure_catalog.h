#pragma once
// The measure catalogue (catalog/measures/*.toml): measures as named presets of the query, the
// Databank's menu (subjects, topics, measure groups) and the band sets it offers. It is read at
// run time and checked against the code lists and the engine's statistics and breakdowns, so a
// new measure is a file edit that fails at load time, not at query time (docs/catalogue.md).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/code_lists.h"
#include "engine/query.h"

namespace jobindsigt {

// A subject (ydelsesområde: benefits and benefit groups the menu shows together) or a topic
// (a kind of measure across subjects, for the entrance by measure).
struct MenuEntry {
  std::string id;
  std::string name_da;
  std::string name_en;
  std::string doc_da;
  std::string doc_en;
  int order = 0;
  std::vector<std::string> benefits;  // subjects only: benefit codes and benefit group ids
};

// A measure group (målingsgruppe): the measures of one topic within one subject.
struct MeasureGroup {
  std::string id;
  std::string name_da;
  std::string name_en;
  std::string doc_da;
  std::string doc_en;
  std::string subject;
  std::string topic;
  int order = 0;
};

// Bands the Databank offers for `age` or `duration`; one set per breakdown is the default.
struct BandSet {
  std::string id;
  engine::BreakdownKind breakdown = engine::BreakdownKind::kAge;
  bool is_default = false;
  std::string name_da;
  std::string name_en;
  std::string doc_da;
  std::string doc_en;
  std::vector<engine::Band> bands;
};

struct MeasureDefinition {
  std::string id;
  std::string name_da;
  std::string name_en;
  std::string group;
  std::string statistic_id;
  engine::Statistic statistic = engine::Statistic::kPersons;
  std::vector<std::string> benefits;       // as written: one benefit group id or benefit codes
  std::vector<std::string> benefit_codes;  // the group's members, in the benefit list's order
  std::vector<std::string> default_breakdown_ids;
  std::vector<engine::BreakdownKind> default_breakdowns;
  std::vector<std::string> allowed_breakdown_ids;
  std::vector<engine::BreakdownKind> allowed_breakdowns;
  std::optional<int> status_after_months;  // status_after only: k months after the end month
  std::string age_bands;                   // band set ids; the default set when none is named
  std::string duration_bands;
  std::string unit;
  int decimals = 0;
  std::string frequency;
  std::vector<std::string> sources;  // source ids of catalog/dataflows/sources
  std::string doc_da;                // plain: what the number says
  std::string doc_en;
  std::string technical_da;  // exact: sources, fields and rules
  std::string technical_en;
  std::string file;  // the file it came from, for messages

  bool Allows(engine::BreakdownKind kind) const;
};

struct MeasureCatalog {
  std::vector<MenuEntry> subjects;  // in file order; `order` is the menu order
  std::vector<MenuEntry> topics;
  std::vector<MeasureGroup> groups;
  std::vector<BandSet> band_sets;
  std::vector<MeasureDefinition> measures;  // files by name, then file order

  const MeasureDefinition* Find(std::string_view id) const;
  const MeasureGroup* FindGroup(std::string_view id) const;
  const BandSet* FindBandSet(std::string_view id) const;
};

// Reads catalog/measures: groups.toml (subjects, topics, groups), bands.toml (band sets) and
// every other *.toml as [[measure]] entries. Throws UserError(kBadCatalog) naming the file, the
// entry and the field, and what is allowed, for anything the engine could not answer or a
// reader could misread: unknown ids, breakdowns that do not apply, unknown or missing fields.
MeasureCatalog LoadMeasureCatalog(const std::filesystem::path& catalog_dir, const CodeLists& codes);

}  // namespace jobindsigt
