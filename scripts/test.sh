#!/usr/bin/env bash
# The whole test suite from a fresh machine (Debian, Node 20): installs what is missing
# (Debian's chromium and PostgreSQL, the npm packages from the lockfile), then lints, typechecks, builds,
# and runs the Node and browser tests. Ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v "${CHROME_PATH:-/usr/bin/chromium}" >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests …"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The host's tests run once more against a real PostgreSQL server they start themselves.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing Debian's PostgreSQL server for the host's storage tests …"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || echo "PostgreSQL could not be installed: its tests will say they skipped."
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

export STORYBOOK_DISABLE_TELEMETRY=1
npm run test:all
