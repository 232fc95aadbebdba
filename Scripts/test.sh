#!/usr/bin/env bash
# Builds and runs the whole test suite against a throwaway PostgreSQL server.
#
#   Scripts/test.sh [SWIFT-TEST-ARGS...]                 e.g. Scripts/test.sh --filter StoreTests
#   LICTRACK_TEST_DATABASE_URL=postgresql://... Scripts/test.sh --external-db [SWIFT-TEST-ARGS...]
#   Scripts/test.sh --quick [SWIFT-TEST-ARGS...]           skip the slow fault tests, locally
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
# --quick skips the fault tests (LicTrackFaultTests: kill -9, PostgreSQL stopped under the alert job,
# fail-over to a standby, 8 processes x 300 random events; a few minutes, see Docs/reliability.md).
# It is for a quick local loop only: with CI=true it is ignored and everything runs.
#
# LICTRACK_SCRATCH_PATH=DIR builds in DIR (swift --scratch-path) instead of .build, so that
# several checkouts or builds can run side by side.
#
# As root it installs what it needs (libpq-dev pkgconf postgresql, curl for the webhook tests, chromium
# for the HTML report tests, which render each report in headless Chromium, and pgbouncer for the
# tests that run lictrack through it in transaction mode) with apt-get and runs the server as the
# postgres user. CI runs it through .ci/run; there (CI=true) a missing pgbouncer fails its tests,
# elsewhere they are skipped with a message.
set -euo pipefail

readonly PACKAGES=(libpq-dev pkgconf postgresql curl chromium pgbouncer)

log() { printf 'test.sh: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
readonly ROOT
# PostgreSQL plumbing shared with the other scripts (is_root, as_server, find_bindir
# and BINDIR, client, pick_free_port, ...); it gives up through our die.
# shellcheck source-path=SCRIPTDIR source=lib/postgres.sh
source "$ROOT/Scripts/lib/postgres.sh"
cd -- "$ROOT"

# --- arguments -------------------------------------------------------------

EXTERNAL_DB=0
QUICK=0
SWIFT_TEST_ARGS=()
for arg in "$@"; do
    case $arg in
    --external-db) EXTERNAL_DB=1 ;;
    --quick) QUICK=1 ;;
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
    local -a missing
    mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
    ((${#missing[@]} == 0)) && return 0
    if ! is_root; then
        die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${PACKAGES[*]}"
    fi
    log "installing ${PACKAGES[*]} (missing: ${missing[*]})"
    apt_install --update-first --no-install-recommends "${PACKAGES[@]}" </dev/null
}

# --- throwaway cluster ----------------------------------------------------

CLUSTER_TMP=""
SERVER_STARTED=0

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

start_cluster() {
    need_server
    CLUSTER_TMP=$(mktemp -d /tmp/lictrack-test.XXXXXX)
    is_root && chown postgres:postgres -- "$CLUSTER_TMP"

    log "creating a throwaway cluster in $CLUSTER_TMP ($("$BINDIR/postgres" --version 2>/dev/null || echo "$BINDIR"))"
    run_initdb "$CLUSTER_TMP/data" "$CLUSTER_TMP/initdb.log" -U postgres --locale="$(initdb_locale)" --no-sync

    # A port from a random start in 56000-59999, so that parallel runs rarely
    # collide (and a collision is retried anyway).
    local attempt status
    for attempt in 1 2 3 4 5; do
        PORT=$(pick_free_port 56000 59999)
        log "starting the server on 127.0.0.1:$PORT (attempt $attempt)"
        status=0
        pg_ctl_start "$CLUSTER_TMP/data" "$CLUSTER_TMP/server.log" -t 60 \
            -o "-p $PORT -k $CLUSTER_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" ||
            status=$?
        if ((status == 0)); then
            SERVER_STARTED=1
            return 0
        fi
        ((status == 2)) || break
    done
    show_log_tail "$CLUSTER_TMP/server.log" 30 'test.sh: server.log: '
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

SCRATCH_ARGS=()
[[ -n ${LICTRACK_SCRATCH_PATH:-} ]] && SCRATCH_ARGS=(--scratch-path "$LICTRACK_SCRATCH_PATH")

log "swift build --build-tests ${SCRATCH_ARGS[*]}"
swift build --build-tests "${SCRATCH_ARGS[@]}" </dev/null || {
    status=$?
    log "error: the build failed (exit $status)"
    exit "$status"
}

if ((QUICK)); then
    if [[ ${CI:-} == true ]]; then
        log "CI=true: ignoring --quick; the fault tests run too"
    else
        log "--quick: skipping the fault tests (LicTrackFaultTests); CI never does"
        SWIFT_TEST_ARGS+=(--skip 'LicTrackFaultTests\.')
    fi
fi

log "swift test --skip-build ${SWIFT_TEST_ARGS[*]}"
status=0
swift test --skip-build "${SCRATCH_ARGS[@]}" "${SWIFT_TEST_ARGS[@]}" </dev/null || status=$?
if ((status != 0)); then
    log "swift test failed (exit $status)"
    if [[ -n $CLUSTER_TMP && -f "$CLUSTER_TMP/server.log" ]]; then
        log "last lines of the server log:"
        show_log_tail "$CLUSTER_TMP/server.log" 30 'test.sh: server.log: '
    fi
else
    log "all tests passed"
fi
exit "$status"
