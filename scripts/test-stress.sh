#!/usr/bin/env bash
# `npm test` while two CPU-burning processes run beside it (stress-ng --cpu 2): the suite must pass on
# a busy machine. Installs stress-ng from Debian when missing (needs root / apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v stress-ng >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq stress-ng
fi
stress-ng --cpu 2 --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true' EXIT
npm test
