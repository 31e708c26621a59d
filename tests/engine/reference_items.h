#pragma once
// The reference evaluator's items: what a statistic counts (a contribution, a spell, a
// meeting, a payment, a resident), the values its categories are matched on and what it adds
// to a cell. Shared by reference_evaluator.cpp (building items) and reference_cells.cpp
// (placing them in cells).

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reference_evaluator.h"

namespace jobindsigt::test {

// Completed years on `day`, written out here rather than taken from src/common.
inline int WholeYears(DayNumber birth, DayNumber day) {
  const CivilDate born = CivilFromDays(birth);
  const CivilDate on = CivilFromDays(day);
  int age = on.year - born.year;
  if (on.month < born.month || (on.month == born.month && on.day < born.day)) --age;
  return age;
}

// One thing a statistic counts, with the values its categories are matched on and what it
// adds to a cell.
struct Item {
  int64_t person = 0;
  int municipality = 0;
  DayNumber day = 0;  // the evaluation day: age and duration are taken on it
  int duration = 0;   // whole weeks of the spell on `day`
  std::string benefit;
  std::string visitation;
  std::string fund;
  std::string status;  // status_after: the class; empty when left out
  DayNumber from = 0;  // contributions: the days of the record in the period
  DayNumber to = 0;
  double degree = 0;
  double weeks = 0;        // duration_ended: (end − start + 1) ÷ 7
  int survival_weeks = 0;  // survival: T
  bool ended = false;
  bool timely = false;
  int64_t cents = 0;
  bool resident = false;  // share_of_population: a resident, the denominator
};

struct Accumulator {
  std::set<int64_t> persons;
  double sum = 0;
  double denominator = 0;
  int64_t count = 0;
  int64_t timely = 0;
  int64_t cents = 0;
  int64_t left_out = 0;
  std::vector<std::pair<int, bool>> survival;  // (T, ended) per spell
};

struct ReferenceEvaluator::Block {
  engine::Statistic statistic = engine::Statistic::kPersons;
  const std::set<std::string>* group = nullptr;
  Period period;
  int months = 0;  // status_after: k
  std::vector<Item> items;
};

}  // namespace jobindsigt::test
