#!/usr/bin/env bash
# Benchmarks lictrack against a floor: raw psql doing the same SQL on the same database.
#
#   Scripts/bench.sh [--scale small|medium|full] [--keep] [--lictrack PATH] [--synchronous-commit on|off]
#                    [--verify]
#
#   --scale small   1/100 of the issue's numbers (10,000 applications, 1,000 open, 100,000 events,
#                   10 alerts due): a quick check that everything works. The default.
#   --scale medium  1/10 of the issue's numbers (100 alerts due), to see how figures scale.
#   --scale full    the issue's numbers: 1,000,000 applications, 100,000 open, 10,000,000 events,
#                   1,000 alerts due. Needs about 5 GB of disk and 15-20 minutes (the data set
#                   itself takes 2-3 minutes).
#   --keep          leave the benchmark cluster running at the end (prints how to stop it).
#   --lictrack PATH use this lictrack binary instead of building one
#                   (the one static release build of Scripts/lib/release-build.sh, which
#                   Scripts/demo.sh and Scripts/install.sh use too).
#   --synchronous-commit on|off
#                   the server's synchronous_commit (default off; fsync stays on either way).
#   --verify        also run the whole-log consistency checks at full scale (always done at
#                   small and medium; a sample is always replayed through the triggers).
#
# What it does: starts its own throwaway PostgreSQL cluster (a mktemp directory under /tmp, run as
# the postgres user when root, 127.0.0.1 and a unix socket, a free port in 56500-56599 or in
# LICTRACK_BENCH_PORTS=FIRST-LAST, shared_buffers=1GB, work_mem=64MB, maintenance_work_mem=1GB,
# wal_level=minimal, jit left on,
# pg_stat_statements loaded for the per-statement breakdown of one alert run), builds lictrack
# in release mode, runs `lictrack db migrate`, generates the data set (Scripts/bench/generate.sql),
# builds the SLA clocks, checks the data against the workflow (Scripts/bench/verify.sql), then
# measures with hyperfine:
#   1. `lictrack app accept ID --on DATE` (a different submitted application each run) against
#      `psql -c 'select 1'` and against psql inserting the same event; `lictrack app show ID
#      --format json` against psql selecting the row.
#   1b. The same app accept through a pgbouncer in transaction mode (bench/pgbouncer.sh; issue 10),
#      on a free port of the same range, against psql -c 'select 1' and psql inserting the same event
#      through that pgbouncer (Docs/operations.md, "Behind pgbouncer").
#   2. `lictrack alerts run --as-of D` with 0 alerts due (after a first run clears the backlog) and
#      with exactly N due (N never-alerted open clocks made due on D, reset before each run by
#      bench/alerts-arm.sql), delivered to one jsonl channel (in batches: one write, one fsync
#      and one statement per batch), then to one loopback webhook receiver
#      (bench/webhook-receiver.py: HTTP/1.1 keep-alive, 204 to every POST), each against psql
#      calling alerts_raise() and delivering set-based to a jsonl file (bench/alerts-floor.sql).
#   3. `lictrack calendar import CN Database/calendars/CN-2027.csv` (moves every open CN deadline)
#      against psql calling calendar_import() with the same days, and `select sla_refresh_open()`
#      over every open application.
#   4. EXPLAIN (ANALYZE, BUFFERS) of alerts_raise()'s candidate scan.
#   5. The reports (issue 6; bench/reports.sh): `lictrack report authority` for one year (with and
#      without --by destination), `report throughput --by week` and `report aging` against psql
#      running the same SQL function, with each side's peak RSS (/usr/bin/time -f %M), and the plan
#      inside report_authority(). A report command this build lacks is SKIPPED; its psql floor is
#      still measured. bench_vs_floor there is the hook for further report commands.
#   6. `lictrack app import` (issue 9; bench/import.sh) of 100,000 applications without events and
#      with 5 events each (1/10 and 1/100 of that at medium and small), each into a new empty
#      database, against psql \copy of the same file into the staging table, with lictrack's peak RSS.
# and prints a table: lictrack time, floor time, ratio, goal (a time, a ratio to the floor, or
# both), PASS/FAIL. Figures are medians;
# on a small shared machine they are noisy. Everything (hyperfine JSON, plans, the output) is also
# written to bench-results/<time>-<scale>/. The cluster is stopped and deleted on exit.
#
# THE DATA SET IS A BENCHMARK FIXTURE: it is bulk-loaded as the superuser with
# session_replication_role = replica, which bypasses the row triggers and foreign-key checks; the
# generator writes exactly what the triggers would have (verify.sql replays a sample through the
# real triggers to prove it). Never run Scripts/bench/*.sql against a real database.
#
# As root it installs what it needs (libpq-dev pkgconf postgresql pgbouncer hyperfine time) with apt-get
# and runs the server and pgbouncer as the postgres user.
set -euo pipefail

readonly PACKAGES=(libpq-dev pkgconf postgresql pgbouncer hyperfine time)
# The ports the benchmark cluster may use; LICTRACK_BENCH_PORTS=FIRST-LAST picks another range.
FIRST_PORT=56500
LAST_PORT=56599
if [[ -n ${LICTRACK_BENCH_PORTS:-} ]]; then
    [[ $LICTRACK_BENCH_PORTS =~ ^([0-9]+)-([0-9]+)$ ]] || {
        printf 'bench.sh: error: LICTRACK_BENCH_PORTS must be FIRST-LAST, e.g. 56600-56699\n' >&2
        exit 1
    }
    FIRST_PORT=${BASH_REMATCH[1]}
    LAST_PORT=${BASH_REMATCH[2]}
fi
readonly FIRST_PORT LAST_PORT

