#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the FHIR base's PostgreSQL tests and prints the export line:
#   eval "$(tests/postgres.sh)" && dotnet test tests/MedNetPortal.IntegrationTests --filter "FullyQualifiedName~PostgresFhirBaseTests"
# Installs Debian's postgresql when missing (root only). When it cannot, prints one line saying why and exits 0 without an export.
set -uo pipefail

say() { echo "# postgres.sh: $*" >&2; }
give_up() { echo "# postgres.sh: PostgreSQL tests will be skipped: $*"; exit 0; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || give_up "postgresql is not installed and installing it needs root"
  command -v apt-get >/dev/null || give_up "postgresql is not installed and apt-get is not available"
  say "installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || give_up "apt-get update failed"
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 || give_up "apt-get install postgresql failed"
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$BIN/initdb" ] || give_up "initdb not found"

RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || give_up "running as root but there is no postgres user"
  RUN_AS=(runuser -u postgres --)
fi

DIR=$(mktemp -d /tmp/mednet-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
PASSWORD="mednet-$RANDOM$RANDOM"
PWFILE="$DIR/pw"
echo "$PASSWORD" > "$PWFILE"
[ "$(id -u)" = 0 ] && chown postgres "$PWFILE"

"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U mednet --pwfile="$PWFILE" -A scram-sha-256 >/dev/null 2>&1 || give_up "initdb failed"
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o "-h 127.0.0.1 -p $PORT -k $DIR" start >/dev/null 2>&1 \
  || give_up "the server did not start (see $DIR/log)"
PGPASSWORD="$PASSWORD" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U mednet -d postgres -qc "CREATE DATABASE mednet" >/dev/null 2>&1 \
  || give_up "could not create the database"
say "running in $DIR on port $PORT; stop with: ${RUN_AS[*]} $BIN/pg_ctl -D $DIR/data stop"
echo "export MEDNET_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Database=mednet;Username=mednet;Password=$PASSWORD'"
# Evaluated by the caller: the throw-away server goes when the test run ends.
echo "trap '${RUN_AS[*]} $BIN/pg_ctl -D $DIR/data -m fast stop >/dev/null 2>&1; rm -rf $DIR' EXIT"
