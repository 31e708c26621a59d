#!/usr/bin/env bash
# CTest fixture portal.store: the tiny data set (seed 5, as the CLI tests) ingested into a
# store the portal tests serve. Rebuilt from scratch each run.
#   make_store.sh JOBINDSIGT_BINARY FOLDER
set -euo pipefail
binary=$1
folder=$2
rm -rf "$folder"
mkdir -p "$folder"
"$binary" generate --scale tiny --seed 5 --out "$folder/sources" --quiet >/dev/null
"$binary" ingest --sources "$folder/sources" --store "$folder/store" --quiet >/dev/null
echo "portal.store: $folder/store"
