#include "synth/delivery_writer.h"

#include <algorithm>
#include <cmath>

#include "synth/row_text.h"

namespace jobindsigt::synth {
namespace {

enum StreamPurpose : uint64_t { kDeliveryStream = 0x44454c49, kRecordIdKey = 0x52454349 };

constexpr const char* kVisitationCodes[4] = {"JP", "AP", "UP", "OUP"};
constexpr const char* kMeetingTypes[4] = {"JS", "CV", "RD", "OP"};
constexpr const char* kOutcomes[3] = {"held", "no_show", "cancelled"};

class PersonRowWriter {
 public:
  PersonRowWriter(const World& world, const PersonLife& life, DeliveryBuffers& out)
      : world_(world),
        life_(life),
        out_(out),
        random_(StreamKey(world.seed(), kDeliveryStream, static_cast<uint64_t>(life.profile.seq))),
        history_from_(FirstDayOfMonth(world.first_delivery())),
        cutoff_(world.cutoff_day()) {}

  // Returns the first day of the earliest benefit record delivered, kNever if none.
  DayNumber Write() {
    if (life_.profile.departure < history_from_ || life_.profile.present_from > cutoff_)
      return kNever;
    WritePerson();
    WriteResidences();
    WriteBenefits();
    WriteOffers();
    WriteMeetings();
    WriteEducation();
    return first_delivered_benefit_;
  }

 private:
  // How many months after it happened a row is first reported.
  int ReportLag() {
    const double draw = random_.Uniform();
    if (draw < 0.86) return 0;
    if (draw < 0.96) return 1;
    if (draw < 0.99) return 2;
    return static_cast<int>(random_.Between(3, 6));
  }

  int64_t NextRecordId(SourceFile file) {
    const uint64_t counter =
        static_cast<uint64_t>(record_counters_[static_cast<int>(file)]++) & 0xffff;
    const uint64_t plain = (static_cast<uint64_t>(life_.profile.seq) << 20) |
                           (static_cast<uint64_t>(file) << 16) | counter;
    return static_cast<int64_t>(PermuteBits(plain, Mix64(world_.seed() ^ kRecordIdKey), 48)) + 1;
  }

  int MunicipalityCode(int index) const {
    return index < 0 ? 0 : world_.municipalities()[index].info.code;
  }

  std::string* Row(MonthIndex delivery, SourceFile file) { return out_.Row(delivery, file); }

  void AppendPersonId(std::string& row) {
    AppendInt(row, life_.profile.person_id);
    row.push_back(';');
  }

  void WritePerson();
  void WriteResidences();
  void WriteBenefits();
  void AppendBenefitRow(MonthIndex delivery, int64_t id, const BenefitRecord& record, bool open,
                        char status);
  void WriteOffers();
  void AppendOfferRow(MonthIndex delivery, int64_t id, const OfferRecord& offer, DayNumber to);
  void WriteMeetings();
  void AppendMeetingRow(MonthIndex delivery, int64_t id, const MeetingRecord& meeting, char status);
  void WriteEducation();
  void AppendEducationRow(MonthIndex delivery, int64_t id, const Enrolment& enrolment, bool open);

