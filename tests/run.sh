#!/usr/bin/env bash
# The one test command (README): installs what the browser tier needs when missing, then runs every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."

# End-to-end tests drive Debian's Chromium (never a browser downloaded by Playwright).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing chromium (Debian package) for the end-to-end tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "tests/run.sh: /usr/bin/chromium is missing; install Debian's chromium package (sudo apt-get install chromium) and run again" >&2
    exit 1
  fi
fi

# A real PostgreSQL for the storage tests when one can be provided (prints an export line or nothing).
if [ -f tests/postgres.sh ]; then
  eval "$(bash tests/postgres.sh)"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Build once, then test without rebuilding; 2 cores: keep MSBuild and test assemblies to a sensible parallelism.
dotnet build MedNetPortal.sln -m:2 -nologo -clp:ErrorsOnly
dotnet test MedNetPortal.sln --no-build -m:2 --logger "console;verbosity=normal"
