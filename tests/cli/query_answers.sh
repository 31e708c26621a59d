# Sourced by the CLI tests: answers of several `jobindsigt query` requests (persons, inflow,
# durations, expenditure, population; CSV) from one store, to compare two stores byte for byte.
# Periods lie in the tiny data set's deliveries (2024-11 … 2026-10).
query_requests=(
  '{"statistics":["persons","fte"],"benefits":"all","periods":["2025M06","2026Q2","2026M10"],"areas":{"level":"municipality","total":true},"breakdowns":[{"by":"sex","total":true},{"by":"age","bands":["16-29","30-49","50-"],"total":true}]}'
  '{"statistics":["spells_started","persons_started","spells_ended"],"benefits":["ADP"],"periods":["2025Q1","2025Q2","2025Q3","2025Q4","2026Q1","2026Q2","2026Q3"],"areas":{"level":"municipality","total":true}}'
  '{"statistics":["duration_ended","spells_ended"],"benefits":"sickness","periods":["2025","2026M06YTD"],"areas":{"level":"country"},"breakdowns":[{"by":"duration","bands":["0-3","4-12","13-"],"total":true}]}'
  '{"statistics":["expenditure_gross","expenditure_net"],"benefits":"all","periods":["2025M11","2026M03","2026M10"],"areas":{"level":"region","total":true},"breakdowns":[{"by":"benefit","total":true}]}'
  '{"statistics":["population","share_of_population"],"benefits":"all","periods":["2026M09"],"areas":{"level":"municipality"}}'
)

# query_answers BINARY STORE FOLDER: writes FOLDER/q<i>.csv; returns non-zero when a query
# fails or an answer has fewer than two lines (a header and at least one cell).
query_answers() {
  local binary=$1 store=$2 folder=$3 index=0 status=0
  mkdir -p "$folder"
  for request in "${query_requests[@]}"; do
    index=$((index + 1))
    echo "$request" | "$binary" query --store "$store" --format csv --threads 2 >"$folder/q$index.csv" \
      2>"$folder/q$index.err" || status=1
    [[ $(wc -l <"$folder/q$index.csv") -ge 2 ]] || status=1
  done
  return $status
}

# same_answers FOLDER FOLDER: every answer byte for byte the same (names the first that differs).
same_answers() {
  local file
  for file in "$1"/q*.csv; do
    cmp -s "$file" "$2/$(basename "$file")" || { echo "  differs: $(basename "$file")"; return 1; }
  done
}
