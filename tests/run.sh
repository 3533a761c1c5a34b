#!/usr/bin/env bash
# The one test command (README): installs what the browser tier needs when missing, then runs every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."

# End-to-end tests drive Debian's Chromium (never a browser downloaded by Playwright), read printed PDFs with
# pdftotext (poppler-utils) and need a Japanese font to render and print Japanese text (fonts-noto-cjk).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/pdftotext ] || missing+=(poppler-utils)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing ${missing[*]} (Debian packages) for the end-to-end tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "tests/run.sh: missing ${missing[*]}; install them (sudo apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
fi

# The interop tier runs the portal against an independent FHIR server (Medplum's FHIR router under Node.js), installed
# from the npm registry at the versions pinned in tests/interop/package-lock.json.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tests/run.sh: Node.js 20 or later with npm is needed for the interop tests; install it (e.g. sudo apt-get install nodejs npm) and run again" >&2
  exit 1
fi
if [ ! -d tests/interop/node_modules/@medplum/fhir-router ]; then
  echo "tests/run.sh: installing the interop server's npm packages (tests/interop)"
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error >/dev/null
fi

# A real PostgreSQL for the storage tests when one can be provided (prints an export line or nothing).
if [ -f tests/postgres.sh ]; then
  eval "$(bash tests/postgres.sh)"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build MedNetPortal.sln -m:2 -nologo -clp:ErrorsOnly

# One tier at a time: on 2 cores, end-to-end servers and browsers racing the integration tests only make both slower
# and flakier. Every tier runs even when an earlier one failed, so one run shows every failure.
status=0
logs="$(mktemp -d)"
for tier in UnitTests ComponentTests IntegrationTests EndToEndTests; do
  echo "tests/run.sh: ${tier}"
  dotnet test "tests/MedNetPortal.${tier}/MedNetPortal.${tier}.csproj" --no-build --logger "console;verbosity=normal" \
    2>&1 | tee "${logs}/${tier}.log" || status=1
done

# CI shows the tail of the output: end with every tier's totals and the name and message of each failed test.
echo
echo "tests/run.sh: summary"
for tier in UnitTests ComponentTests IntegrationTests EndToEndTests; do
  totals="$(grep -E '^\s*(Passed|Failed|Skipped|Total tests):' "${logs}/${tier}.log" | tr -s ' ' | tr '\n' ' ' || true)"
  echo "  ${tier}: ${totals:-no totals (build or start-up failure; see above)}"
done
if [ $status -ne 0 ]; then
  echo "tests/run.sh: failed tests"
  grep -h -A14 -E '^\s*Failed [A-Za-z0-9_]+\.[A-Za-z0-9_.]+' "${logs}"/*.log | cut -c1-400 || true
fi
rm -rf "${logs}"
exit $status
