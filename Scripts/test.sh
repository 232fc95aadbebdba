#!/usr/bin/env bash
# Builds and runs the whole test suite against a throwaway PostgreSQL server.
#
#   Scripts/test.sh [SWIFT-TEST-ARGS...]                 e.g. Scripts/test.sh --filter StoreTests
#   LICTRACK_TEST_DATABASE_URL=postgresql://... Scripts/test.sh --external-db [SWIFT-TEST-ARGS...]
#
# By default it starts its own cluster in a fresh temporary directory under
# /tmp (on a free loopback port, trust auth, superuser postgres, durability off
# for speed), exports LICTRACK_TEST_DATABASE_URL for it, runs
# `swift build --build-tests` then `swift test --skip-build ARGS...`, and stops
# and deletes the cluster on exit, whatever happens. With --external-db it
# uses the server the caller's LICTRACK_TEST_DATABASE_URL names instead.
#
# The exit status is swift test's (or non-zero if the build or the database
# setup fails). Tests are never skipped: no reachable server is an error.
#
# As root it installs what it needs (libpq-dev pkgconf postgresql) with apt-get
# and runs the server as the postgres user. CI runs it through .ci/run.
set -euo pipefail

readonly PACKAGES=(libpq-dev pkgconf postgresql)

log() { printf 'test.sh: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}
is_root() { [[ $(id -u) -eq 0 ]]; }

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
readonly ROOT
cd -- "$ROOT"

# --- arguments -------------------------------------------------------------

EXTERNAL_DB=0
SWIFT_TEST_ARGS=()
for arg in "$@"; do
    case $arg in
    --external-db) EXTERNAL_DB=1 ;;
    *) SWIFT_TEST_ARGS+=("$arg") ;;
    esac
done
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit 0
fi

# --- system packages -------------------------------------------------------

ensure_packages() {
    if ! command -v dpkg >/dev/null 2>&1; then
        log "no dpkg here; assuming libpq, pkg-config and PostgreSQL are installed"
        return 0
    fi
    local missing=() pkg
    for pkg in "${PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    if ! is_root; then
        die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${PACKAGES[*]}"
    fi
    log "installing ${PACKAGES[*]} (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2 </dev/null
    apt-get install -y --no-install-recommends "${PACKAGES[@]}" >&2 </dev/null
}

BINDIR=""
find_bindir() {
    local dir candidate
    while IFS= read -r dir; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && BINDIR=$dir
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V)
    [[ -n $BINDIR ]] && return 0
    if command -v pg_config >/dev/null 2>&1; then
        candidate=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n $candidate && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
            BINDIR=$candidate
            return 0
        fi
    fi
    if candidate=$(command -v initdb 2>/dev/null); then
        BINDIR=$(dirname -- "$candidate")
        return 0
    fi
    return 1
}

# psql and pg_isready from the server's bindir when there is one, else PATH.
client() {
    local tool=$1
    shift
    if [[ -n $BINDIR && -x "$BINDIR/$tool" ]]; then
        "$BINDIR/$tool" "$@"
    else
        "$tool" "$@"
    fi
}

# --- throwaway cluster ----------------------------------------------------

CLUSTER_TMP=""
SERVER_STARTED=0

as_server() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# shellcheck disable=SC2317 # invoked through trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ -n $CLUSTER_TMP ]]; then
        if ((SERVER_STARTED)) || [[ -f "$CLUSTER_TMP/data/postmaster.pid" ]]; then
            log "stopping the throwaway server"
            as_server "$BINDIR/pg_ctl" stop -D "$CLUSTER_TMP/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
        fi
        rm -rf -- "$CLUSTER_TMP"
    fi
    exit "$status"
}

port_is_free() {
    local port=$1
    if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
        return 1
    fi
    if command -v ss >/dev/null 2>&1 && [[ -n $(ss -Htan exclude time-wait "( sport = :$port )" 2>/dev/null) ]]; then
        return 1
    fi
    return 0
}

# A free port in 56000-59999, starting at a random one so that parallel runs
# rarely collide (and a collision is retried anyway).
pick_free_port() {
    local offset port i
    offset=$((RANDOM % 4000))
    for ((i = 0; i < 4000; i++)); do
        port=$((56000 + (offset + i) % 4000))
        if port_is_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free TCP port in 56000-59999"
}