log() { printf 'bench.sh: %s\n' "$*" >&2; }
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
readonly SQL_DIR="$ROOT/Scripts/bench"
# The reports section (section 5) and its hook, bench_vs_floor.
# shellcheck source-path=SCRIPTDIR source=bench/reports.sh
source "$SQL_DIR/reports.sh"
# Section 1b, app accept through pgbouncer, and start_pgbouncer/stop_pgbouncer.
# shellcheck source-path=SCRIPTDIR source=bench/pgbouncer.sh
source "$SQL_DIR/pgbouncer.sh"
# The import section (section 6).
# shellcheck source-path=SCRIPTDIR source=bench/import.sh
source "$SQL_DIR/import.sh"
cd -- "$ROOT"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# --- arguments -------------------------------------------------------------

SCALE=small
KEEP=0
LICTRACK=""
SYNC_COMMIT=off
VERIFY_ALL=0
while (($# > 0)); do
    case $1 in
    --scale)
        [[ $# -ge 2 ]] || die "--scale needs small, medium or full"
        SCALE=$2
        shift 2
        ;;
    --scale=*) SCALE=${1#--scale=}; shift ;;
    --keep) KEEP=1; shift ;;
    --lictrack)
        [[ $# -ge 2 ]] || die "--lictrack needs a path"
        LICTRACK=$2
        shift 2
        ;;
    --lictrack=*) LICTRACK=${1#--lictrack=}; shift ;;
    --synchronous-commit)
        [[ $# -ge 2 ]] || die "--synchronous-commit needs on or off"
        SYNC_COMMIT=$2
        shift 2
        ;;
    --synchronous-commit=*) SYNC_COMMIT=${1#--synchronous-commit=}; shift ;;
    --verify) VERIFY_ALL=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $SYNC_COMMIT == on || $SYNC_COMMIT == off ]] || die "--synchronous-commit must be on or off"

case $SCALE in
small)
    N_APPS=10000 N_OPEN=1000 N_EVENTS=100000 N_DUE=10
    RUNS_FAST=30 RUNS_ALERTS=10 RUNS_HEAVY=5 VERIFY_SAMPLE=200
    VERIFY_ALL=1
    ;;
medium)
    N_APPS=100000 N_OPEN=10000 N_EVENTS=1000000 N_DUE=100
    RUNS_FAST=30 RUNS_ALERTS=5 RUNS_HEAVY=5 VERIFY_SAMPLE=200
    VERIFY_ALL=1
    ;;
full)
    N_APPS=1000000 N_OPEN=100000 N_EVENTS=10000000 N_DUE=1000
    RUNS_FAST=30 RUNS_ALERTS=5 RUNS_HEAVY=3 VERIFY_SAMPLE=200
    ;;
*) die "--scale must be small, medium or full" ;;
esac
readonly N_APPS N_OPEN N_EVENTS N_DUE RUNS_FAST RUNS_ALERTS RUNS_HEAVY VERIFY_SAMPLE

# --- system packages -------------------------------------------------------

