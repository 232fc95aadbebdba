# shellcheck shell=bash
# PostgreSQL-cluster plumbing shared by Scripts/test.sh, Scripts/local-db.sh and
# Scripts/bench.sh. Source it; do not run it:
#
#   # shellcheck source-path=SCRIPTDIR source=lib/postgres.sh
#   source "$ROOT/Scripts/lib/postgres.sh"
#
# Sourcing only defines the functions below and BINDIR; it sets no shell options
# and prints nothing. The few functions that give up (need_server,
# pick_free_port, run_initdb) do so through the sourcing script's own
# die MESSAGE, so the message carries that script's prefix ("test.sh: error:
# ...") and it exits 1. The others return non-zero and leave the wording to the
# caller.

# Gives up with MESSAGE: through the sourcing script's die when it has one, else "<script name>: error: MESSAGE" and exit 1.
pg_die() {
    if declare -F die >/dev/null; then
        die "$@"
    fi
    printf '%s: error: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# The directory of the server binaries (initdb, pg_ctl, postgres, psql); set by find_bindir.
BINDIR=""

# True when running as root.
is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as the server's user: postgres when root (the server refuses root), else us; from / so postgres can read its cwd.
as_server() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Sets BINDIR: the highest /usr/lib/postgresql/<major>/bin, else pg_config --bindir, else initdb's directory on PATH; 1 if none.
find_bindir() {
    local dir candidate
    while IFS= read -r dir; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            BINDIR=$dir
        fi
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

# Sets BINDIR and, when root, checks there is a postgres user to run the server as; dies otherwise.
need_server() {
    find_bindir || pg_die "PostgreSQL server binaries (initdb, pg_ctl) not found; install the 'postgresql' package"
    if is_root; then
        id postgres >/dev/null 2>&1 || pg_die "no 'postgres' user to run the server as"
    fi
}

# Prints how to run client TOOL (psql, pg_isready): its path in BINDIR when there is one, else the bare name for PATH.
client_path() {
    if [[ -n $BINDIR && -x "$BINDIR/$1" ]]; then
        printf '%s\n' "$BINDIR/$1"
    else
        printf '%s\n' "$1"
    fi
}

# Runs client TOOL ARGS... (psql, pg_isready) from the server's BINDIR when it has one, else from PATH.
client() {
    local tool
    tool=$(client_path "$1")
    shift
    "$tool" "$@"
}

# Prints, one a line, which of the Debian packages PKG... dpkg does not have installed.
missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || printf '%s\n' "$pkg"
    done
}

# apt-get install -y [OPTIONS...] PKG... (noninteractive, output on stderr); apt-get update first with --update-first, else only to retry a failed install.
apt_install() {
    local update_first=0
    if [[ ${1:-} == --update-first ]]; then
        update_first=1
        shift
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ((update_first)); then
        apt-get update >&2 || return
    elif apt-get install -y "$@" >&2; then
        return 0
    else
        apt-get update >&2 || return
    fi
    apt-get install -y "$@" >&2
}

# True when nothing holds TCP port $1 on this machine (listening or otherwise).
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

# Prints a free port in FIRST-LAST: the lowest with `sequential`, else from a random start (parallel runs rarely collide); dies if none.
pick_free_port() {
    local first=$1 last=$2 order=${3:-random}
    local span=$((last - first + 1)) offset=0 port i
    [[ $order == sequential ]] || offset=$((RANDOM % span))
    for ((i = 0; i < span; i++)); do
        port=$((first + (offset + i) % span))
        if port_is_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    pg_die "no free TCP port in $first-$last"
}

# Prints the locale for initdb: C.UTF-8 when this system has it, else C.
initdb_locale() {
    if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
        echo C.UTF-8
    else
        echo C
    fi
}

# Runs initdb for DATA as the server user (trust auth, UTF8, more initdb OPTIONS... after), output to LOG; on failure shows LOG and dies.
run_initdb() {
    local data=$1 log=$2
    shift 2
    if ! as_server "$BINDIR/initdb" -D "$data" --auth=trust --encoding=UTF8 "$@" >"$log" 2>&1; then
        cat -- "$log" >&2
        pg_die "initdb failed"
    fi
}

# pg_ctl start -w on DATA logging to LOG (more pg_ctl OPTIONS... after); 0 up, 2 port taken (per LOG's new lines), 1 other failure.
pg_ctl_start() {
    local data=$1 log=$2 before=0
    shift 2
    [[ -f $log ]] && before=$(wc -l <"$log")
    if as_server "$BINDIR/pg_ctl" start -D "$data" -l "$log" -w "$@" >/dev/null 2>&1; then
        return 0
    fi
    if tail -n +"$((before + 1))" -- "$log" 2>/dev/null | grep -q 'could not bind\|Address already in use'; then
        return 2
    fi
    return 1
}

# Copies the last LINES lines of FILE to stderr, each after LABEL (e.g. 'test.sh: server.log: '); never fails.
show_log_tail() {
    local file=$1 lines=$2 label=$3
    label=${label//\\/\\\\}
    label=${label//\//\\/}
    label=${label//&/\\&}
    tail -n "$lines" -- "$file" 2>/dev/null | sed "s/^/$label/" >&2 || true
}
