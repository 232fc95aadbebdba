#!/usr/bin/env bash
# A project-local PostgreSQL cluster for development and the demo.
#
# State lives in .lictrack/ at the repository root (git-ignored):
#   .lictrack/port      the port this cluster uses (reused across restarts)
#   .lictrack/cluster   the cluster: data/, socket/, server.log. When the server
#                       user cannot reach the repository (root running a clone
#                       under /root, say) or the path is too long for a unix
#                       socket, this is a symlink to /tmp/lictrack-cluster-<hash>.
#
# Run `Scripts/local-db.sh help` for the commands.
set -euo pipefail

readonly PROG=local-db.sh
readonly DB_NAME=lictrack
readonly DB_SUPERUSER=lictrack
readonly FIRST_PORT=55432
readonly LAST_PORT=55999

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
readonly SCRIPT_DIR ROOT
# PostgreSQL plumbing shared with the other scripts (is_root, as_server, find_bindir
# and BINDIR, client, pick_free_port, ...); it gives up through our die.
# shellcheck source-path=SCRIPTDIR source=lib/postgres.sh
source "$SCRIPT_DIR/lib/postgres.sh"
readonly STATE_DIR="$ROOT/.lictrack"
readonly PORT_FILE="$STATE_DIR/port"
readonly CLUSTER_LINK="$STATE_DIR/cluster"

usage() {
    cat <<EOF
usage: Scripts/local-db.sh COMMAND [ARGS...]

A PostgreSQL cluster for development, kept in .lictrack/ at the repository root
and listening only on 127.0.0.1 (and a unix socket inside the cluster).

commands:
  start        create the cluster and database '$DB_NAME' if needed, start the
               server on a free port (reused across restarts), print its URL
  stop         stop the server (fast shutdown); nothing to do if it is stopped
  status       say whether it runs, its port and data directory
               (exit 0 running, 3 stopped or not created)
  url          print postgresql://$DB_SUPERUSER@127.0.0.1:PORT/$DB_NAME
               (exit 1 if the cluster was never created)
  psql [ARGS]  run psql against that database, e.g. psql -c 'select 1'
  help         show this text

Remove everything with: Scripts/local-db.sh stop && rm -rf .lictrack
(when .lictrack/cluster is a symlink, also remove the directory it points to).
EOF
}

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

# --- server binaries --------------------------------------------------------

ensure_binaries() {
    find_bindir && return 0
    if ! is_root; then
        die "PostgreSQL server binaries (initdb, pg_ctl) not found; install the 'postgresql' package (e.g. sudo apt-get install postgresql)"
    fi
    say "PostgreSQL server not found; installing it with apt-get"
    apt_install postgresql
    find_bindir || die "installed postgresql but still cannot find initdb/pg_ctl"
}

# --- where the cluster lives -----------------------------------------------

# The directory holding data/, socket/ and server.log, or "" if never created.
existing_cluster_dir() {
    if [[ -L $CLUSTER_LINK ]]; then
        readlink -- "$CLUSTER_LINK"
    elif [[ -d $CLUSTER_LINK ]]; then
        printf '%s\n' "$CLUSTER_LINK"
    elif [[ -f "$STATE_DIR/cluster-path" ]]; then
        cat -- "$STATE_DIR/cluster-path"
    fi
}

tmp_cluster_dir() {
    local hash
    hash=$(printf '%s' "$ROOT" | sha256sum | cut -c1-10)
    printf '/tmp/lictrack-cluster-%s\n' "$hash"
}

