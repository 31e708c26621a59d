// A person's course through the labour market: spells on benefits, what follows them,
// activation offers and meetings while on them, work and education in between.

#include <algorithm>
#include <cmath>

#include "synth/person_life.h"

namespace jobindsigt::synth {

void DrawProfile(const World& world, int64_t person_seq, Random& random, PersonLife& life);

namespace {

enum StreamPurpose : uint64_t { kPersonStream = 0x50455253 };

bool IsCashType(Benefit benefit) {
  return benefit == Benefit::kKTH || benefit == Benefit::kUDH || benefit == Benefit::kINT ||
         benefit == Benefit::kSHO;
}

bool PerformanceAffectsDuration(Benefit benefit) {
  return benefit != Benefit::kFLX && benefit != Benefit::kFTP && benefit != Benefit::kEFT &&
         benefit != Benefit::kBAR;
}

bool ValidOn(Benefit benefit, DayNumber day) {
  switch (benefit) {
    case Benefit::kUDH:
      return day >= kEducationBenefitStart;
    case Benefit::kINT:
      return day >= kIntegrationStart && day < kSelfSupportStart;
    case Benefit::kSHO:
      return day >= kSelfSupportStart;
    case Benefit::kJAF:
      return day >= kJobClarificationStart;
    case Benefit::kRES:
      return day >= kResourceCourseStart;
    default:
      return true;
  }
}

class LifeWalker {
 public:
  LifeWalker(const World& world, PersonLife& life, Random& random)
      : world_(world), life_(life), profile_(life.profile), random_(random) {}

  void Run();

 private:
  struct SpellEnd {
    DayNumber end;
    bool exhausted;
  };

  int Age(DayNumber day) const { return AgeOnDay(profile_.birth, day); }
  const MunicipalityModel& MunicipalityAt(DayNumber day) const {
    return world_.municipalities()[life_.MunicipalityOn(day)];
  }
  DayNumber RandomDay(DayNumber from, DayNumber to) {
    return from + static_cast<DayNumber>(random_.Between(0, std::max(0, to - from)));
  }

  void StartLongTermStateAtSimulationStart();
  bool TryEarlyRetirement(DayNumber month_first, DayNumber month_last);
  bool DrawSpellStart(DayNumber from, DayNumber to, Benefit& benefit, DayNumber& start);
  Benefit RouteUnemployment(DayNumber day) const;
  void RunChain(Benefit benefit, DayNumber start);
  SpellEnd DrawSpellEnd(Benefit benefit, DayNumber start);
  void BuildRecords(Benefit benefit, DayNumber start, DayNumber end, int spell);
  void AddRecordsOfSegment(Benefit benefit, DayNumber from, DayNumber to, int spell,
                           DayNumber spell_start);
  void AddOffers(Benefit benefit, DayNumber start, DayNumber end);
  void AddMeetings(Benefit benefit, DayNumber start, DayNumber end);
  void StartEnrolment(DayNumber after);
  void StopWork(DayNumber day);
  int8_t DrawVisitation(Benefit benefit);

