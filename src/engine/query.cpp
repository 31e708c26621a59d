#include "engine/query.h"

#include <array>
#include <utility>

namespace jobindsigt::engine {
namespace {

constexpr std::array<std::pair<Statistic, std::string_view>, kStatisticCount> kStatistics = {{
    {Statistic::kPersons, "persons"},
    {Statistic::kFte, "fte"},
    {Statistic::kPersonsStart, "persons_start"},
    {Statistic::kPersonsEnd, "persons_end"},
    {Statistic::kSpellsStarted, "spells_started"},
    {Statistic::kPersonsStarted, "persons_started"},
    {Statistic::kSpellsEnded, "spells_ended"},
    {Statistic::kDurationEnded, "duration_ended"},
    {Statistic::kSurvival, "survival"},
    {Statistic::kStatusAfter, "status_after"},
    {Statistic::kActivatedPersons, "activated_persons"},
    {Statistic::kActivatedFte, "activated_fte"},
    {Statistic::kActivationRate, "activation_rate"},
    {Statistic::kMeetingsDue, "meetings_due"},
    {Statistic::kMeetingsTimely, "meetings_timely"},
    {Statistic::kTimeliness, "timeliness"},
    {Statistic::kMeetingsHeld, "meetings_held"},
    {Statistic::kNoShows, "no_shows"},
    {Statistic::kExpenditureGross, "expenditure_gross"},
    {Statistic::kExpenditureNet, "expenditure_net"},
    {Statistic::kPopulation, "population"},
    {Statistic::kShareOfPopulation, "share_of_population"},
}};

constexpr std::array<std::pair<AreaLevel, std::string_view>, 7> kAreaLevels = {{
    {AreaLevel::kCountry, "country"},
    {AreaLevel::kRegion, "region"},
    {AreaLevel::kLandsdel, "landsdel"},
    {AreaLevel::kMunicipalityGroup, "municipality_group"},
    {AreaLevel::kJobcentre, "jobcentre"},
    {AreaLevel::kMunicipality, "municipality"},
    {AreaLevel::kCluster, "cluster"},
}};

constexpr std::array<std::pair<BreakdownKind, std::string_view>, 12> kBreakdowns = {{
    {BreakdownKind::kAge, "age"},
    {BreakdownKind::kSex, "sex"},
    {BreakdownKind::kOrigin, "origin"},
    {BreakdownKind::kEducation, "education"},
    {BreakdownKind::kDuration, "duration"},
    {BreakdownKind::kBenefit, "benefit"},
    {BreakdownKind::kVisitation, "visitation"},
    {BreakdownKind::kUnemploymentFund, "unemployment_fund"},
    {BreakdownKind::kOfferType, "offer_type"},
    {BreakdownKind::kProvider, "provider"},
    {BreakdownKind::kStatusAfter, "status_after"},
    {BreakdownKind::kSurvivalWeek, "survival_week"},
}};

template <typename Enum, size_t N>
std::string_view IdOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [entry, id] : table) {
    if (entry == value) return id;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Find(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         std::string_view id) {
  for (const auto& [entry, entry_id] : table) {
    if (entry_id == id) return entry;
  }
  return std::nullopt;
}

std::optional<int> Number(std::string_view text) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int value = 0;
  for (const char digit : text) {
    if (digit < '0' || digit > '9') return std::nullopt;
    value = value * 10 + (digit - '0');
  }
  return value;
}

}  // namespace

std::string_view StatisticId(Statistic statistic) {
  return IdOf(kStatistics, statistic);
}
std::optional<Statistic> ParseStatistic(std::string_view id) {
  return Find(kStatistics, id);
}

bool IsAdditive(Statistic statistic) {
  switch (statistic) {
    case Statistic::kFte:
    case Statistic::kSpellsStarted:
    case Statistic::kSpellsEnded:
    case Statistic::kActivatedFte:
    case Statistic::kMeetingsDue:
    case Statistic::kMeetingsTimely:
    case Statistic::kMeetingsHeld:
    case Statistic::kNoShows:
    case Statistic::kExpenditureGross:
    case Statistic::kExpenditureNet:
    case Statistic::kPopulation:
    case Statistic::kStatusAfter:
      return true;
    default:
      return false;
  }
}

bool IsRatio(Statistic statistic) {
  switch (statistic) {
    case Statistic::kDurationEnded:
    case Statistic::kSurvival:
    case Statistic::kActivationRate:
    case Statistic::kTimeliness:
    case Statistic::kShareOfPopulation:
      return true;
    default:
      return false;
  }
}

std::string_view AreaLevelId(AreaLevel level) {
  return IdOf(kAreaLevels, level);
}
std::optional<AreaLevel> ParseAreaLevel(std::string_view id) {
  return Find(kAreaLevels, id);
}

std::string_view BreakdownId(BreakdownKind kind) {
  return IdOf(kBreakdowns, kind);
}
std::optional<BreakdownKind> ParseBreakdown(std::string_view id) {
  return Find(kBreakdowns, id);
}

bool TakesBands(BreakdownKind kind) {
  return kind == BreakdownKind::kAge || kind == BreakdownKind::kDuration;
}

std::optional<Band> ParseBand(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const auto low = Number(text.substr(0, dash));
  if (!low) return std::nullopt;
  Band band{std::string(text), *low, std::nullopt};
  const std::string_view rest = text.substr(dash + 1);
  if (rest.empty()) return band;
  const auto high = Number(rest);
  if (!high || *high < *low) return std::nullopt;
  band.high = *high;
  return band;
}

}  // namespace jobindsigt::engine
