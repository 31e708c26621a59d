# Sourced by the CLI tests: a scratch folder removed at exit, and pass/fail counting.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

check() {  # check NAME EXIT-CODE-OF-THE-CONDITION
  if [[ "$2" == 0 ]]; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAILED: $1"; fi
}