# Can the server user use DIR as the cluster's home? (reachable, and short
# enough for a unix socket path: sun_path holds 107 bytes)
usable_in_place() {
    local dir=$1
    local socket_path="$dir/socket/.s.PGSQL.$LAST_PORT"
    ((${#socket_path} <= 100)) || return 1
    if is_root; then
        runuser -u postgres -- test -x "$STATE_DIR" || return 1
    fi
    return 0
}

# Decides (once) where the cluster lives, creates that directory, prints it.
create_cluster_dir() {
    local dir
    mkdir -p -- "$STATE_DIR"
    if usable_in_place "$CLUSTER_LINK"; then
        dir=$CLUSTER_LINK
        mkdir -p -- "$dir"
    else
        dir=$(tmp_cluster_dir)
        if [[ -e $dir && ! -O $dir ]] && ! { is_root && [[ $(stat -c %U -- "$dir") == postgres ]]; }; then
            die "$dir exists and belongs to someone else; remove it or move the repository"
        fi
        [[ -d $dir ]] || mkdir -m 700 -- "$dir"
        ln -sfn -- "$dir" "$CLUSTER_LINK"
        say "the server user cannot use $STATE_DIR; cluster placed in $dir (linked from .lictrack/cluster)"
    fi
    if is_root; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as (is the postgresql package installed?)"
        chown postgres:postgres -- "$dir"
    fi
    chmod 700 -- "$dir"
    printf '%s\n' "$dir"
}

# --- ports -----------------------------------------------------------------

remembered_port() {
    [[ -f $PORT_FILE ]] || return 1
    local port
    port=$(tr -cd '0-9' <"$PORT_FILE")
    [[ -n $port ]] || return 1
    printf '%s\n' "$port"
}

# The port of the running server, from postmaster.pid (4th line).
running_port() {
    local data=$1
    sed -n 4p -- "$data/postmaster.pid" 2>/dev/null | tr -cd '0-9'
}

# --- cluster state ---------------------------------------------------------

CLUSTER_DIR=""
DATA_DIR=""
SOCKET_DIR=""
LOG_FILE=""

load_cluster() {
    CLUSTER_DIR=$(existing_cluster_dir)
    if [[ -n $CLUSTER_DIR ]]; then
        DATA_DIR="$CLUSTER_DIR/data"
        SOCKET_DIR="$CLUSTER_DIR/socket"
        LOG_FILE="$CLUSTER_DIR/server.log"
    fi
}

is_initialised() {
    [[ -n $DATA_DIR && -f "$DATA_DIR/PG_VERSION" ]]
}

is_running() {
    is_initialised || return 1
    as_server "$BINDIR/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1
}

url_for() { printf 'postgresql://%s@127.0.0.1:%s/%s\n' "$DB_SUPERUSER" "$1" "$DB_NAME"; }

# Quote a value for postgresql.conf.
conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

initialise() {
    local locale
    locale=$(initdb_locale)
    say "creating cluster in $DATA_DIR (superuser $DB_SUPERUSER, trust auth, UTF8, locale $locale)"
    as_server mkdir -p -- "$SOCKET_DIR"
    as_server chmod 700 -- "$SOCKET_DIR"
    run_initdb "$DATA_DIR" "$CLUSTER_DIR/initdb.log" -U "$DB_SUPERUSER" --locale="$locale"
    # Settings this script owns are kept in lictrack.conf, rewritten on each start.
    printf "\n# Added by Scripts/local-db.sh\ninclude_if_exists = 'lictrack.conf'\n" |
        as_server tee -a "$DATA_DIR/postgresql.conf" >/dev/null
}

write_settings() {
    local port=$1
    {
        printf '# Written by Scripts/local-db.sh on every start; edit postgresql.conf instead.\n'
        printf 'port = %s\n' "$port"
        printf "listen_addresses = '127.0.0.1'\n"
        printf 'unix_socket_directories = %s\n' "$(conf_quote "$SOCKET_DIR")"
    } | as_server tee "$DATA_DIR/lictrack.conf" >/dev/null
}

# pg_ctl start; returns 2 when the port turned out to be taken (race), 1 otherwise.
start_server() {
    local port=$1 status=0
    write_settings "$port"
    pg_ctl_start "$DATA_DIR" "$LOG_FILE" -t 60 || status=$?
    if ((status == 1)); then
        tail -n 20 -- "$LOG_FILE" >&2 2>/dev/null || true
    fi
    return "$status"
}

wait_ready() {
    local port=$1 i
    for ((i = 0; i < 60; i++)); do
        if client pg_isready -q -h 127.0.0.1 -p "$port" -d postgres -U "$DB_SUPERUSER"; then
            return 0
        fi
        sleep 0.5
    done
    die "server on port $port did not become ready; see $LOG_FILE"
}

ensure_database() {
    local port=$1 exists
    exists=$(client psql -X -q -At -h 127.0.0.1 -p "$port" -U "$DB_SUPERUSER" -d postgres \
        -c "select 1 from pg_database where datname = '$DB_NAME'")
    if [[ $exists != 1 ]]; then
        say "creating database $DB_NAME"
        client psql -X -q -h 127.0.0.1 -p "$port" -U "$DB_SUPERUSER" -d postgres \
            -c "create database $DB_NAME" >/dev/null
    fi
}

# --- commands --------------------------------------------------------------

cmd_start() {
    ensure_binaries
    load_cluster
    if [[ -z $CLUSTER_DIR || ! -d $CLUSTER_DIR ]]; then
        # First start, or the /tmp cluster vanished (reboot): (re)create it.
        [[ -L $CLUSTER_LINK ]] && rm -f -- "$CLUSTER_LINK"
        CLUSTER_DIR=$(create_cluster_dir)
        load_cluster
    fi
    is_initialised || initialise

    local port
    if is_running; then
        port=$(running_port "$DATA_DIR")
        say "already running on port $port (data directory $DATA_DIR)"
        printf '%s\n' "$port" >"$PORT_FILE"
        url_for "$port"
        return 0
    fi

    local attempt status
    for attempt in 1 2 3 4 5; do
        if port=$(remembered_port) && port_is_free "$port"; then
            :
        else
            if [[ -n ${port:-} ]]; then
                say "port $port is taken by something else; choosing another"
            fi
            port=$(pick_free_port "$FIRST_PORT" "$LAST_PORT" sequential)
        fi
        printf '%s\n' "$port" >"$PORT_FILE"
        say "starting server on 127.0.0.1:$port (data directory $DATA_DIR, log $LOG_FILE)"
        status=0
        start_server "$port" || status=$?
        case $status in
        0) break ;;
        2) say "port $port was taken while starting (attempt $attempt)"; rm -f -- "$PORT_FILE" ;;
        *) die "the server did not start; see $LOG_FILE" ;;
        esac
    done
    ((status == 0)) || die "could not find a port the server can bind"

    wait_ready "$port"
    ensure_database "$port"
    say "ready"
    url_for "$port"
}

