// Payments (legacy finance file) and paid hours (employment register): one row per person
// and month, derived from the person's benefit records and work.

#include <algorithm>
#include <cmath>

#include "synth/delivery_writer.h"
#include "synth/row_text.h"

namespace jobindsigt::synth {
namespace {

enum StreamPurpose : uint64_t { kPaymentStream = 0x5041594d, kEmploymentStream = 0x454d504c };

constexpr char kIndustryLetters[] = "ABCDEFGHIJKLMNOPQRSTU";

struct PaymentLine {
  MonthIndex month;
  Benefit benefit;
  int municipality;
  int64_t gross_hundredths;
  int64_t refund_hundredths;
};

// The state's refund to the municipality: a flat share until the 2016 reform, then a share
// that falls with the weeks the person has been on public support.
double RefundShare(Benefit benefit, DayNumber day, DayNumber spell_start) {
  if (day < kRefundReform) {
    if (benefit == Benefit::kFTP) return 0.35;
    if (benefit == Benefit::kFLX) return 0.65;
    return 0.5;
  }
  if (benefit == Benefit::kFTP || benefit == Benefit::kFLX || benefit == Benefit::kLED) return 0.25;
  const int week = (day - spell_start) / 7 + 1;
  if (week <= 4) return 0.8;
  if (week <= 26) return 0.4;
  if (week <= 52) return 0.3;
  return 0.2;
}

void AppendPaymentRow(std::string& row, int64_t person_id, int municipality_code,
                      const PaymentLine& line, int64_t refund_hundredths) {
  AppendInt(row, person_id);
  row.push_back(';');
  AppendLegacyMonth(row, line.month);
  row.push_back(';');
  row.append(CodeOf(line.benefit));
  row.push_back(';');
  AppendInt(row, municipality_code);
  row.push_back(';');
  AppendHundredths(row, line.gross_hundredths, ',');
  row.push_back(';');
  AppendHundredths(row, refund_hundredths, ',');
  row.push_back('\n');
}

}  // namespace

void WritePaymentRows(const World& world, const PersonLife& life, DeliveryBuffers& out) {
  const MonthIndex first = world.first_delivery();
  const MonthIndex last = world.last_delivery();
  const DayNumber cutoff = world.cutoff_day();
  std::vector<PaymentLine> lines;
  for (const BenefitRecord& record : life.benefits) {
    const BenefitParams& params = ParamsOf(record.benefit);
    if (!params.paid_by_municipality) continue;
    const DayNumber to = std::min(record.to, cutoff);
    for (MonthIndex month = std::max(first, MonthOfDay(record.from)); month <= MonthOfDay(to);
         ++month) {
      const DayNumber from_day = std::max(record.from, FirstDayOfMonth(month));
      const DayNumber to_day = std::min(to, LastDayOfMonth(month));
      if (from_day > to_day) continue;
      const double index = std::pow(1.02, YearOfMonth(month) - 2008);
      const double gross =
          (to_day - from_day + 1) * params.daily_rate_dkk * index * record.degree_pct / 100.0;
      const double refund =
          gross * RefundShare(record.benefit, (from_day + to_day) / 2, record.spell_start);
      lines.push_back({month, record.benefit, record.municipality, std::llround(gross * 100),
                       std::llround(refund * 100)});
    }
  }
  if (lines.empty()) return;
  // Records that meet in one month are paid as one line.
  std::stable_sort(lines.begin(), lines.end(), [](const PaymentLine& a, const PaymentLine& b) {
    return std::tie(a.month, a.benefit, a.municipality) <
           std::tie(b.month, b.benefit, b.municipality);
  });
  size_t kept = 0;
  for (size_t index = 1; index < lines.size(); ++index) {
    PaymentLine& current = lines[kept];
    const PaymentLine& next = lines[index];
    if (next.month == current.month && next.benefit == current.benefit &&
        next.municipality == current.municipality) {
      current.gross_hundredths += next.gross_hundredths;
      current.refund_hundredths += next.refund_hundredths;
    } else {
      lines[++kept] = next;
    }
  }
  lines.resize(kept + 1);

  Random random(StreamKey(world.seed(), kPaymentStream, static_cast<uint64_t>(life.profile.seq)));
  const auto& municipalities = world.municipalities();
  for (const PaymentLine& line : lines) {
    const double draw = random.Uniform();
    const MonthIndex delivery = line.month + (draw < 0.85 ? 0 : draw < 0.97 ? 1 : 2);
    std::string* row = out.Row(delivery, SourceFile::kPayments);
    if (row == nullptr) continue;
    const int code = municipalities[line.municipality].info.code;
    // Now and then the refund is booked late: the line is first sent without it and
    // replaced (same key) in a later delivery.
    const MonthIndex correction = delivery + static_cast<int>(random.Between(1, 3));
    if (correction <= last && random.Chance(0.01)) {
      AppendPaymentRow(*row, life.profile.person_id, code, line, 0);
      AppendPaymentRow(*out.Row(correction, SourceFile::kPayments), life.profile.person_id, code,
                       line, line.refund_hundredths);
    } else {
      AppendPaymentRow(*row, life.profile.person_id, code, line, line.refund_hundredths);
    }
  }
}

void WriteEmploymentRows(const World& world, const PersonLife& life, DayNumber first_benefit,
                         DeliveryBuffers& out) {
  if (first_benefit == kNever) return;
  // The register holds the months after a person first got a benefit; month M is reported
  // with the delivery of month M+1, so the last delivered month has none yet.
  const MonthIndex first = std::max(world.first_delivery(), MonthOfDay(first_benefit));
  const MonthIndex last = world.last_delivery() - 1;
  if (first > last) return;
  std::vector<double> hours(static_cast<size_t>(last - first + 1), 0.0);
  const double full_hours = life.profile.full_hours;
  auto add = [&](DayNumber from, DayNumber to, double hours_per_full_month) {
    for (MonthIndex month = std::max(first, MonthOfDay(from));
         month <= std::min(last, MonthOfDay(to)); ++month) {
      const DayNumber overlap_from = std::max(from, FirstDayOfMonth(month));
      const DayNumber overlap_to = std::min(to, LastDayOfMonth(month));
      if (overlap_from > overlap_to) continue;
      hours[month - first] +=
          hours_per_full_month * (overlap_to - overlap_from + 1) / DaysInMonth(month);
    }
  };
  for (const WorkInterval& interval : life.work) add(interval.from, interval.to, full_hours);
  for (const BenefitRecord& record : life.benefits) {
    if (record.benefit == Benefit::kFLX) {
      add(record.from, record.to, 0.55 * full_hours);  // flexjob: reduced hours with a wage subsidy
    } else if ((record.benefit == Benefit::kADP || record.benefit == Benefit::kSDP) &&
               record.degree_pct < 100) {
      add(record.from, record.to, full_hours * (100 - record.degree_pct) / 100.0);
    }
  }
  Random random(
      StreamKey(world.seed(), kEmploymentStream, static_cast<uint64_t>(life.profile.seq)));
  for (MonthIndex month = first; month <= last; ++month) {
    const int64_t paid = std::llround(hours[month - first]);
    if (paid <= 0) continue;
    std::string* row = out.Row(month + (random.Chance(0.95) ? 1 : 2), SourceFile::kEmployment);
    if (row == nullptr) continue;
    AppendInt(*row, life.profile.person_id);
    row->push_back(';');
    AppendIsoMonth(*row, month);
    row->push_back(';');
    AppendInt(*row, paid);
    row->push_back(';');
    row->push_back(kIndustryLetters[life.profile.industry]);
    row->push_back('\n');
  }
}

}  // namespace jobindsigt::synth
