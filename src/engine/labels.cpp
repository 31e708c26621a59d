#include "engine/labels.h"

#include <fmt/format.h>

namespace jobindsigt::engine {

Labels StatisticLabels(Statistic statistic) {
  switch (statistic) {
    case Statistic::kPersons:
      return {"Personer", "Persons"};
    case Statistic::kFte:
      return {"Fuldtidspersoner", "Full-time persons"};
    case Statistic::kPersonsStart:
      return {"Personer ved periodens start", "Persons at the start of the period"};
    case Statistic::kPersonsEnd:
      return {"Personer ved periodens slutning", "Persons at the end of the period"};
    case Statistic::kSpellsStarted:
      return {"Påbegyndte forløb", "Spells started"};
    case Statistic::kPersonsStarted:
      return {"Personer med påbegyndt forløb", "Persons starting a spell"};
    case Statistic::kSpellsEnded:
      return {"Afsluttede forløb", "Spells ended"};
    case Statistic::kDurationEnded:
      return {"Varighed af afsluttede forløb (uger)", "Duration of ended spells (weeks)"};
    case Statistic::kSurvival:
      return {"Andel stadig på ydelsen (%)", "Share still on the benefit (%)"};
    case Statistic::kStatusAfter:
      return {"Afsluttede forløb efter status bagefter", "Ended spells by status afterwards"};
    case Statistic::kActivatedPersons:
      return {"Aktiverede personer", "Activated persons"};
    case Statistic::kActivatedFte:
      return {"Aktiverede fuldtidspersoner", "Activated full-time persons"};
    case Statistic::kActivationRate:
      return {"Aktiveringsgrad (%)", "Activation rate (%)"};
    case Statistic::kMeetingsDue:
      return {"Samtaler, der skulle holdes", "Meetings due"};
    case Statistic::kMeetingsTimely:
      return {"Rettidige samtaler", "Timely meetings"};
    case Statistic::kTimeliness:
      return {"Rettidighed (%)", "Timeliness (%)"};
    case Statistic::kMeetingsHeld:
      return {"Afholdte samtaler", "Meetings held"};
    case Statistic::kNoShows:
      return {"Udeblivelser", "No-shows"};
    case Statistic::kExpenditureGross:
      return {"Udgifter, brutto (kr.)", "Expenditure, gross (DKK)"};
    case Statistic::kExpenditureNet:
      return {"Udgifter, netto (kr.)", "Expenditure, net (DKK)"};
    case Statistic::kPopulation:
      return {"Befolkning 16-66 år", "Population aged 16-66"};
    case Statistic::kShareOfPopulation:
      return {"Andel af befolkningen (%)", "Share of the population (%)"};
  }
  return {"", ""};
}

Labels TotalLabels() {
  return {"I alt", "Total"};
}

Labels CountryLabels() {
  return {"Hele landet", "All of Denmark"};
}

Labels StatusAfterLabels(int state) {
  switch (state) {
    case 0:
      return {"På offentlig ydelse", "On a benefit"};
    case 1:
      return {"I beskæftigelse", "Employed"};
    case 2:
      return {"I uddannelse", "In education"};
    default:
      return {"Andet", "Other"};
  }
}

std::string JoinedForMessage(const std::vector<std::string>& items, size_t limit) {
  std::string text;
  for (size_t index = 0; index < items.size() && index < limit; ++index) {
    if (index > 0) text += ", ";
    text += items[index];
  }
  if (items.size() > limit) text += fmt::format(", … ({} in all)", items.size());
  return text;
}

}  // namespace jobindsigt::engine
