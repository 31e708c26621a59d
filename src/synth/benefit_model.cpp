#include "synth/benefit_model.h"

namespace jobindsigt::synth {
namespace {

using B = Benefit;
using D = Department;
constexpr Transition kNone{B::kADP, 0.0};

// Columns: code, department, paid by municipality, median weeks, sigma, max weeks,
// record days, daily rate, offer hazard, offer mix (VIP LTP LTO VOO ORU NYT),
// first meeting day, meeting interval, no-show rate, to employment, to education,
// transitions to other benefits.
constexpr std::array<BenefitParams, kBenefitCount> kParams = {{
    {"ADP", D::kJOB, true, 10, 0.95, 104, 75, 530, 0.060, {0.30, 0.20, 0.10, 0.30, 0.10, 0.00},
     21, 60, 0.03, 0.72, 0.04, {{{B::kSDP, 0.03}, {B::kKTH, 0.03}, kNone, kNone}}},
    {"KTH", D::kKON, true, 30, 1.20, 0, 110, 360, 0.050, {0.40, 0.05, 0.10, 0.20, 0.10, 0.15},
     30, 91, 0.10, 0.30, 0.07,
     {{{B::kRES, 0.05}, {B::kFTP, 0.03}, {B::kFLX, 0.02}, {B::kFRV, 0.02}}}},
    {"UDH", D::kKON, true, 24, 1.10, 0, 100, 200, 0.080, {0.35, 0.05, 0.05, 0.15, 0.30, 0.10},
     30, 91, 0.12, 0.33, 0.35, {{{B::kKTH, 0.02}, {B::kRES, 0.02}, kNone, kNone}}},
    {"INT", D::kINT, true, 70, 0.90, 0, 110, 190, 0.110, {0.60, 0.10, 0.05, 0.20, 0.05, 0.00},
     30, 91, 0.08, 0.40, 0.05, {{{B::kKTH, 0.05}, kNone, kNone, kNone}}},
    {"SHO", D::kINT, true, 70, 0.90, 0, 110, 195, 0.100, {0.60, 0.10, 0.05, 0.20, 0.05, 0.00},
     30, 91, 0.08, 0.38, 0.05, {{{B::kKTH, 0.05}, kNone, kNone, kNone}}},
    {"SDP", D::kSYG, true, 6, 1.05, 52, 60, 500, 0.012, {0.50, 0.00, 0.00, 0.40, 0.10, 0.00},
     50, 56, 0.04, 0.84, 0.01,
     {{{B::kJAF, 0.06}, {B::kADP, 0.03}, {B::kKTH, 0.015}, {B::kFLX, 0.01}}}},
    {"JAF", D::kSYG, true, 40, 0.70, 0, 120, 380, 0.080, {0.60, 0.00, 0.00, 0.30, 0.10, 0.00},
     30, 91, 0.06, 0.30, 0.02,
     {{{B::kRES, 0.15}, {B::kFLX, 0.10}, {B::kFTP, 0.05}, {B::kKTH, 0.12}}}},
    {"RES", D::kREH, true, 90, 0.60, 0, 150, 400, 0.090, {0.60, 0.00, 0.05, 0.25, 0.10, 0.00},
     30, 91, 0.07, 0.12, 0.02,
     {{{B::kFLX, 0.25}, {B::kFTP, 0.20}, {B::kKTH, 0.15}, kNone}}},
    {"FRV", D::kREH, true, 10, 0.60, 0, 70, 480, 0.150, {0.50, 0.00, 0.00, 0.40, 0.10, 0.00},
     30, 91, 0.05, 0.20, 0.05, {{{B::kREV, 0.50}, {B::kKTH, 0.10}, kNone, kNone}}},
    {"REV", D::kREH, true, 60, 0.60, 0, 150, 520, 0.200, {0.20, 0.10, 0.05, 0.05, 0.60, 0.00},
     30, 91, 0.04, 0.55, 0.05, {{{B::kFLX, 0.10}, kNone, kNone, kNone}}},
    {"LED", D::kREH, true, 30, 0.90, 0, 100, 480, 0.080, {0.60, 0.00, 0.00, 0.30, 0.10, 0.00},
     30, 91, 0.05, 0.05, 0.00, {{{B::kFLX, 0.50}, {B::kFTP, 0.05}, kNone, kNone}}},
    {"FLX", D::kREH, true, 260, 0.80, 0, 500, 250, 0.0, {}, 0, 0, 0.0, 0.10, 0.00,
     {{{B::kLED, 0.25}, {B::kFTP, 0.08}, kNone, kNone}}},
    {"FTP", D::kREH, true, 0, 0, 0, 1400, 480, 0.0, {}, 0, 0, 0.0, 0.0, 0.0,
     {{kNone, kNone, kNone, kNone}}},
    {"EFT", D::kNone, false, 0, 0, 0, 1200, 450, 0.0, {}, 0, 0, 0.0, 0.0, 0.0,
     {{kNone, kNone, kNone, kNone}}},
    {"BAR", D::kNone, false, 0, 0, 0, 120, 500, 0.0, {}, 0, 0, 0.0, 0.90, 0.02,
     {{kNone, kNone, kNone, kNone}}},
}};

}  // namespace

const BenefitParams& ParamsOf(Benefit benefit) { return kParams[static_cast<int>(benefit)]; }

const char* DepartmentCode(Department department) {
  switch (department) {
    case Department::kJOB: return "JOB";
    case Department::kKON: return "KON";
    case Department::kINT: return "INT";
    case Department::kSYG: return "SYG";
    case Department::kREH: return "REH";
    case Department::kNone: return "";
  }
  return "";
}

const char* OfferTypeCode(OfferType type) {
  static constexpr const char* kCodes[kOfferTypeCount] = {"VIP", "LTP", "LTO", "VOO", "ORU", "NYT"};
  return kCodes[static_cast<int>(type)];
}

}  // namespace jobindsigt::synth
