#!/usr/bin/env bash
# Sets up and starts the central host with the examples on http://localhost:8080 (PORT to
# change): npm packages from the lockfile when missing or stale, the browser bundle when
# missing or older than its sources (and the console's), then packages/server with embedded defaults (SQLite
# file and mail folder in ./data, the examples as configuration).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bundle=packages/elements/dist/ozg-forms.js
console=packages/console/dist/console.js
if [ ! -f "$bundle" ] || [ ! -f "$console" ] ||
  [ -n "$(find packages/elements/src packages/core/src vite.config.ts -newer "$bundle" -type f -print -quit)" ] ||
  [ -n "$(find packages/console/src -newer "$console" -type f -print -quit)" ]; then
  npm run build
fi
echo "ozg-forms DEMO host (example tokens, sandbox payments; never for real applications): http://${HOST:-localhost}:${PORT:-8080}/"
# The demo's console account (only while the database has no operator; production sets its own or none).
if [ -z "${OZG_PUBLIC_URL:-}" ] && [ -z "${OZG_ADMIN_BOOTSTRAP:-}" ]; then
  export OZG_ADMIN_BOOTSTRAP='betrieb:musterland-demo-2026'
  echo "self-service console: http://${HOST:-localhost}:${PORT:-8080}/admin/ (demo account: betrieb / musterland-demo-2026)"
fi
exec node --import tsx packages/server/src/main.ts
