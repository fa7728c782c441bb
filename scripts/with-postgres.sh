#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then stop and delete the cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# The cluster listens on a Unix socket only (no TCP port to collide with), in a fresh temporary
# directory, with trust authentication for the `postgres` superuser role (so pytest-django may
# CREATE DATABASE). CMD runs with DATABASE_URL (read by docs_platform/settings/env.py) and the
# libpq variables PGHOST, PGPORT, PGUSER, PGDATABASE pointing at the empty database `carnet`.
#
# Server binaries: $PG_BIN if set, else the newest /usr/lib/postgresql/*/bin, else initdb and
# pg_ctl on PATH. If none is found and we are root on Debian/Ubuntu, `apt-get install postgresql`.
# As root the server runs as the `postgres` system user (initdb refuses to run as root).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 64
fi

log() { echo "with-postgres: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

pg_bin_dir() {
    local dir
    if [[ -n ${PG_BIN:-} ]]; then
        echo "$PG_BIN"
        return
    fi
    # Newest major version first.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
            echo "$dir"
            return
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    return 1
}

if [[ -n ${PG_BIN:-} && ! (-x $PG_BIN/initdb && -x $PG_BIN/pg_ctl) ]]; then
    die "PG_BIN=$PG_BIN does not hold initdb and pg_ctl"
fi
if ! PG_BIN_DIR=$(pg_bin_dir); then
    if is_root && command -v apt-get >/dev/null; then
        log "no PostgreSQL server found: installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2
        apt-get install -y -q --no-install-recommends postgresql >&2
        PG_BIN_DIR=$(pg_bin_dir) || die "postgresql installed but initdb/pg_ctl still not found"
    else
        die "no PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin \
or on PATH. Install them (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install \
postgresql) or set PG_BIN to the directory that holds them."
    fi
fi

# As root, the cluster belongs to the unprivileged `postgres` user.
if is_root; then
    if ! id postgres >/dev/null 2>&1; then
        log "creating the postgres system user"
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
    fi
    if command -v runuser >/dev/null; then
        as_pg() { runuser -u postgres -- "$@"; }
    else
        as_pg() { su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
    fi
    # /tmp, not $TMPDIR: the postgres user must be able to reach the directory.
    WORK_DIR=$(mktemp -d /tmp/carnet-pg.XXXXXX)
    chown postgres: "$WORK_DIR"
else
    as_pg() { "$@"; }
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/carnet-pg.XXXXXX")
fi
chmod 700 "$WORK_DIR"

DATA_DIR=$WORK_DIR/data
SOCKET_DIR=$WORK_DIR # short path: Unix socket paths are limited to ~107 characters
PORT=5432            # only names the socket file (.s.PGSQL.5432); nothing listens on TCP
STARTED=0

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ $STARTED -eq 1 ]]; then
        as_pg "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null 2>&1 ||
            log "warning: pg_ctl stop failed"
    fi
    rm -rf "$WORK_DIR"
    log "cluster stopped and removed"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

log "initdb with $PG_BIN_DIR in $WORK_DIR"
as_pg "$PG_BIN_DIR/initdb" --pgdata="$DATA_DIR" --username=postgres --auth=trust \
    --encoding=UTF8 --no-locale --no-sync >"$WORK_DIR/initdb.log" 2>&1 || {
    cat "$WORK_DIR/initdb.log" >&2
    die "initdb failed"
}

# Durability off: the cluster is thrown away, and tests run faster without fsync.
SERVER_OPTIONS="-p $PORT -k $SOCKET_DIR -c listen_addresses= -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
STARTED=1
as_pg "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$WORK_DIR/server.log" -w -t 60 \
    -o "$SERVER_OPTIONS" start >/dev/null || {
    cat "$WORK_DIR/server.log" >&2
    die "the PostgreSQL server did not start"
}

export PGHOST=$SOCKET_DIR PGPORT=$PORT PGUSER=postgres
unset PGPASSWORD PGSERVICE PGSSLMODE
as_pg "$PG_BIN_DIR/createdb" -h "$PGHOST" -p "$PGPORT" -U postgres carnet
export PGDATABASE=carnet
# For commands that restart the server (bench/load.py): pg_ctl restart -D "$PGDATA" (as the
# postgres user when run as root) keeps the options above.
export PGDATA=$DATA_DIR PG_CTL=$PG_BIN_DIR/pg_ctl
export DATABASE_URL="postgresql://postgres@:$PORT/carnet?host=$SOCKET_DIR"

VERSION=$(as_pg "$PG_BIN_DIR/postgres" --version)
log "$VERSION running, DATABASE_URL=$DATABASE_URL"

set +e
"$@"
status=$?
set -e
exit "$status"