cmd_stop() {
    ensure_binaries
    load_cluster
    if ! is_running; then
        say "not running"
        return 0
    fi
    as_server "$BINDIR/pg_ctl" stop -D "$DATA_DIR" -m fast -w -t 60 >/dev/null
    say "stopped"
}

cmd_status() {
    ensure_binaries
    load_cluster
    if ! is_initialised; then
        echo "not created (run: Scripts/local-db.sh start)"
        return 3
    fi
    local port
    if is_running; then
        port=$(running_port "$DATA_DIR")
        echo "running"
        echo "port: $port"
        echo "data directory: $DATA_DIR"
        echo "url: $(url_for "$port")"
        return 0
    fi
    port=$(remembered_port || echo "?")
    echo "stopped"
    echo "port: $port"
    echo "data directory: $DATA_DIR"
    return 3
}

cmd_url() {
    load_cluster
    local port
    if ! is_initialised || ! port=$(remembered_port); then
        die "no local cluster yet; run: Scripts/local-db.sh start"
    fi
    url_for "$port"
}

cmd_psql() {
    ensure_binaries
    load_cluster
    if ! is_running; then
        die "the local server is not running; run: Scripts/local-db.sh start"
    fi
    local port
    port=$(running_port "$DATA_DIR")
    exec "$(client_path psql)" "$(url_for "$port")" "$@"
}

main() {
    local command=${1:-}
    [[ $# -gt 0 ]] && shift
    case $command in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    url) cmd_url "$@" ;;
    psql) cmd_psql "$@" ;;
    help | -h | --help) usage ;;
    "")
        usage >&2
        exit 2
        ;;
    *)
        say "unknown command: $command"
        usage >&2
        exit 2
        ;;
    esac
}

main "$@"
