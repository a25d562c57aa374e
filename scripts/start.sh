#!/usr/bin/env bash
# Sets up (npm packages from the lockfile, when missing or stale) and serves the examples on
# http://localhost:8080 (PORT to change). Until the central host exists (issue 6), Vite's dev
# server stands in for it, serving /ozg-forms.js from the source.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "ozg-forms examples: http://localhost:${PORT:-8080}/"
exec npx vite --config vite.config.ts
