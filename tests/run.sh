#!/usr/bin/env bash
# The one test command (README): installs what the browser tier needs when missing, then runs every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test MedNetPortal.sln