start_cluster() {
    find_bindir || die "PostgreSQL server binaries (initdb, pg_ctl) not found; install the 'postgresql' package"
    if is_root; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as"
    fi
    CLUSTER_TMP=$(mktemp -d /tmp/lictrack-test.XXXXXX)
    is_root && chown postgres:postgres -- "$CLUSTER_TMP"

    local locale=C
    if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
        locale=C.UTF-8
    fi
    log "creating a throwaway cluster in $CLUSTER_TMP ($("$BINDIR/postgres" --version 2>/dev/null || echo "$BINDIR"))"
    if ! as_server "$BINDIR/initdb" -D "$CLUSTER_TMP/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale="$locale" --no-sync >"$CLUSTER_TMP/initdb.log" 2>&1; then
        cat -- "$CLUSTER_TMP/initdb.log" >&2
        die "initdb failed"
    fi

    local attempt before=0
    for attempt in 1 2 3 4 5; do
        PORT=$(pick_free_port)
        log "starting the server on 127.0.0.1:$PORT (attempt $attempt)"
        [[ -f "$CLUSTER_TMP/server.log" ]] && before=$(wc -l <"$CLUSTER_TMP/server.log")
        if as_server "$BINDIR/pg_ctl" start -D "$CLUSTER_TMP/data" -l "$CLUSTER_TMP/server.log" -w -t 60 \
            -o "-p $PORT -k $CLUSTER_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            >/dev/null 2>&1; then
            SERVER_STARTED=1
            return 0
        fi
        if tail -n +"$((before + 1))" -- "$CLUSTER_TMP/server.log" 2>/dev/null |
            grep -q 'could not bind\|Address already in use'; then
            continue
        fi
        break
    done
    tail -n 30 -- "$CLUSTER_TMP/server.log" 2>/dev/null | sed 's/^/test.sh: server.log: /' >&2 || true
    die "the throwaway PostgreSQL server did not start"
}

check_reachable() {
    local url=$1 i
    for ((i = 0; i < 30; i++)); do
        client pg_isready -q -d "$url" && break
        sleep 1
    done
    if ! client pg_isready -q -d "$url"; then
        die "PostgreSQL at $url is not accepting connections (pg_isready failed); tests need a database and are never skipped"
    fi
    if ! client psql -X -q -At -d "$url" -c 'select 1' >/dev/null; then
        die "cannot run a query on $url (psql -c 'select 1' failed); tests need a database and are never skipped"
    fi
}

# --- main ------------------------------------------------------------------

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

ensure_packages
find_bindir || true

if ((EXTERNAL_DB)); then
    [[ -n ${LICTRACK_TEST_DATABASE_URL:-} ]] ||
        die "--external-db needs LICTRACK_TEST_DATABASE_URL set to the server to test against"
    log "using the external database from LICTRACK_TEST_DATABASE_URL"
else
    [[ -n ${LICTRACK_TEST_DATABASE_URL:-} ]] &&
        log "ignoring the caller's LICTRACK_TEST_DATABASE_URL (pass --external-db to use it)"
    start_cluster
    LICTRACK_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
fi
export LICTRACK_TEST_DATABASE_URL

check_reachable "$LICTRACK_TEST_DATABASE_URL"
log "database ready: $LICTRACK_TEST_DATABASE_URL"

log "swift build --build-tests"
swift build --build-tests </dev/null || {
    status=$?
    log "error: the build failed (exit $status)"
    exit "$status"
}

log "swift test --skip-build ${SWIFT_TEST_ARGS[*]}"
status=0
swift test --skip-build "${SWIFT_TEST_ARGS[@]}" </dev/null || status=$?
if ((status != 0)); then
    log "swift test failed (exit $status)"
    if [[ -n $CLUSTER_TMP && -f "$CLUSTER_TMP/server.log" ]]; then
        log "last lines of the server log:"
        tail -n 30 -- "$CLUSTER_TMP/server.log" | sed 's/^/test.sh: server.log: /' >&2 || true
    fi
else
    log "all tests passed"
fi
exit "$status"
