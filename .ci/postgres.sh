#!/usr/bin/env bash
# A throwaway PostgreSQL server for the gradebook tests (nbgrader takes any SQLAlchemy URL as
# c.CourseDirectory.db_url; SQLite is only the default, so PostgreSQL is tested against a real
# server, not a mock).
#
#   bash .ci/postgres.sh start   # prints `export GRADERS_PG_URL=...` on stdout, logs on stderr
#   bash .ci/postgres.sh stop    # stops the server and deletes its folder
#   bash .ci/postgres.sh url     # prints the URL of the running server
#
# start is idempotent: a server already running in the folder is reused, a stopped one is
# started again. As root on Debian, the `postgresql` package is installed when its server
# binaries are missing (without the package's default cluster, so no stray server is left on
# port 5432); the cluster runs as the `postgres` user because initdb refuses root. Without
# root and without binaries it prints what to install and exits 3 (tests use that to skip).
#
# Settings (environment):
#   GRADERS_PG_DIR         the cluster's folder; default ${TMPDIR:-/tmp}/graders-pg-<uid>
#   GRADERS_PG_PORT        the first port tried on 127.0.0.1 (the next free one is taken); 55432
#   GRADERS_PG_BIN         a folder holding pg_ctl and initdb (default: PATH, then
#                          /usr/lib/postgresql/<newest>/bin)
#   GRADERS_PG_NO_INSTALL  1: never run apt-get (exit 3 instead)
set -euo pipefail

USER_NAME=graders
PASSWORD=graders
DATABASE=graders_test
DIR=${GRADERS_PG_DIR:-${TMPDIR:-/tmp}/graders-pg-$(id -u)}
FIRST_PORT=${GRADERS_PG_PORT:-55432}
PACKAGE=postgresql

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $1"; exit "${2:-1}"; }

# The folder holding pg_ctl and initdb, or nothing.
find_bin() {
  if [ -n "${GRADERS_PG_BIN:-}" ]; then
    [ -x "$GRADERS_PG_BIN/pg_ctl" ] && [ -x "$GRADERS_PG_BIN/initdb" ] && echo "$GRADERS_PG_BIN"
    return 0
  fi
  local pg_ctl
  pg_ctl=$(command -v pg_ctl || true)
  if [ -n "$pg_ctl" ] && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$pg_ctl")"
    return 0
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 0
}

install_server() {
  if [ "${GRADERS_PG_NO_INSTALL:-0}" = 1 ]; then
    die "no PostgreSQL server binaries (pg_ctl, initdb); install with: sudo apt-get install -y $PACKAGE" 3
  fi
  if [ "$(id -u)" != 0 ]; then
    die "no PostgreSQL server binaries (pg_ctl, initdb) and not root; install with: sudo apt-get install -y $PACKAGE" 3
  fi
  command -v apt-get >/dev/null || die "no PostgreSQL server binaries and no apt-get: install the PostgreSQL server (pg_ctl, initdb)" 3
  log "installing the Debian package $PACKAGE"
  # Debian's package creates and starts a cluster "main" on 5432 unless told not to.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/graders-no-main.conf
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$PACKAGE" >&2
}

# The cluster's owner, which is also its superuser: `postgres` when we are root (initdb refuses
# root), ourselves otherwise. Socket logins use peer authentication, so only that OS user gets
# in through the socket (a sandboxed kernel has no network, but a socket file is not network);
# TCP logins need the password.
if [ "$(id -u)" = 0 ]; then OWNER=postgres; else OWNER=$(id -un); fi

# Run a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")  # from /: the caller's folder may be closed to postgres
  else
    "$@"
  fi
}

running() { [ -f "$DIR/data/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url() { echo "postgresql+psycopg2://$USER_NAME:$PASSWORD@127.0.0.1:$(cat "$DIR/port")/$DATABASE"; }

prepare_dir() {
  # stop deletes the folder, so only an empty or new one is taken, and marked as ours.
  if [ -d "$DIR" ] && [ ! -f "$DIR/.graders-pg" ] && [ -n "$(ls -A "$DIR")" ]; then
    die "$DIR exists and was not made by this script: set GRADERS_PG_DIR to a new folder"
  fi
  mkdir -p "$DIR"
  touch "$DIR/.graders-pg"
  if [ "$(id -u)" = 0 ]; then
    getent passwd postgres >/dev/null || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres: "$DIR"
    chmod 700 "$DIR"
    runuser -u postgres -- test -w "$DIR" ||
      die "the postgres user cannot write $DIR (a parent folder is closed to it): set GRADERS_PG_DIR under /tmp"
  fi
}

init_cluster() {
  if [ -f "$DIR/data/PG_VERSION" ]; then
    return 0
  fi
  rm -rf "$DIR/data"
  log "initdb $DIR/data"
  as_owner "$BIN/initdb" -D "$DIR/data" -U "$OWNER" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
    as_owner "$BIN/initdb" -D "$DIR/data" -U "$OWNER" --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --no-locale >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
}

# Start on the first free port from FIRST_PORT; another server may take a port between the
# check and the bind, so a failed start on a taken port moves on to the next one.
start_server() {
  local port last=$((FIRST_PORT + 50))
  for ((port = FIRST_PORT; port <= last; port++)); do
    port_busy "$port" && continue
    rm -f "$DIR/server.log"
    if as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k '$DIR' -c fsync=off -c full_page_writes=off" >/dev/null; then
      echo "$port" > "$DIR/port"
      return 0
    fi
    grep -q "Address already in use" "$DIR/server.log" 2>/dev/null || { tail -20 "$DIR/server.log" >&2; die "the server did not start"; }
  done
  die "no free port in $FIRST_PORT..$last"
}

psql_admin() { as_owner "$BIN/psql" -h "$DIR" -p "$(cat "$DIR/port")" -U "$OWNER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

create_role_and_database() {
  # Roles and databases are checked first, so a second start creates nothing twice.
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" ]; then
    psql_admin -c "CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD'" >/dev/null
  fi
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
    psql_admin -c "CREATE DATABASE $DATABASE OWNER $USER_NAME" >/dev/null
  fi
}

start() {
  BIN=$(find_bin)
  if [ -z "$BIN" ]; then
    install_server
    BIN=$(find_bin)
    [ -n "$BIN" ] || die "apt-get installed $PACKAGE but no pg_ctl/initdb under /usr/lib/postgresql/*/bin"
  fi
  [ -x "$BIN/psql" ] || die "no psql beside $BIN/pg_ctl; install with: sudo apt-get install -y $PACKAGE" 3
  prepare_dir
  if running; then
    log "reusing the server running in $DIR"
  else
    init_cluster
    start_server
  fi
  create_role_and_database
  log "PostgreSQL $("$BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$(cat "$DIR/port") and $DIR, database $DATABASE"
  echo "export GRADERS_PG_URL='$(url)'"
}

stop() {
  BIN=$(find_bin)
  if [ -n "$BIN" ] && running; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null || log "pg_ctl stop failed"
  fi
  if [ -f "$DIR/.graders-pg" ]; then
    rm -rf "$DIR"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  url) BIN=$(find_bin); [ -n "$BIN" ] && running || die "no server running in $DIR"; url ;;
  *) die "usage: $0 [start|stop|url]" 2 ;;
esac