ensure_packages() {
    if ! command -v dpkg >/dev/null 2>&1; then
        log "no dpkg here; assuming libpq, pkg-config, PostgreSQL, pgbouncer, hyperfine and GNU time are installed"
        return 0
    fi
    local -a missing
    mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
    ((${#missing[@]} == 0)) && return 0
    if ! is_root; then
        die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
    fi
    log "installing ${missing[*]} with apt-get"
    apt_install --no-install-recommends "${missing[@]}" </dev/null
}

# --- throwaway cluster -----------------------------------------------------

CLUSTER_TMP=""
SERVER_STARTED=0
PORT=""
URL=""

# shellcheck disable=SC2317 # invoked through trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    stop_pgbouncer
    if [[ -n ${RECEIVER_PID:-} ]]; then
        kill "$RECEIVER_PID" 2>/dev/null || true
        wait "$RECEIVER_PID" 2>/dev/null || true
    fi
    if [[ -n $CLUSTER_TMP ]]; then
        if ((KEEP)) && ((SERVER_STARTED)); then
            log "keeping the cluster: $URL (data in $CLUSTER_TMP)"
            if is_root; then
                log "stop and remove it with: runuser -u postgres -- $BINDIR/pg_ctl stop -D $CLUSTER_TMP/data -m fast && rm -rf $CLUSTER_TMP"
            else
                log "stop and remove it with: $BINDIR/pg_ctl stop -D $CLUSTER_TMP/data -m fast && rm -rf $CLUSTER_TMP"
            fi
        else
            if ((SERVER_STARTED)) || [[ -f "$CLUSTER_TMP/data/postmaster.pid" ]]; then
                log "stopping the benchmark server"
                as_server "$BINDIR/pg_ctl" stop -D "$CLUSTER_TMP/data" -m immediate -w -t 60 >/dev/null 2>&1 || true
            fi
            rm -rf -- "$CLUSTER_TMP"
        fi
    fi
    if [[ -n ${WORK:-} ]]; then
        if ((KEEP)) && ((SERVER_STARTED)); then
            log "keeping $WORK too (the bench alert channel writes there)"
        else
            rm -rf -- "$WORK"
        fi
    fi
    exit "$status"
}

SERVER_SETTINGS=(
    -c listen_addresses=127.0.0.1
    -c shared_buffers=1GB
    -c work_mem=64MB
    -c maintenance_work_mem=1GB
    -c fsync=on
    -c "synchronous_commit=$SYNC_COMMIT"
    -c wal_level=minimal
    -c max_wal_senders=0
    -c max_wal_size=16GB
    -c checkpoint_timeout=30min
    -c max_connections=50
    -c shared_preload_libraries=pg_stat_statements
    -c pg_stat_statements.track=top
)

start_cluster() {
    need_server
    CLUSTER_TMP=$(mktemp -d /tmp/lictrack-bench.XXXXXX)
    is_root && chown postgres:postgres -- "$CLUSTER_TMP"
    run_initdb "$CLUSTER_TMP/data" "$WORK/initdb.log" -U postgres --locale="$(initdb_locale)"
    local attempt status
    for attempt in 1 2 3 4 5; do
        PORT=$(pick_free_port "$FIRST_PORT" "$LAST_PORT")
        log "starting the benchmark server on 127.0.0.1:$PORT (attempt $attempt)"
        status=0
        pg_ctl_start "$CLUSTER_TMP/data" "$CLUSTER_TMP/server.log" -t 120 \
            -o "-p $PORT -k $CLUSTER_TMP ${SERVER_SETTINGS[*]}" || status=$?
        if ((status == 0)); then
            SERVER_STARTED=1
            URL="postgresql://postgres@127.0.0.1:$PORT/lictrack"
            "$PSQL" -X -q -d "postgresql://postgres@127.0.0.1:$PORT/postgres" -c 'create database lictrack' >/dev/null
            return 0
        fi
        ((status == 2)) || break
        log "port $PORT is taken; trying another"
    done
    show_log_tail "$CLUSTER_TMP/server.log" 30 'bench.sh: server.log: '
    die "the benchmark PostgreSQL server did not start"
}

# --- helpers ---------------------------------------------------------------

# psql on the benchmark database (notices off); stops at the first error.
sql() { PGOPTIONS='-c client_min_messages=warning' "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$URL" "$@"; }
# One value.
sql_value() { PGOPTIONS='-c client_min_messages=warning' "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$URL" -c "$1"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

out() { printf '%s\n' "$*" | tee -a "$RESULTS/output.txt"; }
section() {
    out ""
    out "== $* =="
}

# Median, min, max and count of every run time (seconds) in hyperfine JSON exports.
stats() {
    python3 - "$@" <<'EOF'
import json, statistics, sys
times = []
for path in sys.argv[1:]:
    for result in json.load(open(path))["results"]:
        times += result["times"]
print(f"{statistics.median(times):.6f} {min(times):.6f} {max(times):.6f} {len(times)}")
EOF
}

# Human-readable seconds.
fmt() {
    awk -v s="$1" 'BEGIN {
        if (s == "" || s == "-") { print "-"; exit }
        if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'
}

# Runs hyperfine quietly (its own output goes to the results directory).
bench() {
    local name=$1
    shift
    hyperfine -N --style basic --export-json "$RESULTS/$name.json" "$@" >"$RESULTS/$name.log" 2>&1 || {
        cat -- "$RESULTS/$name.log" >&2
        die "hyperfine failed for $name (see above)"
    }
}

# Prints one measured line and sets MEDIAN.
MEDIAN=""
report() {
    local label=$1 name=$2 median min max n
    read -r median min max n < <(stats "$RESULTS/$name.json")
    MEDIAN=$median
    out "$(printf '  %-58s median %10s  (min %s, max %s, %s runs)' "$label" "$(fmt "$median")" "$(fmt "$min")" "$(fmt "$max")" "$n")"
}

# Final table rows: measurement<TAB>lictrack<TAB>floor<TAB>goal (seconds, or -)<TAB>max ratio to
# the floor (or -; optional).
table_row() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" >>"$RESULTS/table.tsv"; }

print_table() {
    python3 - "$RESULTS/table.tsv" <<'EOF' | tee -a "$RESULTS/output.txt"
import sys
def fmt(s):
    if s in ("", "-", "skipped"): return s or "-"
    v = float(s)
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
head = ["measurement", "lictrack", "floor", "ratio", "goal", "result"]
body = []
for row in rows:
    name, tool, floor, goal = row[:4]
    max_ratio = row[4] if len(row) > 4 else "-"
    measured_tool = tool not in ("", "-", "skipped")
    has_ratio = measured_tool and floor not in ("", "-")
    ratio = f"{float(tool) / float(floor):.2f}x" if has_ratio else "-"
    # Rows without a lictrack command (sla_refresh_open) are judged on the SQL time.
    measured = tool if tool != "-" else floor
    goals = []
    if goal not in ("", "-"):
        goals.append("< " + fmt(goal))
    if max_ratio not in ("", "-"):
        goals.append(f"<= {float(max_ratio):g}x")
    if not goals:
        verdict = "-"
    elif measured in ("", "-", "skipped"):
        verdict = "SKIPPED"
    else:
        ok = goal in ("", "-") or float(measured) < float(goal)
        if max_ratio not in ("", "-"):
            ok = ok and has_ratio and float(tool) / float(floor) <= float(max_ratio)
        verdict = "PASS" if ok else "FAIL"
    body.append([name, fmt(tool), fmt(floor), ratio, ", ".join(goals) or "-", verdict])
widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
def line(r):
    return "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
print(line(head))
print("  " + "  ".join("-" * w for w in widths))
for r in body:
    print(line(r))
EOF
}

# --- main ------------------------------------------------------------------

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

WORK=$(mktemp -d /tmp/lictrack-bench-work.XXXXXX)
chmod 755 "$WORK"
RESULTS="$ROOT/bench-results/$(date +%Y%m%d-%H%M%S)-$SCALE"
mkdir -p -- "$RESULTS"
: >"$RESULTS/table.tsv"

ensure_packages
find_bindir || die "PostgreSQL server binaries not found"
PSQL="$BINDIR/psql"
[[ -x $PSQL ]] || PSQL=$(command -v psql)
command -v hyperfine >/dev/null 2>&1 || die "hyperfine not found (apt-get install hyperfine)"
command -v python3 >/dev/null 2>&1 || die "python3 not found (needed to read hyperfine's JSON)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time): it measures peak RSS"

if [[ -z $LICTRACK ]]; then
    # shellcheck source-path=SCRIPTDIR source=lib/release-build.sh
    source "$ROOT/Scripts/lib/release-build.sh"
    log "swift build ${RELEASE_BUILD_ARGS[*]} (log: $RESULTS/build.log)"
    release_build </dev/null >"$RESULTS/build.log" 2>&1 || {
        tail -n 40 -- "$RESULTS/build.log" >&2
        die "the release build failed"
    }
    LICTRACK=$(release_binary)
fi
[[ -x $LICTRACK ]] || die "no lictrack binary at $LICTRACK"
LICTRACK=$(cd -- "$(dirname -- "$LICTRACK")" && pwd -P)/$(basename -- "$LICTRACK")

start_cluster
export LICTRACK_DATABASE_URL=$URL
"$LICTRACK" db migrate >"$RESULTS/migrate.log" 2>&1 || {
    cat -- "$RESULTS/migrate.log" >&2
    die "lictrack db migrate failed"
}

TODAY=$(sql_value "select current_date")
ACCEPT_ON=$(sql_value "select current_date - 1")
AS_OF=$TODAY

out "lictrack benchmark, scale $SCALE: $N_APPS applications ($N_OPEN open), $N_EVENTS events, $N_DUE alerts due"
out "  $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start;" \
    "other work on this machine makes every figure noisy"
out "  $("$BINDIR/postgres" --version), $("$LICTRACK" --version 2>/dev/null | head -n 1 | sed 's/^/lictrack /'), $("$(command -v hyperfine)" --version)"
out "  server: fsync=on, synchronous_commit=$SYNC_COMMIT, shared_buffers=1GB, work_mem=64MB, maintenance_work_mem=1GB,"
out "          wal_level=minimal, max_wal_size=16GB, jit=on (default); lictrack and psql connect over TCP 127.0.0.1"
out "  results: $RESULTS"

# --- data set --------------------------------------------------------------

section "Data set (benchmark fixture: bulk-loaded with session_replication_role = replica, triggers bypassed)"
GEN_START=$(now)
start=$(now)
sql -v n_apps="$N_APPS" -v n_open="$N_OPEN" -v n_events="$N_EVENTS" -v today="$TODAY" \
    -f "$SQL_DIR/generate.sql" >"$RESULTS/generate.log" 2>&1 || {
    cat -- "$RESULTS/generate.log" >&2
    die "generating the data set failed"
}
GEN_LOAD=$(elapsed "$start")
out "  applications and events loaded in ${GEN_LOAD} s"

start=$(now)
sql -c 'analyze applications, application_events' >/dev/null
out "  analyze: $(elapsed "$start") s"

start=$(now)
changed=$(sql_value "select sla_refresh_open()")
GEN_CLOCKS_OPEN=$(elapsed "$start")
out "  clocks of the open applications: one select sla_refresh_open() in ${GEN_CLOCKS_OPEN} s ($changed clocks written)"

# Clocks of closed applications too, as the event trigger would have left them (so that
# application_clocks has its production size). Fixture only, so JIT is off here.
start=$(now)
sql >/dev/null <<'EOF'
set jit = off;
select format('select sla_refresh(array(select a.id from applications a
                                         join application_statuses s on s.status = a.status
                                         where s.is_final and a.id between %s and %s))', lo, lo + 99999)
from generate_series(1, (select max(id) from applications), 100000) as lo
\gexec
EOF
out "  clocks of the closed applications (fixture, jit off, in chunks of 100,000 ids): $(elapsed "$start") s"

start=$(now)
sql -c 'vacuum (analyze)' >/dev/null 2>&1
out "  vacuum (analyze): $(elapsed "$start") s"
start=$(now)
sql -c 'checkpoint' >/dev/null
out "  checkpoint: $(elapsed "$start") s"
GEN_TIME=$(elapsed "$GEN_START")
out "  generation in all: ${GEN_TIME} s"
sql -c 'create extension if not exists pg_stat_statements' >/dev/null

read -r n_apps n_open n_events n_clocks n_open_clocks db_size < <(sql_value "
    select (select count(*) from applications),
           (select count(*) from applications a join application_statuses s using (status) where not s.is_final),
           (select count(*) from application_events),
           (select count(*) from application_clocks),
           (select count(*) from application_clocks where ended_on is null),
           pg_size_pretty(pg_database_size(current_database()))" | tr '|' ' ')
out "  rows: $n_apps applications, $n_open open, $n_events events, $n_clocks clocks ($n_open_clocks open); database $db_size"
sql -c "select authority,
               count(*) as applications,
               count(*) filter (where status not in ('approved', 'denied', 'withdrawn')) as open
        from applications group by authority order by 2 desc" | sed 's/^/  /' | tee -a "$RESULTS/output.txt"
sql -c "select status, count(*) from applications group by status order by 2 desc" |
    sed 's/^/  /' | tee -a "$RESULTS/output.txt"

start=$(now)
full_check=0
((VERIFY_ALL)) && full_check=1
sql -v sample="$VERIFY_SAMPLE" -v full_check="$full_check" -f "$SQL_DIR/verify.sql" >"$RESULTS/verify.log" 2>&1 || {
    cat -- "$RESULTS/verify.log" >&2
    die "the generated data set breaks the workflow rules"
}
sed 's/^/  check: /' "$RESULTS/verify.log" | tee -a "$RESULTS/output.txt"
out "  checked in $(elapsed "$start") s"

# --- 1. one command: app accept, app show ---------------------------------

section "1. One command (issue 2): lictrack app accept / app show against psql"
ACCEPT_IDS=$(sql_value "
    select string_agg(id::text, ',' order by id)
    from (select id from applications
          where status = 'submitted' and last_event_on <= date '$ACCEPT_ON'
          order by id limit $((2 * RUNS_FAST + 2))) s")
IFS=, read -r -a ids <<<"$ACCEPT_IDS"
((${#ids[@]} == 2 * RUNS_FAST + 2)) || die "only ${#ids[@]} submitted applications to accept; need $((2 * RUNS_FAST + 2))"
# One untimed accept of each kind first, so that neither side pays for a cold start.
"$LICTRACK" app accept "${ids[0]}" --on "$ACCEPT_ON" >/dev/null
sql -c "insert into application_events (application_id, event, occurred_on) values (${ids[1]}, 'accept', '$ACCEPT_ON')" >/dev/null
LICTRACK_IDS=$(IFS=,; echo "${ids[*]:2:RUNS_FAST}")
FLOOR_IDS=$(IFS=,; echo "${ids[*]:2+RUNS_FAST:RUNS_FAST}")

bench accept-lictrack --runs 1 -L id "$LICTRACK_IDS" "$LICTRACK app accept {id} --on $ACCEPT_ON"
report "lictrack app accept ID --on $ACCEPT_ON (a different ID each run)" accept-lictrack
T_ACCEPT=$MEDIAN
bench accept-select1 --runs "$RUNS_FAST" --warmup 3 "$PSQL -X -q -d $URL -c 'select 1'"
report "psql -c 'select 1'" accept-select1
T_SELECT1=$MEDIAN
bench accept-psql --runs 1 -L id "$FLOOR_IDS" \
    "$PSQL -X -q -d $URL -c \"insert into application_events (application_id, event, occurred_on) values ({id}, 'accept', '$ACCEPT_ON')\""
report "psql -c \"insert into application_events ... 'accept'\" (same SQL)" accept-psql
T_ACCEPT_SQL=$MEDIAN
accepted=$(sql_value "select count(*) from application_events where event = 'accept' and occurred_on = '$ACCEPT_ON'
                      and application_id = any('{$ACCEPT_IDS}'::bigint[])")
((accepted == 2 * RUNS_FAST + 2)) || die "expected $((2 * RUNS_FAST + 2)) accepted applications, found $accepted"
out "  ratio accept / select 1: $(awk -v a="$T_ACCEPT" -v b="$T_SELECT1" 'BEGIN { printf "%.2fx", a / b }');" \
    "accept / same SQL in psql: $(awk -v a="$T_ACCEPT" -v b="$T_ACCEPT_SQL" 'BEGIN { printf "%.2fx", a / b }')"
table_row "app accept vs psql select 1 (issue 2)" "$T_ACCEPT" "$T_SELECT1" "-"
table_row "app accept vs psql insert of the event" "$T_ACCEPT" "$T_ACCEPT_SQL" "-"

bench version-lictrack --runs "$RUNS_FAST" --warmup 3 "$LICTRACK --version"
report "(diagnostic) lictrack --version: process start, no database" version-lictrack
table_row "  (diagnostic) lictrack --version, no database" "$MEDIAN" "-" "-"

SHOW_ID=${ids[2]}
bench show-lictrack --runs "$RUNS_FAST" --warmup 3 "$LICTRACK app show $SHOW_ID --format json"
report "lictrack app show $SHOW_ID --format json" show-lictrack
T_SHOW=$MEDIAN
bench show-psql --runs "$RUNS_FAST" --warmup 3 "$PSQL -X -q -d $URL -c 'select * from applications where id = $SHOW_ID'"
report "psql -c 'select * from applications where id = $SHOW_ID'" show-psql
T_SHOW_SQL=$MEDIAN
out "  ratio show / psql: $(awk -v a="$T_SHOW" -v b="$T_SHOW_SQL" 'BEGIN { printf "%.2fx", a / b }')"
table_row "app show --format json vs psql select" "$T_SHOW" "$T_SHOW_SQL" "-"

# --- 1b. app accept through pgbouncer --------------------------------------

section "1b. lictrack app accept through pgbouncer (transaction pooling) against psql through it (issue 10)"
run_pgbouncer_benchmarks

# --- 2. alerts -------------------------------------------------------------

section "2. Alerts as of $AS_OF"
HAVE_ALERTS_RUN=0
if "$LICTRACK" alerts run --help 2>&1 | grep -q -- '--as-of' &&
    "$LICTRACK" alerts channel add --help 2>&1 | grep -q -- '--target'; then
    HAVE_ALERTS_RUN=1
else
    out "  lictrack alerts run / alerts channel add are not in this build: lictrack side SKIPPED"
fi
JSONL="$WORK/alerts.jsonl"
FLOOR_JSONL="$WORK/alerts-floor.jsonl"

backlog=$(sql_value "select count(*) from application_clocks where next_alert_on <= date '$AS_OF'")
start=$(now)
if ((HAVE_ALERTS_RUN)); then
    "$LICTRACK" alerts run --as-of "$AS_OF" --format json >"$RESULTS/alerts-backlog.json" 2>"$RESULTS/alerts-backlog.err" || {
        cat -- "$RESULTS/alerts-backlog.err" >&2
        die "lictrack alerts run (backlog) failed"
    }
    how="lictrack alerts run, no channel yet"
else
    sql_value "select count(*) from alerts_raise('$AS_OF')" >/dev/null
    how="psql alerts_raise(), no channel yet"
fi
out "  backlog: $backlog clocks due on $AS_OF raised $(sql_value "select count(*) from sla_alerts") alerts in $(elapsed "$start") s ($how)"
left=$(sql_value "select count(*) from application_clocks where next_alert_on <= date '$AS_OF'")
((left == 0)) || die "$left clocks still due after the backlog run"

if ((HAVE_ALERTS_RUN)); then
    "$LICTRACK" alerts channel add bench --kind jsonl --target "$JSONL" >/dev/null
else
    sql -c "insert into alert_channels (name, kind, target) values ('bench', 'jsonl', '$JSONL')" >/dev/null
fi

# a. nothing due.
out "  a. 0 alerts due ($(sql_value "select count(*) from application_clocks where next_alert_on is not null") clocks with an alert pending later)"
if ((HAVE_ALERTS_RUN)); then
    bench alerts0-lictrack --runs "$RUNS_FAST" --warmup 3 "$LICTRACK alerts run --as-of $AS_OF --format json"
    report "lictrack alerts run --as-of $AS_OF --format json" alerts0-lictrack
    T_ALERTS0=$MEDIAN
else
    T_ALERTS0=skipped
fi
bench alerts0-psql --runs "$RUNS_FAST" --warmup 3 "$PSQL -X -q -d $URL -c \"select count(*) from alerts_raise('$AS_OF')\""
report "psql -c \"select count(*) from alerts_raise('$AS_OF')\"" alerts0-psql
T_ALERTS0_SQL=$MEDIAN
bench alerts0-scan --runs "$RUNS_FAST" --warmup 3 \
    "$PSQL -X -q -d $URL -c \"select count(*) from application_clocks where next_alert_on <= '$AS_OF'\""
report "psql -c \"select count(*) from application_clocks where next_alert_on <= ...\"" alerts0-scan
table_row "alerts run, 0 due" "$T_ALERTS0" "$T_ALERTS0_SQL" "-" "1.5"

# b. exactly N_DUE due: running clocks that are due soon or breached on AS_OF (alerts_due() raises
# only those, 0019), whose alerts the backlog run above raised, are made due again as if none had
# been raised; each run starts from that same state (bench/alerts-arm.sql, untimed), and
# bench/alerts-restore.sql puts their bookkeeping back afterwards.
sql -c "drop table if exists bench.due_clocks" -c "
    create table bench.due_clocks as
    select application_id, cycle, next_alert_on as original_next_alert_on,
           warned_deadline as original_warned_deadline, breached_deadline as original_breached_deadline
    from application_clocks
    where started_on is not null and ended_on is null and pause_open_since is null
      and warn_on <= date '$AS_OF'
    order by hashint8extended(application_id, 7)
    limit $N_DUE" >/dev/null
# Their alerts from the backlog run are set aside (sla_alerts_once would refuse raising them again)
# and put back by bench/alerts-restore.sql.
sql -c "drop table if exists bench.due_alerts, bench.due_deliveries" -c "
    create table bench.due_alerts as
    select a.* from sla_alerts a join bench.due_clocks d using (application_id, cycle)" -c "
    create table bench.due_deliveries as
    select x.* from alert_deliveries x where x.alert_id in (select id from bench.due_alerts)" -c "
    delete from alert_deliveries where alert_id in (select id from bench.due_alerts)" -c "
    delete from sla_alerts where id in (select id from bench.due_alerts)" >/dev/null
n_due=$(sql_value "select count(*) from bench.due_clocks")
((n_due == N_DUE)) || die "only $n_due clocks can be made due; need $N_DUE"
BASELINE=$(sql_value "select coalesce(max(id), 0) from sla_alerts")
ARM="$PSQL -X -q -v ON_ERROR_STOP=1 -d $URL -v as_of=$AS_OF -v baseline=$BASELINE -f $SQL_DIR/alerts-arm.sql"
out "  b. exactly $N_DUE alerts due (never-alerted open clocks made due on $AS_OF; one jsonl channel; reset before each run)"

check_delivered() {
    local file=$1 what=$2 raised delivered lines
    raised=$(sql_value "select count(*) from sla_alerts where id > $BASELINE")
    delivered=$(sql_value "select count(*) from alert_deliveries d join sla_alerts a on a.id = d.alert_id
                           where a.id > $BASELINE and d.status = 'delivered'")
    lines=$(wc -l <"$file")
    if ((raised != N_DUE || delivered != N_DUE || lines != N_DUE)); then
        die "$what: raised $raised, delivered $delivered, $lines lines in $file; expected $N_DUE each"
    fi
}

if ((HAVE_ALERTS_RUN)); then
    bash -c "$ARM && : >$JSONL"
    "$LICTRACK" alerts run --as-of "$AS_OF" --format json >"$RESULTS/alerts-due-sample.json"
    check_delivered "$JSONL" "lictrack alerts run"
    bench alertsN-lictrack --runs "$RUNS_ALERTS" --prepare "bash -c '$ARM && : >$JSONL'" \
        "$LICTRACK alerts run --as-of $AS_OF --format json"
    check_delivered "$JSONL" "lictrack alerts run"
    report "lictrack alerts run --as-of $AS_OF --format json" alertsN-lictrack
    T_ALERTSN=$MEDIAN
    # Where one run's time goes: its statements, from pg_stat_statements.
    bash -c "$ARM && : >$JSONL"
    sql_value "select pg_stat_statements_reset()" >/dev/null
    "$LICTRACK" alerts run --as-of "$AS_OF" --format json >/dev/null
    check_delivered "$JSONL" "lictrack alerts run"
    out "     one lictrack run's statements (pg_stat_statements; server time only, excludes round trips):"
    sql -c "select calls, round(total_exec_time::numeric, 1) as total_ms,
                   round(mean_exec_time::numeric, 3) as mean_ms,
                   left(regexp_replace(query, '\s+', ' ', 'g'), 90) as statement
            from pg_stat_statements
            where query not like '%pg_stat_statements%'
            order by total_exec_time desc limit 8" | sed 's/^/     /' | tee -a "$RESULTS/output.txt"
else
    T_ALERTSN=skipped
fi
FLOOR_CMD="$PSQL -X -q -v ON_ERROR_STOP=1 -d $URL -v as_of=$AS_OF -v jsonl=$FLOOR_JSONL -f $SQL_DIR/alerts-floor.sql"
bash -c "$ARM && : >$FLOOR_JSONL"
$FLOOR_CMD >/dev/null
check_delivered "$FLOOR_JSONL" "psql floor"
bench alertsN-psql --runs "$RUNS_ALERTS" --prepare "bash -c '$ARM && : >$FLOOR_JSONL'" "$FLOOR_CMD"
check_delivered "$FLOOR_JSONL" "psql floor"
report "psql: alerts_raise() + set-based delivery (bench/alerts-floor.sql)" alertsN-psql
T_ALERTSN_SQL=$MEDIAN
bench alertsN-raise --runs "$RUNS_ALERTS" --prepare "$ARM" \
    "$PSQL -X -q -d $URL -c \"select count(*) from alerts_raise('$AS_OF')\""
report "(diagnostic) psql: alerts_raise() alone, $N_DUE due" alertsN-raise
T_ALERTSN_RAISE=$MEDIAN
table_row "alerts run, $N_DUE due, jsonl delivery" "$T_ALERTSN" "$T_ALERTSN_SQL" "0.3" "2"
table_row "  (diagnostic) alerts_raise() alone, $N_DUE due" "-" "$T_ALERTSN_RAISE" "-"

# c. exactly N_DUE due to a loopback webhook receiver (the jsonl channel disabled meanwhile).
if ((HAVE_ALERTS_RUN)); then
    HOOK_LOG="$WORK/webhook.log"
    : >"$HOOK_LOG"
    python3 "$SQL_DIR/webhook-receiver.py" "$WORK/webhook.port" "$HOOK_LOG" &
    RECEIVER_PID=$!
    for _ in $(seq 50); do [[ -s $WORK/webhook.port ]] && break; sleep 0.1; done
    [[ -s $WORK/webhook.port ]] || die "the loopback webhook receiver did not start"
    HOOK_URL="http://127.0.0.1:$(cat "$WORK/webhook.port")/lictrack"
    "$LICTRACK" alerts channel disable bench >/dev/null
    "$LICTRACK" alerts channel add benchhook --kind webhook --target "$HOOK_URL" >/dev/null
    out "  c. exactly $N_DUE alerts due to one webhook ($HOOK_URL: bench/webhook-receiver.py, keep-alive, 204)"
    bash -c "$ARM && : >$HOOK_LOG"
    "$LICTRACK" alerts run --as-of "$AS_OF" --format json >"$RESULTS/alerts-webhook-sample.json"
    check_delivered "$HOOK_LOG" "lictrack alerts run (webhook)"
    bench alertsN-webhook --runs "$RUNS_ALERTS" --prepare "bash -c '$ARM && : >$HOOK_LOG'" \
        "$LICTRACK alerts run --as-of $AS_OF --format json"
    check_delivered "$HOOK_LOG" "lictrack alerts run (webhook)"
    report "lictrack alerts run --as-of $AS_OF --format json (webhook)" alertsN-webhook
    T_ALERTSN_HOOK=$MEDIAN
    "$LICTRACK" alerts channel disable benchhook >/dev/null
    "$LICTRACK" alerts channel enable bench >/dev/null
else
    T_ALERTSN_HOOK=skipped
fi
table_row "alerts run, $N_DUE due, loopback webhook" "$T_ALERTSN_HOOK" "$T_ALERTSN_SQL" "2"

# The plans of alerts_raise()'s candidate scan, captured now (N_DUE due), printed in section 4.
bash -c "$ARM" >/dev/null
{
    echo "-- application_clocks: $(sql_value "select count(*) from application_clocks") rows;" \
        "application_clocks_next_alert_idx: $(sql_value "select count(*) from application_clocks where next_alert_on is not null") entries," \
        "$(sql_value "select pg_size_pretty(pg_relation_size('application_clocks_next_alert_idx'))");" \
        "due on $AS_OF: $(sql_value "select count(*) from application_clocks where next_alert_on <= '$AS_OF'")"
    echo
    echo "-- (i) the candidate query as alerts_raise() runs it (p_as_of = '$AS_OF'), rolled back:"
    sql -c "begin" -c "explain (analyze, buffers, costs off)
        select k.application_id, k.cycle, k.authority, k.deadline, k.warn_on, k.started_on, k.ended_on,
               k.pause_open_since, k.breached_deadline,
               coalesce(date '$AS_OF', authority_today(k.authority)) as as_of
        from application_clocks k
        where k.next_alert_on is not null
          and k.next_alert_on <= coalesce(date '$AS_OF', current_date + 1)
          and k.next_alert_on <= coalesce(date '$AS_OF', authority_today(k.authority))
        order by k.application_id, k.cycle
        for update of k skip locked" -c "rollback"
    echo "-- (ii) the plan inside the function (auto_explain of select count(*) from alerts_raise('$AS_OF'), rolled back):"
    sql -c "load 'auto_explain'" -c "set auto_explain.log_min_duration = 0" -c "set auto_explain.log_analyze = on" \
        -c "set auto_explain.log_buffers = on" -c "set auto_explain.log_nested_statements = on" \
        -c "set auto_explain.log_level = notice" -c "set client_min_messages = notice" \
        -c "begin" -c "select count(*) as raised from alerts_raise('$AS_OF')" -c "rollback" 2>&1 |
        sed -e 's/^NOTICE:  //' |
        # Only the function body's plan and the calling statement's (not the foreign-key checks').
        awk '/^duration: / { keep = 0; block = $0; next }
             block != "" { if ($0 ~ /^Query Text: (select count|$)/) { keep = 1; print block } ; block = "" }
             keep'
} >"$RESULTS/explain.txt" 2>&1

# Put the clocks back as they were and drop the bench alerts.
sql -v baseline="$BASELINE" -f "$SQL_DIR/alerts-restore.sql" >/dev/null


# --- 3. recomputing deadlines ----------------------------------------------

section "3. Recomputing open deadlines"
CN_FILE="$ROOT/Database/calendars/CN-2027.csv"
CN_OTHER="$WORK/CN-2027-other.csv"
# The other version of 2027: an extra holiday on Monday 4 January. Importing it (untimed) before
# each timed run means every timed import really moves the CN deadlines that cross that day.
awk -F, 'BEGIN { OFS = "," } $1 == "2027-01-04" { $2 = "false"; $3 = "Bench: provisional extra holiday" } { print }' \
    "$CN_FILE" >"$CN_OTHER"
{
    echo "drop table if exists bench.calendar_payloads;"
    echo "create table bench.calendar_payloads (name text primary key, days jsonb not null);"
    for name in official other; do
        file=$CN_FILE
        [[ $name == other ]] && file=$CN_OTHER
        echo "create temp table csv_$name (day date, working boolean, name text);"
        echo "copy csv_$name from stdin with (format csv, header true);"
        cat -- "$file"
        echo '\.'
        echo "insert into bench.calendar_payloads
              select '$name', jsonb_agg(jsonb_build_object('date', day, 'working', working, 'name', coalesce(name, ''))
                                        order by day)
              from csv_$name;"
    done
} | sql >/dev/null
n_cn=$(sql_value "select count(*) from applications a join application_statuses s using (status)
                  where not s.is_final and a.authority in (select authority from sla_policies where calendar = 'CN')")
IMPORT="$PSQL -X -q -v ON_ERROR_STOP=1 -d $URL -f $SQL_DIR/calendar-import.sql"
out "  c. calendar import CN 2027 ($n_cn open applications count on CN; before each run the other version of 2027,"
out "     with an extra holiday on 2027-01-04, is imported untimed, so every timed import moves deadlines)"
$IMPORT -v name=other >/dev/null
"$LICTRACK" calendar import CN "$CN_FILE" --format json >"$RESULTS/import-sample.json"
out "     lictrack calendar import CN ... --format json: $(tr -d '\n' <"$RESULTS/import-sample.json")"
bench import-lictrack --runs "$RUNS_HEAVY" --prepare "$IMPORT -v name=other" "$LICTRACK calendar import CN $CN_FILE"
report "lictrack calendar import CN Database/calendars/CN-2027.csv" import-lictrack
T_IMPORT=$MEDIAN
bench import-psql --runs "$RUNS_HEAVY" --prepare "$IMPORT -v name=other" "$IMPORT -v name=official"
report "psql: select * from calendar_import('CN', <the same days>, ...)" import-psql
T_IMPORT_SQL=$MEDIAN
table_row "calendar import CN (recomputes CN clocks)" "$T_IMPORT" "$T_IMPORT_SQL" "10"
bench import-psql-nojit --runs "$RUNS_HEAVY" --prepare "$IMPORT -v name=other" "$IMPORT -v name=official -v nojit=1"
report "(diagnostic) the same psql call with set jit = off" import-psql-nojit
table_row "  (diagnostic) calendar_import, jit = off" "-" "$MEDIAN" "10"
# The official 2027 stays in place.

# All open clocks, after a hand edit of the calendars (what sla_refresh_open() is documented for):
# before each run, 4 January 2027 flips between working and not working on CN, GB-ENG and DE.
FLIP="$PSQL -X -q -v ON_ERROR_STOP=1 -d $URL -f $SQL_DIR/calendar-flip.sql"
out "  d. select sla_refresh_open() over all $n_open open applications (before each run 2027-01-04 flips on CN, GB-ENG and DE, untimed)"
bench refresh-psql --runs "$RUNS_HEAVY" --prepare "$FLIP" "$PSQL -X -q -v ON_ERROR_STOP=1 -d $URL -c 'select sla_refresh_open()'"
report "psql -c 'select sla_refresh_open()'" refresh-psql
table_row "sla_refresh_open() all open clocks (psql)" "-" "$MEDIAN" "10"
bench refresh-psql-nojit --runs "$RUNS_HEAVY" --prepare "$FLIP" \
    "$PSQL -X -q -v ON_ERROR_STOP=1 -d $URL -c 'set jit = off' -c 'select sla_refresh_open()'"
report "(diagnostic) the same with set jit = off" refresh-psql-nojit
table_row "  (diagnostic) sla_refresh_open() with jit = off" "-" "$MEDIAN" "10"
sql -v restore=1 -f "$SQL_DIR/calendar-flip.sql" >/dev/null
sql_value "select sla_refresh_open()" >/dev/null

# --- 4. the candidate scan ------------------------------------------------

section "4. alerts_raise()'s candidate scan (with $N_DUE due; plans captured after the alert runs)"
tee -a "$RESULTS/output.txt" <"$RESULTS/explain.txt" | sed 's/^/  /'
uses_index=$(grep -c 'application_clocks_next_alert_idx' "$RESULTS/explain.txt" || true)
if ((uses_index > 0)); then
    out "  => the candidate scan uses application_clocks_next_alert_idx"
else
    out "  => WARNING: the candidate scan does NOT use application_clocks_next_alert_idx"
fi

# --- 5. reports ------------------------------------------------------------

section "5. Reports (issue 6): lictrack against psql running the same SQL"
run_report_benchmarks

# --- 6. import ---------------------------------------------------------------

section "6. Import (issue 9): lictrack app import against psql \\copy of the same file into the staging table"
run_import_benchmarks

# --- summary ---------------------------------------------------------------

section "Summary (medians; ratio = lictrack / floor; goals from the issue, checked at full scale)"
print_table
print_rss_table
if [[ $SCALE != full ]]; then
    out "  (scale $SCALE: less data than the issue's; the goals are only meaningful with --scale full)"
fi
out "  data set generated in ${GEN_TIME} s (load ${GEN_LOAD} s; clocks of the open applications, one select sla_refresh_open(), ${GEN_CLOCKS_OPEN} s)"
