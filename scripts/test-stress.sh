#!/usr/bin/env bash
# `npm test` while two CPU-burning processes run beside it (stress-ng --cpu 2): the suite must pass on
# a busy machine. `npm run test:stress -- 3` runs it three times in a row (stops at the first failure)
# under the same load. Installs stress-ng from Debian when missing (needs root / apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "test:stress: '$runs' is not a number of runs; e.g. npm run test:stress -- 3" >&2
  exit 2
fi
if ! command -v stress-ng >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq stress-ng
fi
stress-ng --cpu 2 --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true' EXIT
for ((i = 1; i <= runs; i++)); do
  echo "test:stress: run $i of $runs, beside stress-ng --cpu 2" >&2
  start=$SECONDS
  npm test
  echo "test:stress: run $i of $runs passed in $((SECONDS - start)) s" >&2
done
