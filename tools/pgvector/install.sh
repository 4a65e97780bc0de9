#!/usr/bin/env bash
# Makes the pgvector extension available to the local PostgreSQL (Debian 12 has no package for it).
#
# Idempotent: when CREATE EXTENSION vector already works it only makes sure the extension is created
# in template1 (so every database created later, e.g. the tests' freshly reset ones, has it) and exits.
# Otherwise it builds pgvector from Debian's own source package (suite trixie, through a private apt
# list folder that leaves the system's sources alone), installs it with PG_CONFIG of the running
# cluster, and creates it in template1.
#
# Needs root (apt-get, make install, su postgres). Usage: tools/pgvector/install.sh [pg major, default 15]
set -euo pipefail

PG_MAJOR="${1:-${PG_MAJOR:-15}}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
WORK="${PGVECTOR_WORK:-/var/tmp/facteur-pgvector}"

psql_su() { su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -d $1" ; }

available() {
  su postgres -c "psql -X -tAc \"SELECT 1 FROM pg_available_extensions WHERE name = 'vector'\"" | grep -q 1
}

create_in_template() {
  # a role that owns its database cannot create an untrusted extension itself: put it in template1,
  # which every CREATE DATABASE copies, and in the databases that exist already
  echo "CREATE EXTENSION IF NOT EXISTS vector;" | psql_su template1
  for db in $(su postgres -c "psql -X -tAc \"SELECT datname FROM pg_database WHERE datallowconn AND datname NOT IN ('template0','template1','postgres')\""); do
    echo "CREATE EXTENSION IF NOT EXISTS vector;" | psql_su "$db" || echo "pgvector: could not create the extension in $db" >&2
  done
}

if available; then
  echo "pgvector: extension already available"
  create_in_template
  exit 0
fi

echo "pgvector: not installed, building it from Debian's source package"
mkdir -p "$WORK/lists/partial" "$WORK/src"
cat > "$WORK/sources.list" <<LIST
deb-src http://deb.debian.org/debian trixie main
LIST
APT_PRIVATE=(-o "Dir::Etc::SourceList=$WORK/sources.list" -o "Dir::Etc::SourceParts=-"
             -o "Dir::State::Lists=$WORK/lists" -o "APT::Get::List-Cleanup=false")
apt-get "${APT_PRIVATE[@]}" update -qq
(cd "$WORK/src" && apt-get "${APT_PRIVATE[@]}" source --download-only -qq pgvector)

if [ ! -x "$PG_CONFIG" ] || ! dpkg -s "postgresql-server-dev-${PG_MAJOR}" >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" build-essential
fi

orig=$(ls "$WORK"/src/pgvector_*.orig.tar.* | head -n 1)
build="$WORK/build"
rm -rf "$build" && mkdir -p "$build"
tar -xf "$orig" -C "$build" --strip-components=1
# OPTFLAGS= : no -march=native, the library must run on any machine the cluster moves to
make -C "$build" -s PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
make -C "$build" -s install PG_CONFIG="$PG_CONFIG"

available || { echo "pgvector: built and installed, but PostgreSQL does not list it" >&2; exit 1; }
echo "pgvector: installed $(basename "$orig")"
create_in_template
