#!/usr/bin/env bash
# The whole test suite from a fresh machine (Debian, Node 20): installs what is missing
# (Debian's chromium, PostgreSQL and clamd, the npm packages from the lockfile), then lints, typechecks, builds,
# and runs the Node and browser tests. Ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use for real: Chromium (browser tests), PostgreSQL (the host's storage
# tests start their own server) and ClamAV's daemon (upload scanning; the tests start it with a
# signature database they build, nothing is downloaded), poppler-utils (pdftotext/pdffonts read
# the application PDF back). One apt run for whatever is missing.
missing=()
command -v "${CHROME_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages for the tests: ${missing[*]} …"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
    echo "Some of ${missing[*]} could not be installed: the tests that need them say they skipped."
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

export STORYBOOK_DISABLE_TELEMETRY=1
npm run test:all
