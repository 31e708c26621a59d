#include "sample_cube.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "common/date.h"

namespace jobindsigt::exporting::testing {

engine::Cube SampleCube() {
  engine::Cube cube;
  cube.release_id = "r000012";
  cube.cut_off_day = DaysFromCivil(2026, 2, 15);
  cube.dimensions = {
      {"statistic",
       "Statistik",
       "Statistic",
       {{"kth_persons", "Kontanthjælp: personer", "Cash benefit: persons"},
        {"kth_activation_rate", "Kontanthjælp: aktiveringsgrad", "Cash benefit: activation rate"}}},
      {"period",
       "Periode",
       "Period",
       {{"2026M01", "2026M01", "2026M01"}, {"2026M02", "2026M02", "2026M02"}}},
      {"area", "Område", "Area", {{"185", "Tårnby", "Tårnby"}, {"_T", "I alt", "Total"}}},
      {"offer_type",
       "Tilbudstype",
       "Offer type",
       {{"LTP", "Løntilskud, privat", "Wage subsidy, private"}, {"_T", "I alt", "Total"}}},
  };
  using S = engine::CellStatus;
  const double none = std::nan("");
  // Cube order: statistic, period, area, offer type (the last varies fastest).
  cube.values = {none, 412,   none, 98765, none, 407,  none, 98112,  // persons
                 2.5,  31.24, 3.1,  28.76, none, 30.0, 3.04, 29.1};  // activation rate
  cube.statuses = {S::kNotApplicable,
                   S::kOk,
                   S::kNotApplicable,
                   S::kOk,
                   S::kNotApplicable,
                   S::kPreliminary,
                   S::kNotApplicable,
                   S::kPreliminary,
                   S::kOk,
                   S::kOk,
                   S::kOk,
                   S::kOk,
                   S::kNoDenominator,
                   S::kPreliminary,
                   S::kPreliminary,
                   S::kPreliminary};
  cube.left_out.assign(cube.values.size(), 0);
  return cube;
}

ExportContext SampleContext() {
  ExportContext context;
  context.language = Language::kDanish;
  context.labels = LabelMode::kBoth;
  context.measures = {
      {"kth_persons", "persons", "personer", "persons", 0,
       "Antal personer på kontanthjælp i perioden.",
       "The number of persons on cash benefit in the period.",
       "Personer med mindst én dag på ydelsen i perioden.",
       "Persons with at least one day on the benefit in the period."},
      {"kth_activation_rate", "percent", "pct.", "per cent", 1,
       "Andelen af tiden på kontanthjælp, hvor personerne er i et aktivt tilbud.",
       "The share of the time on cash benefit that the persons spend in an active offer.",
       "Aktiverede fuldtidspersoner ÷ fuldtidspersoner × 100; nævner 0 giver intet tal.",
       "Activated full-time persons ÷ full-time persons × 100; a denominator of 0 gives no "
       "number."},
  };
  context.source = "Jobindsigt, Styrelsen for Arbejdsmarked og Rekruttering";
  context.contact = "Jobindsigt, jobindsigt@example.dk";
  context.table_id = "KTHAKT01";
  // 2026-03-05 09:30 UTC; the release published 2026-03-02 08:00 UTC.
  context.generated_unix = int64_t{DaysFromCivil(2026, 3, 5)} * 86400 + 9 * 3600 + 30 * 60;
  context.release_published_unix = int64_t{DaysFromCivil(2026, 3, 2)} * 86400 + 8 * 3600;
  return context;
}

std::string ExportTestDir() {
  return JOBINDSIGT_EXPORT_TEST_DIR;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create " + pattern);
  return pattern;
}

int RunCommand(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), read);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool HaveProgram(const std::string& program) {
  std::string ignored;
  return RunCommand("command -v " + program + " >/dev/null 2>&1", ignored) == 0;
}

}  // namespace jobindsigt::exporting::testing