  const World& world_;
  PersonLife& life_;
  const PersonProfile& profile_;
  Random& random_;
  DayNumber day_ = 0;       // the first day not yet lived
  DayNumber hard_end_ = 0;  // the last day the person can be on a benefit
  DayNumber employed_since_ = kNever;
  int education_ = 9;
};

void LifeWalker::Run() {
  const DayNumber sim_start = FirstDayOfMonth(world_.simulation_start());
  day_ = std::max(profile_.present_from, sim_start);
  hard_end_ = std::min(profile_.departure, profile_.pension_day) - 1;
  education_ = profile_.education;
  const DayNumber walk_end = std::min(world_.cutoff_day(), hard_end_);
  if (Age(day_) >= 18 &&
      random_.Chance(profile_.education >= 3 && profile_.education <= 6 ? 0.82 : 0.62)) {
    employed_since_ = day_;
  }
  if (profile_.present_from <= sim_start) {
    StartLongTermStateAtSimulationStart();
  } else if (profile_.origin == 4 && Age(day_) >= 18 && day_ <= walk_end) {
    // Many refugees start on the cash-type benefit for newcomers on arrival.
    employed_since_ = kNever;
    if (random_.Chance(0.85)) RunChain(RouteUnemployment(day_), day_);
  }

  while (day_ <= walk_end) {
    const MonthIndex month = MonthOfDay(day_);
    const DayNumber month_last = std::min(LastDayOfMonth(month), walk_end);
    const int age = Age(day_);
    if (employed_since_ == kNever && age >= 18 &&
        random_.Chance(0.035 / std::sqrt(World::UnemploymentCycle(month)))) {
      employed_since_ = RandomDay(day_, month_last);
    }
    if (TryEarlyRetirement(day_, month_last)) continue;
    Benefit benefit;
    DayNumber start;
    if (DrawSpellStart(day_, month_last, benefit, start)) {
      RunChain(benefit, start);
    } else {
      day_ = month_last + 1;
    }
  }
  if (employed_since_ != kNever) StopWork(std::min(world_.cutoff_day(), hard_end_) + 1);
}

void LifeWalker::StartLongTermStateAtSimulationStart() {
  const DayNumber sim_start = day_;
  const int age = Age(sim_start);
  if (age < 18 || sim_start > hard_end_) return;
  const double health = MunicipalityAt(sim_start).health_factor;
  const double disability =
      std::min(0.25, 0.055 * std::exp(0.055 * (age - 40)) * health * profile_.frailty);
  const DayNumber adult = profile_.birth + 18 * 365;
  if (random_.Chance(disability)) {
    RunChain(Benefit::kFTP, RandomDay(std::max(adult, sim_start - 15 * 365), sim_start - 1));
  } else if (age >= 25 && random_.Chance(0.012 * health)) {
    RunChain(Benefit::kFLX, RandomDay(std::max(adult, sim_start - 6 * 365), sim_start - 1));
  } else if (profile_.insured && sim_start >= profile_.early_retirement_day &&
             random_.Chance(0.55)) {
    RunChain(Benefit::kEFT, RandomDay(profile_.early_retirement_day, sim_start - 1));
  }
}

bool LifeWalker::TryEarlyRetirement(DayNumber month_first, DayNumber month_last) {
  const DayNumber day = profile_.early_retirement_day;
  if (!profile_.insured || day < month_first || day > month_last || day > hard_end_) return false;
  // The share of each cohort that retires early fell after the 2011 reform.
  const int year = CivilFromDays(day).year;
  const double share = year <= 2011 ? 0.55 : std::max(0.18, 0.55 - 0.035 * (year - 2011));
  if (!random_.Chance(share)) return false;
  RunChain(Benefit::kEFT, day);
  return true;
}

Benefit LifeWalker::RouteUnemployment(DayNumber day) const {
  const bool newly_arrived = profile_.present_from > FirstDayOfMonth(world_.simulation_start()) &&
                             day - profile_.present_from < 365;
  if (profile_.insured && !newly_arrived && Age(day) >= 18) return Benefit::kADP;
  const bool immigrant = profile_.origin == 2 || profile_.origin == 4;
  if (immigrant && day >= kIntegrationStart && day - profile_.present_from < 9 * 365) {
    return day >= kSelfSupportStart ? Benefit::kSHO : Benefit::kINT;
  }
  const bool no_vocational_education = education_ == 1 || education_ == 2 || education_ == 9;
  if (day >= kEducationBenefitStart && Age(day) < 30 && no_vocational_education)
    return Benefit::kUDH;
  return Benefit::kKTH;
}

bool LifeWalker::DrawSpellStart(DayNumber from, DayNumber to, Benefit& benefit, DayNumber& start) {
  const int age = Age(from);
  if (age < 16 || from > hard_end_) return false;
  const MonthIndex month = MonthOfDay(from);
  const int month_of_year = MonthOfYear(month);
  const double fraction = static_cast<double>(to - from + 1) / DaysInMonth(month);
  const auto& municipality = MunicipalityAt(from);
  const bool employed = employed_since_ != kNever;
  static constexpr double kEducationFactor[10] = {0, 1.7, 1.25, 1.0, 0.8, 0.7, 0.6, 0, 0, 1.7};
  const double age_factor = age < 25 ? 1.5 : age < 30 ? 1.2 : age < 50 ? 1.0 : age < 60 ? 0.9 : 0.8;

  struct Candidate {
    Benefit benefit;
    double hazard;
  };
  std::array<Candidate, 8> candidates{};
  int count = 0;
  if (age >= 18) {
    const Benefit routed = RouteUnemployment(from);
    const double cycle = World::UnemploymentCycle(month);
    double hazard = 0.0068 * kEducationFactor[education_] * age_factor * (employed ? 1.0 : 2.2) *
                    World::UnemploymentSeason(month_of_year) * municipality.inflow_factor *
                    profile_.frailty;
    if (routed == Benefit::kADP) {
      hazard *= std::pow(cycle, 0.7);
    } else {
      hazard *= 0.8 * municipality.cash_factor * std::pow(cycle, 0.5);
      if (routed == Benefit::kUDH) hazard *= 0.6;
    }
    candidates[count++] = {routed, hazard};
    candidates[count++] = {Benefit::kSDP, 0.009 * (0.6 + age / 60.0) * (employed ? 1.0 : 0.5) *
                                              World::SicknessSeason(month_of_year) *
                                              World::SicknessCycle(month) *
                                              municipality.health_factor * profile_.frailty};
    const bool after_reform = from >= kResourceCourseStart;
    const double disability =
        0.00012 * std::exp(0.07 * (age - 40)) * municipality.health_factor * profile_.frailty;
    if (!after_reform) {
      candidates[count++] = {Benefit::kFTP, disability};
    } else if (age >= 40) {
      candidates[count++] = {Benefit::kFTP, 0.35 * disability};
    }
    if (after_reform) {
      candidates[count++] = {Benefit::kRES, 0.0001 * municipality.health_factor * profile_.frailty *
                                                (age < 40 ? 2.0 : 1.0)};
    }
    if (age >= 25 && age <= 62) {
      candidates[count++] = {Benefit::kFLX, 0.00004 * municipality.health_factor};
      candidates[count++] = {Benefit::kLED, 0.00025 * municipality.health_factor};
    }
    candidates[count++] = {Benefit::kFRV, 0.00012 * municipality.health_factor};
  }
  const bool parent_age = profile_.female ? (age >= 22 && age <= 44) : (age >= 22 && age <= 49);
  if (parent_age) candidates[count++] = {Benefit::kBAR, profile_.female ? 0.0072 : 0.0058};

  double draw = random_.Uniform();
  for (int index = 0; index < count; ++index) {
    draw -= candidates[index].hazard * fraction;
    if (draw < 0) {
      benefit = candidates[index].benefit;
      start = RandomDay(from, to);
      return true;
    }
  }
  return false;
}

LifeWalker::SpellEnd LifeWalker::DrawSpellEnd(Benefit benefit, DayNumber start) {
  const BenefitParams& params = ParamsOf(benefit);
  if (benefit == Benefit::kFTP || benefit == Benefit::kEFT) return {hard_end_, false};
  double weeks;
  if (benefit == Benefit::kBAR) {
    weeks = profile_.female ? std::clamp(44.0 + 4.0 * random_.Normal(), 20.0, 52.0)
                            : std::clamp(random_.LogNormal(4.0, 0.6), 1.0, 30.0);
  } else {
    weeks = random_.LogNormal(params.median_weeks, params.sigma);
    if (PerformanceAffectsDuration(benefit)) weeks *= MunicipalityAt(start).duration_factor;
    if (benefit == Benefit::kADP || IsCashType(benefit))
      weeks *= World::DurationCycle(MonthOfDay(start));
  }
  double max_weeks = params.max_weeks;
  if (benefit == Benefit::kADP && start < kShorterInsuredPeriod) max_weeks = 208;
  bool exhausted = false;
  if (max_weeks > 0 && weeks >= max_weeks) {
    weeks = max_weeks;
    exhausted = true;
  }
  const DayNumber end = start + std::max(1, static_cast<int>(std::lround(weeks * 7.0))) - 1;
  return {std::min(end, hard_end_), exhausted && end <= hard_end_};
}

void LifeWalker::StopWork(DayNumber day) {
  if (employed_since_ != kNever && employed_since_ < day) {
    life_.work.push_back({employed_since_, day - 1});
  }
  employed_since_ = kNever;
}

void LifeWalker::RunChain(Benefit benefit, DayNumber start) {
  while (true) {
    StopWork(start);
    const SpellEnd spell_end = DrawSpellEnd(benefit, start);
    const DayNumber end = spell_end.end;
    const int spell = static_cast<int>(life_.spell_ends.size());
    life_.spell_ends.push_back(end);
    BuildRecords(benefit, start, end, spell);
    day_ = end + 1;
    if (end >= world_.cutoff_day() || end >= hard_end_) return;

    const BenefitParams& params = ParamsOf(benefit);
    const int age = Age(end);
    const double weeks = (end - start + 1) / 7.0;
    if (benefit == Benefit::kADP && spell_end.exhausted && random_.Chance(0.45)) {
      benefit =
          RouteUnemployment(end + 1) == Benefit::kADP ? Benefit::kKTH : RouteUnemployment(end + 1);
      start = end + 1;
      continue;
    }
    double draw = random_.Uniform();
    bool moved_on = false;
    for (const Transition& transition : params.transitions) {
      double probability = transition.probability;
      if (probability <= 0 || !ValidOn(transition.next, end + 1)) continue;
      if (benefit == Benefit::kSDP && transition.next == Benefit::kJAF && weeks < 22)
        probability = 0;
      if (benefit == Benefit::kSDP && transition.next == Benefit::kJAF) probability *= 8;
      draw -= probability;
      if (draw < 0) {
        benefit = transition.next == Benefit::kKTH ? RouteUnemployment(end + 1) : transition.next;
        if (benefit == Benefit::kADP && !profile_.insured) benefit = RouteUnemployment(end + 1);
        start = end + 1 + static_cast<DayNumber>(random_.Chance(0.7) ? 0 : random_.Between(1, 14));
        moved_on = true;
        break;
      }
    }
    if (moved_on) {
      if (start > hard_end_) return;
      continue;
    }
    const double cycle = World::UnemploymentCycle(MonthOfDay(end));
    const double to_employment = params.to_employment / std::pow(cycle, 0.3);
    const double to_education = params.to_education * (age < 30 ? 2.5 : age < 40 ? 0.8 : 0.1);
    const bool repeats =
        benefit == Benefit::kADP || benefit == Benefit::kSDP || IsCashType(benefit);
    if (draw < to_employment) {
      employed_since_ = end + 1 + static_cast<DayNumber>(random_.Between(0, 20));
    } else if (draw < to_employment + to_education && age < 50) {
      StartEnrolment(end);
      return;
    }
    // Some come back within weeks: these gaps put the four-week rule to work.
    if (repeats && random_.Chance(0.07)) {
      start = end + 1 + static_cast<DayNumber>(random_.Between(3, 75));
      if (start > hard_end_ || start > world_.cutoff_day()) return;
      continue;
    }
    return;
  }
}

void LifeWalker::StartEnrolment(DayNumber after) {
  const DayNumber from = after + static_cast<DayNumber>(random_.Between(1, 45));
  static constexpr int kNextLevel[10] = {0, 3, 5, 4, 5, 6, 6, 0, 0, 3};
  int level = kNextLevel[education_];
  if (education_ == 1 && Age(from) < 25 && random_.Chance(0.5)) level = 2;
  if (education_ == 2 && random_.Chance(0.4)) level = 3;
  static constexpr double kYears[7] = {0, 0, 3.0, 3.0, 2.0, 3.0, 2.0};
  const double years = kYears[level] + 0.5 * random_.Normal() * 0.5;
  const bool completed = random_.Chance(0.68);
  const int planned_days = static_cast<int>(years * 365.25);
  const DayNumber to =
      completed
          ? from + planned_days
          : from + static_cast<DayNumber>(random_.Between(60, std::max(61, planned_days * 6 / 10)));
  life_.enrolments.push_back({from, to, level, completed});
  if (completed && to < hard_end_) {
    life_.education_changes.push_back({to + 1, level});
    education_ = level;
  }
  day_ = to + 1;
  if (completed && random_.Chance(0.8))
    employed_since_ = to + 1 + static_cast<DayNumber>(random_.Between(0, 60));
}

int8_t LifeWalker::DrawVisitation(Benefit benefit) {
  const double draw = random_.Uniform();
  switch (benefit) {
    case Benefit::kKTH:
      return draw < (education_ >= 3 && education_ <= 6 ? 0.5 : 0.3) ? kJP : kAP;
    case Benefit::kUDH:
      return draw < 0.4 ? kUP : draw < 0.7 ? kOUP : kAP;
    case Benefit::kINT:
    case Benefit::kSHO:
      return draw < 0.6 ? kJP : kAP;
    default:
      return kNoVisitation;
  }
}

void LifeWalker::BuildRecords(Benefit benefit, DayNumber start, DayNumber end, int spell) {
  // Rule changes inside a spell: the cash benefit of the young became education benefit in
  // 2014; integration allowance became self-support allowance in mid-2019.
  DayNumber switch_day = kNever;
  Benefit successor = benefit;
  if (benefit == Benefit::kKTH && start < kEducationBenefitStart && end >= kEducationBenefitStart &&
      Age(kEducationBenefitStart) < 30 && (education_ == 1 || education_ == 2 || education_ == 9)) {
    switch_day = kEducationBenefitStart;
    successor = Benefit::kUDH;
  } else if (benefit == Benefit::kINT && end >= kSelfSupportStart) {
    switch_day = kSelfSupportStart;
    successor = Benefit::kSHO;
  }
  if (switch_day == kNever) {
    AddRecordsOfSegment(benefit, start, end, spell, start);
    AddOffers(benefit, start, end);
    AddMeetings(benefit, start, end);
    return;
  }
  AddRecordsOfSegment(benefit, start, switch_day - 1, spell, start);
  AddOffers(benefit, start, switch_day - 1);
  AddMeetings(benefit, start, switch_day - 1);
  AddRecordsOfSegment(successor, switch_day, end, spell, start);
  AddOffers(successor, switch_day, end);
  AddMeetings(successor, switch_day, end);
}

void LifeWalker::AddRecordsOfSegment(Benefit benefit, DayNumber from, DayNumber to, int spell,
                                     DayNumber spell_start) {
  const BenefitParams& params = ParamsOf(benefit);
  const DayNumber last_written = world_.cutoff_day();
  int8_t visitation = DrawVisitation(benefit);
  DayNumber cursor = from;
  while (cursor <= to && cursor <= last_written) {
    const int length = std::max(7, static_cast<int>(random_.Exponential(params.record_days_mean)));
    DayNumber record_to = std::min<DayNumber>(to, cursor + length - 1);
    for (const auto& residence : life_.residences) {
      if (residence.from > cursor && residence.from <= record_to) {
        record_to = residence.from - 1;
        break;
      }
    }
    DayNumber next = record_to + 1;
    if (record_to < to && record_to - cursor > 40) {
      if (random_.Chance(0.03)) {
        record_to -=
            static_cast<DayNumber>(random_.Between(1, 27));  // a short gap inside the spell
      } else if (random_.Chance(0.01)) {
        next -= static_cast<DayNumber>(random_.Between(1, 10));  // overlapping records
      }
    }
    int degree = 100;
    if (benefit == Benefit::kADP && random_.Chance(0.1))
      degree = static_cast<int>(random_.Between(20, 90));
    if (benefit == Benefit::kSDP && random_.Chance(0.15))
      degree = random_.Chance(0.6) ? 50 : static_cast<int>(random_.Between(25, 75));
    if (visitation != kNoVisitation && random_.Chance(0.12)) visitation = DrawVisitation(benefit);
    BenefitRecord record{};
    record.from = cursor;
    record.to = record_to;
    record.benefit = benefit;
    record.municipality = life_.MunicipalityOn(cursor);
    record.degree_pct = degree;
    record.visitation = visitation;
    record.fund = benefit == Benefit::kADP ? static_cast<int8_t>(profile_.fund) : 0;
    record.spell = spell;
    record.spell_start = spell_start;
    life_.benefits.push_back(record);
    cursor = next;
  }
}

void LifeWalker::AddOffers(Benefit benefit, DayNumber start, DayNumber end) {
  const BenefitParams& params = ParamsOf(benefit);
  if (params.offer_hazard <= 0) return;
  const DayNumber last = std::min(end, world_.cutoff_day());
  DayNumber cursor = start + static_cast<DayNumber>(random_.Between(7, 40));
  static constexpr int kMinWeeks[kOfferTypeCount] = {2, 13, 13, 2, 6, 8};
  static constexpr int kMaxWeeks[kOfferTypeCount] = {13, 26, 26, 8, 40, 13};
  while (cursor <= last) {
    const auto& municipality = MunicipalityAt(cursor);
    const double era = CivilFromDays(cursor).year <= 2015 ? 1.35 : 1.0;
    if (!random_.Chance(params.offer_hazard * municipality.activation_factor * era)) {
      cursor += 30;
      continue;
    }
    double draw = random_.Uniform();
    int type = 0;
    for (; type < kOfferTypeCount - 1; ++type) {
      draw -= params.offer_mix[type];
      if (draw < 0) break;
    }
    if (type == static_cast<int>(OfferType::kNYT) && cursor < kEducationBenefitStart) {
      type = static_cast<int>(OfferType::kVOO);  // utility work exists from 2014
    }
    const int weeks = static_cast<int>(random_.Between(kMinWeeks[type], kMaxWeeks[type]));
    OfferRecord offer{};
    offer.from = cursor;
    offer.planned_to = cursor + weeks * 7 - 1;
    offer.to = std::min(offer.planned_to, end);
    if (random_.Chance(0.08))
      offer.to =
          std::min(offer.to, cursor + static_cast<DayNumber>(random_.Between(3, weeks * 7 - 1)));
    offer.type = static_cast<OfferType>(type);
    offer.municipality = life_.MunicipalityOn(cursor);
    const bool other_actor =
        (type == 3 || type == 4) && random_.Chance(municipality.other_actor_share);
    offer.provider = other_actor ? municipality.other_actors[random_.Between(0, 2)] : 0;
    static constexpr int kHours[kOfferTypeCount] = {25, 37, 37, 20, 30, 25};
    offer.hours_per_week =
        std::clamp(kHours[type] + static_cast<int>(random_.Between(-5, 5)), 5, 37);
    const double weekly_price = type == 1 || type == 2
                                    ? offer.hours_per_week * random_.Between(70, 130)
                                : other_actor ? random_.Between(1200, 3800)
                                : type == 4   ? random_.Between(500, 2500)
                                              : 0;
    offer.price_hundredths = static_cast<int64_t>(std::llround(weekly_price * weeks * 100));
    life_.offers.push_back(offer);
    cursor = offer.to + 1 + static_cast<DayNumber>(random_.Between(14, 120));
  }
}

void LifeWalker::AddMeetings(Benefit benefit, DayNumber start, DayNumber end) {
  const BenefitParams& params = ParamsOf(benefit);
  if (params.first_meeting_days <= 0) return;
  const DayNumber last = std::min(end, world_.cutoff_day() + 60);
  DayNumber due =
      start + params.first_meeting_days + static_cast<DayNumber>(random_.Between(-5, 5));
  int number = 0;
  int caseworker = 0;
  while (due <= last) {
    const auto& municipality = MunicipalityAt(due);
    MeetingRecord meeting{};
    meeting.due = due;
    meeting.municipality = life_.MunicipalityOn(due);
    meeting.department = params.department;
    if (number == 0 || random_.Chance(0.2)) {
      caseworker =
          static_cast<int>(random_.Between(1, 1 + static_cast<int>(municipality.staffing * 12)));
    }
    meeting.caseworker = caseworker;
    meeting.type = benefit == Benefit::kSDP                  ? 3
                   : benefit == Benefit::kADP && number == 0 ? 1
                   : random_.Chance(0.1)                     ? 2
                                                             : 0;
    const double no_show =
        params.no_show_rate * municipality.no_show_factor * (Age(due) < 30 ? 1.4 : 1.0);
    const double draw = random_.Uniform();
    if (draw < 0.03) {
      meeting.outcome = MeetingOutcome::kCancelled;
      meeting.held = kNever;
    } else if (draw < 0.03 + no_show) {
      meeting.outcome = MeetingOutcome::kNoShow;
      meeting.held = kNever;
    } else {
      meeting.outcome = MeetingOutcome::kHeld;
      meeting.held = random_.Chance(municipality.timeliness)
                         ? std::max(start, due - static_cast<DayNumber>(random_.Between(0, 12)))
                         : due + static_cast<DayNumber>(random_.Between(1, 40));
    }
    life_.meetings.push_back(meeting);
    const int interval =
        benefit == Benefit::kADP && due - start > 180 ? 91 : params.meeting_interval_days;
    due += interval + static_cast<DayNumber>(random_.Between(-10, 10));
    ++number;
  }
}

}  // namespace

void SimulatePerson(const World& world, int64_t person_seq, PersonLife& life) {
  life.Clear();
  Random random(StreamKey(world.seed(), kPersonStream, static_cast<uint64_t>(person_seq)));
  DrawProfile(world, person_seq, random, life);
  LifeWalker walker(world, life, random);
  walker.Run();
}

}  // namespace jobindsigt::synth