  const World& world_;
  const PersonLife& life_;
  DeliveryBuffers& out_;
  Random random_;
  DayNumber history_from_;
  DayNumber cutoff_;
  int record_counters_[kSourceFileCount] = {};
  DayNumber first_delivered_benefit_ = kNever;
};

void PersonRowWriter::WritePerson() {
  const auto& profile = life_.profile;
  int education = profile.education;
  for (const auto& change : life_.education_changes) {
    if (change.day <= history_from_) education = change.level;
  }
  auto emit = [&](MonthIndex delivery, int level) {
    std::string* row = Row(delivery, SourceFile::kPersons);
    if (row == nullptr) return;
    AppendPersonId(*row);
    AppendIsoDate(*row, profile.birth);
    row->append(profile.female ? ";K;" : ";M;");
    AppendInt(*row, profile.origin);
    row->push_back(';');
    AppendInt(*row, level);
    row->push_back('\n');
  };
  // One version per delivery at most: a change reported in the same delivery as an earlier
  // version of the person replaces it there, and versions never go back in time.
  MonthIndex pending_delivery = std::max(world_.first_delivery(), MonthOfDay(profile.present_from));
  int pending_level = education;
  for (const auto& change : life_.education_changes) {
    if (change.day <= history_from_ || change.day > cutoff_) continue;
    const MonthIndex delivery =
        std::max(pending_delivery, MonthOfDay(change.day) + (random_.Chance(0.8) ? 0 : 1));
    if (delivery != pending_delivery) emit(pending_delivery, pending_level);
    pending_delivery = delivery;
    pending_level = change.level;
  }
  emit(pending_delivery, pending_level);
}

void PersonRowWriter::WriteResidences() {
  const DayNumber known_from = std::max(life_.profile.present_from, history_from_);
  size_t first = 0;
  for (size_t index = 0; index < life_.residences.size(); ++index) {
    if (life_.residences[index].from <= known_from) first = index;
  }
  for (size_t index = first; index < life_.residences.size(); ++index) {
    const Residence& residence = life_.residences[index];
    const MonthIndex delivery = index == first
                                    ? MonthOfDay(life_.profile.present_from)
                                    : MonthOfDay(residence.from) + (random_.Chance(0.9) ? 0 : 1);
    std::string* row = Row(delivery, SourceFile::kResidence);
    if (row == nullptr) continue;
    AppendPersonId(*row);
    AppendInt(*row, MunicipalityCode(residence.municipality));
    row->push_back(';');
    AppendIsoDate(*row, residence.from);
    row->push_back('\n');
  }
}

void PersonRowWriter::AppendBenefitRow(MonthIndex delivery, int64_t id, const BenefitRecord& record,
                                       bool open, char status) {
  std::string* row = Row(delivery, SourceFile::kBenefits);
  if (row == nullptr) return;
  AppendInt(*row, id);
  row->push_back(';');
  AppendPersonId(*row);
  row->append(CodeOf(record.benefit));
  row->push_back(';');
  AppendInt(*row, MunicipalityCode(record.municipality));
  row->push_back(';');
  AppendIsoDate(*row, record.from);
  row->push_back(';');
  if (!open) AppendIsoDate(*row, record.to);
  row->push_back(';');
  AppendHundredths(*row, record.degree_pct, '.');
  row->push_back(';');
  if (record.visitation >= 0) row->append(kVisitationCodes[record.visitation]);
  row->push_back(';');
  if (record.fund > 0) {
    row->push_back('F');
    AppendTwoDigits(*row, record.fund);
  }
  row->push_back(';');
  row->push_back(status);
  row->push_back('\n');
}

void PersonRowWriter::WriteBenefits() {
  const MonthIndex last = world_.last_delivery();
  for (const BenefitRecord& record : life_.benefits) {
    if (life_.spell_ends[record.spell] < history_from_ - 28 || record.from > cutoff_) continue;
    const int64_t id = NextRecordId(SourceFile::kBenefits);
    const MonthIndex first_report =
        std::max(world_.first_delivery(), MonthOfDay(record.from) + ReportLag());
    if (first_report > last) continue;
    first_delivered_benefit_ = std::min(first_delivered_benefit_, record.from);
    auto open_in = [&](MonthIndex delivery) { return record.to > LastDayOfMonth(delivery); };

    // A first version with an error, put right in a later delivery.
    MonthIndex latest = first_report;
    const MonthIndex correction = first_report + static_cast<int>(random_.Between(1, 3));
    if (correction <= last && random_.Chance(0.02)) {
      BenefitRecord wrong = record;
      if (random_.Chance(0.5)) {
        wrong.degree_pct = record.degree_pct == 100 ? 50 : 100;
      } else {
        wrong.from = std::min({record.to, LastDayOfMonth(first_report),
                               record.from + static_cast<DayNumber>(random_.Between(1, 14))});
      }
      AppendBenefitRow(first_report, id, wrong, open_in(first_report), 'A');
      AppendBenefitRow(correction, id, record, open_in(correction), 'A');
      latest = correction;
    } else {
      AppendBenefitRow(first_report, id, record, open_in(first_report), 'A');
    }
    // An open record is closed by a later version once its end is known.
    if (open_in(latest) && record.to <= cutoff_) {
      const MonthIndex closing = std::max(latest + 1, MonthOfDay(record.to) + ReportLag());
      if (closing <= last) AppendBenefitRow(closing, id, record, false, 'A');
    }
    // Now and then a record is reported by mistake and deleted again.
    const MonthIndex deletion = first_report + static_cast<int>(random_.Between(1, 4));
    if (deletion <= last && random_.Chance(0.004)) {
      BenefitRecord mistaken = record;
      mistaken.benefit = record.benefit == Benefit::kSDP ? Benefit::kKTH : Benefit::kSDP;
      mistaken.visitation = mistaken.benefit == Benefit::kKTH ? kAP : kNoVisitation;
      mistaken.fund = 0;
      mistaken.to = std::min(record.to, std::min(cutoff_, LastDayOfMonth(first_report)));
      const int64_t mistaken_id = NextRecordId(SourceFile::kBenefits);
      AppendBenefitRow(first_report, mistaken_id, mistaken, false, 'A');
      AppendBenefitRow(deletion, mistaken_id, mistaken, false, 'D');
    }
  }
}

void PersonRowWriter::AppendOfferRow(MonthIndex delivery, int64_t id, const OfferRecord& offer,
                                     DayNumber to) {
  std::string* row = Row(delivery, SourceFile::kOffers);
  if (row == nullptr) return;
  AppendInt(*row, id);
  row->push_back(';');
  AppendPersonId(*row);
  row->append(OfferTypeCode(offer.type));
  row->push_back(';');
  AppendInt(*row, MunicipalityCode(offer.municipality));
  row->push_back(';');
  AppendIsoDate(*row, offer.from);
  row->push_back(';');
  AppendIsoDate(*row, to);
  row->push_back(';');
  AppendInt(*row, offer.hours_per_week);
  row->push_back(';');
  if (offer.provider == 0) {
    row->append("JC");
  } else {
    row->append("AA0");
    AppendTwoDigits(*row, offer.provider);
  }
  row->push_back(';');
  AppendHundredths(*row, offer.price_hundredths, '.');
  row->append(";A\n");
}

void PersonRowWriter::WriteOffers() {
  const MonthIndex last = world_.last_delivery();
  for (const OfferRecord& offer : life_.offers) {
    if (offer.to < history_from_ || offer.from > cutoff_) continue;
    const int64_t id = NextRecordId(SourceFile::kOffers);
    const MonthIndex first_report =
        std::max(world_.first_delivery(), MonthOfDay(offer.from) + ReportLag());
    if (first_report > last) continue;
    // Offers are reported with their planned end; an early end comes as a correction.
    if (offer.to == offer.planned_to || offer.to <= LastDayOfMonth(first_report)) {
      AppendOfferRow(first_report, id, offer, offer.to);
      continue;
    }
    AppendOfferRow(first_report, id, offer, offer.planned_to);
    if (offer.to <= cutoff_) {
      const MonthIndex correction = std::max(first_report + 1, MonthOfDay(offer.to) + ReportLag());
      if (correction <= last) AppendOfferRow(correction, id, offer, offer.to);
    }
  }
}

void PersonRowWriter::AppendMeetingRow(MonthIndex delivery, int64_t id,
                                       const MeetingRecord& meeting, char status) {
  std::string* row = Row(delivery, SourceFile::kMeetings);
  if (row == nullptr) return;
  AppendInt(*row, id);
  row->push_back(';');
  AppendPersonId(*row);
  const int municipality_code = MunicipalityCode(meeting.municipality);
  AppendInt(*row, municipality_code);
  row->push_back(';');
  row->append(kMeetingTypes[meeting.type]);
  row->push_back(';');
  AppendIsoDate(*row, meeting.due);
  row->push_back(';');
  if (meeting.held != kNever) AppendIsoDate(*row, meeting.held);
  row->push_back(';');
  row->append(kOutcomes[static_cast<int>(meeting.outcome)]);
  row->append(";CW");
  AppendInt(*row, municipality_code);
  row->push_back('-');
  row->append(DepartmentCode(meeting.department));
  row->push_back('-');
  AppendTwoDigits(*row, meeting.caseworker % 100);
  row->push_back(';');
  row->append(DepartmentCode(meeting.department));
  row->push_back(';');
  row->push_back(status);
  row->push_back('\n');
}

void PersonRowWriter::WriteMeetings() {
  const MonthIndex last = world_.last_delivery();
  for (const MeetingRecord& meeting : life_.meetings) {
    if (meeting.due < history_from_) continue;
    const DayNumber known =
        meeting.held == kNever ? meeting.due : std::max(meeting.due, meeting.held);
    if (known > cutoff_) continue;
    const MonthIndex report = MonthOfDay(known) + ReportLag();
    if (report > last) continue;
    AppendMeetingRow(report, NextRecordId(SourceFile::kMeetings), meeting, 'A');
    const MonthIndex deletion = report + static_cast<int>(random_.Between(1, 3));
    if (deletion <= last && random_.Chance(0.005)) {
      const int64_t duplicate_id = NextRecordId(SourceFile::kMeetings);  // registered twice
      AppendMeetingRow(report, duplicate_id, meeting, 'A');
      AppendMeetingRow(deletion, duplicate_id, meeting, 'D');
    }
  }
}

void PersonRowWriter::AppendEducationRow(MonthIndex delivery, int64_t id,
                                         const Enrolment& enrolment, bool open) {
  std::string* row = Row(delivery, SourceFile::kEducation);
  if (row == nullptr) return;
  AppendInt(*row, id);
  row->push_back(';');
  AppendPersonId(*row);
  AppendIsoDate(*row, enrolment.from);
  row->push_back(';');
  if (!open) AppendIsoDate(*row, enrolment.to);
  row->push_back(';');
  AppendInt(*row, enrolment.level);
  row->append(";A\n");
}

void PersonRowWriter::WriteEducation() {
  const MonthIndex last = world_.last_delivery();
  for (const Enrolment& enrolment : life_.enrolments) {
    if (enrolment.to < history_from_ || enrolment.from > cutoff_) continue;
    const int64_t id = NextRecordId(SourceFile::kEducation);
    const MonthIndex first_report =
        std::max(world_.first_delivery(), MonthOfDay(enrolment.from) + ReportLag());
    if (first_report > last) continue;
    const bool open = enrolment.to > LastDayOfMonth(first_report);
    AppendEducationRow(first_report, id, enrolment, open);
    if (open && enrolment.to <= cutoff_) {
      const MonthIndex closing = std::max(first_report + 1, MonthOfDay(enrolment.to) + ReportLag());
      if (closing <= last) AppendEducationRow(closing, id, enrolment, false);
    }
  }
}

}  // namespace

void WritePersonRows(const World& world, const PersonLife& life, DeliveryBuffers& out) {
  PersonRowWriter writer(world, life, out);
  const DayNumber first_benefit = writer.Write();
  if (life.profile.departure < FirstDayOfMonth(world.first_delivery()) ||
      life.profile.present_from > world.cutoff_day()) {
    return;
  }
  WritePaymentRows(world, life, out);
  WriteEmploymentRows(world, life, first_benefit, out);
}

}  // namespace jobindsigt::synth
