#pragma once
// The query of measures.md: the one request every interface (Databank, API, command line)
// maps onto. This is the parsed form; `ResolveQuery` (query_resolver.h) checks it against the
// catalogue and the release and fixes the answer's layout.

#include <optional>
#include <string>
#include <vector>

#include "common/period.h"

namespace jobindsigt::engine {

enum class Statistic {
  kPersons,
  kFte,
  kPersonsStart,
  kPersonsEnd,
  kSpellsStarted,
  kPersonsStarted,
  kSpellsEnded,
  kDurationEnded,
  kSurvival,
  kStatusAfter,
  kActivatedPersons,
  kActivatedFte,
  kActivationRate,
  kMeetingsDue,
  kMeetingsTimely,
  kTimeliness,
  kMeetingsHeld,
  kNoShows,
  kExpenditureGross,
  kExpenditureNet,
  kPopulation,
  kShareOfPopulation,
};
inline constexpr int kStatisticCount = 22;

std::string_view StatisticId(Statistic statistic);
std::optional<Statistic> ParseStatistic(std::string_view id);
// Whether totals of the statistic are sums of their parts (fte, spells, meetings, …).
bool IsAdditive(Statistic statistic);
// Whether the value is a ratio or mean with its own denominator (rates, durations, survival).
bool IsRatio(Statistic statistic);
// The kinds of statistic, said once (inline: the passes ask per cell).
// Expenditure: from the payments or the release's sums, for periods of whole months only.
inline bool IsExpenditure(Statistic statistic) {
  return statistic == Statistic::kExpenditureGross || statistic == Statistic::kExpenditureNet;
}
// The population statistics: from the resident table.
inline bool IsPopulation(Statistic statistic) {
  return statistic == Statistic::kPopulation || statistic == Statistic::kShareOfPopulation;
}
// The activation statistics: counted from the days in offers (activated persons, fte, rate).
inline bool IsActivation(Statistic statistic) {
  return statistic == Statistic::kActivatedPersons || statistic == Statistic::kActivatedFte ||
         statistic == Statistic::kActivationRate;
}
// The meeting statistics counted on the meeting's due day, and all the meeting statistics
// (meetings_held is counted on the day the meeting was held).
inline bool IsDueDayMeetingStatistic(Statistic statistic) {
  return statistic == Statistic::kMeetingsDue || statistic == Statistic::kMeetingsTimely ||
         statistic == Statistic::kTimeliness || statistic == Statistic::kNoShows;
}
inline bool IsMeetingStatistic(Statistic statistic) {
  return IsDueDayMeetingStatistic(statistic) || statistic == Statistic::kMeetingsHeld;
}

enum class AreaLevel {
  kCountry,
  kRegion,
  kLandsdel,
  kMunicipalityGroup,
  kJobcentre,
  kMunicipality,
  kCluster,
};
std::string_view AreaLevelId(AreaLevel level);
std::optional<AreaLevel> ParseAreaLevel(std::string_view id);

enum class BreakdownKind {
  kAge,
  kSex,
  kOrigin,
  kEducation,
  kDuration,
  kBenefit,
  kVisitation,
  kUnemploymentFund,
  kOfferType,
  kProvider,
  kStatusAfter,
  kSurvivalWeek,
};
std::string_view BreakdownId(BreakdownKind kind);
std::optional<BreakdownKind> ParseBreakdown(std::string_view id);
// Age and duration take bands; survival_week takes weeks; status_after takes months.
bool TakesBands(BreakdownKind kind);

// A band of completed years or whole weeks: `low-high` (both included) or `low-`.
struct Band {
  std::string text;
  int low = 0;
  std::optional<int> high;
  bool Contains(int value) const { return value >= low && (!high || value <= *high); }
};
// Parses "16-24" or "50-"; nullopt for anything else (negative, high < low, spaces, …).
std::optional<Band> ParseBand(std::string_view text);

// A named set of codes: a custom area group (municipality codes) or a set of a code
// breakdown's values shown as one category ("immigrants and descendants" = origin 2–5).
struct NamedSet {
  std::string name;  // the category id in the answer
  std::vector<std::string> members;
};

struct BreakdownRequest {
  BreakdownKind by = BreakdownKind::kSex;
  std::vector<Band> bands;          // age, duration: the bands in order (no overlap)
  std::vector<std::string> values;  // code breakdowns: the codes to show; empty = all codes
                                    // (when no groups are given either)
  std::vector<NamedSet> groups;     // code breakdowns: sets of codes shown as one category
  int months = 0;                   // status_after: k months after the end month
  std::vector<int> weeks;           // survival_week: the k values; empty = 0 … 104
  bool total = false;               // add the category `_T`
};

struct AreaRequest {
  AreaLevel level = AreaLevel::kCountry;
  // Codes of the level. Left out (values_given false): every value of the level, groups or
  // not; given as an empty list: none, only the groups.
  std::vector<std::string> values;
  bool values_given = false;
  std::vector<NamedSet> groups;  // members: municipality codes
  bool total = false;
};

// One entry of the first dimension: a statistic over a benefit group, named by a
// catalogue measure or by the statistic itself.
struct MeasureRequest {
  std::string id;  // category id in the answer: the measure id or the statistic id
  Statistic statistic = Statistic::kPersons;
  std::vector<std::string> benefits;  // codes or one catalogue group id; empty = the query's
  // A catalogue measure: statistic and benefits come from its definition.
  bool from_catalogue = false;
};

struct Query {
  std::string release = "latest";
  std::vector<MeasureRequest> measures;
  std::vector<std::string> benefits;  // benefit codes (an ad hoc group) or one group id
  std::vector<std::string> periods;   // period ids as given ("2024M01", …)
  AreaRequest areas;
  std::vector<BreakdownRequest> breakdowns;
};

}  // namespace jobindsigt::engine
