#!/usr/bin/env bash
# Builds lictrack, starts the project-local PostgreSQL, migrates it, seeds a few hundred
# realistic applications (`lictrack demo seed`), logs seven hand-written cases through their
# lives, runs the alert job, and writes the managers' delay report as HTML. Then it prints a
# short summary and the report's path.
#
#   Scripts/demo.sh
#
# Needs Swift 6, libpq with pkg-config, and the PostgreSQL server binaries
# (Debian: apt-get install libpq-dev pkgconf postgresql). As root it installs the
# missing packages itself and runs the server as the postgres user.
#
# Safe to run again: the build and the migrations are incremental, the cluster is
# reused, the seed runs only on an empty database, and each hand-written application
# carries its own authority reference; one that is already in the database
# (`lictrack app show REF` exits 0 rather than 66) is left alone. Application history
# is append-only, so the demo never deletes anything; to start from nothing, remove the
# cluster:
#   Scripts/local-db.sh stop && rm -rf .lictrack
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
readonly ROOT
cd -- "$ROOT"

readonly PACKAGES=(libpq-dev pkgconf postgresql)

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'demo.sh: error: %s\n' "$*" >&2
    exit 1
}
is_root() { [[ $(id -u) -eq 0 ]]; }

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit 0
fi

# --- prerequisites ---------------------------------------------------------

command -v swift >/dev/null 2>&1 || die "swift not found; install Swift 6 (https://www.swift.org/install/)"

if command -v dpkg >/dev/null 2>&1; then
    missing=()
    for pkg in "${PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]} > 0)); then
        is_root || die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${PACKAGES[*]}"
        say "Installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update </dev/null
        apt-get install -y --no-install-recommends "${PACKAGES[@]}" </dev/null
    fi
fi

# --- build -----------------------------------------------------------------

# The one static release build that Scripts/install.sh and Scripts/bench.sh use too
# (Scripts/lib/release-build.sh): about a minute from a clean checkout on 2 cores.
# shellcheck source-path=SCRIPTDIR source=lib/release-build.sh
source "$ROOT/Scripts/lib/release-build.sh"
say "Building lictrack (swift build ${RELEASE_BUILD_ARGS[*]})"
release_build
BIN=$(release_binary)
readonly BIN
[[ -x $BIN ]] || die "the build did not produce $BIN"

# --- database --------------------------------------------------------------

say "Starting the project-local PostgreSQL (Scripts/local-db.sh start)"
Scripts/local-db.sh start >/dev/null
DATABASE_URL=$(Scripts/local-db.sh url)
readonly DATABASE_URL
export LICTRACK_DATABASE_URL=$DATABASE_URL
unset LICTRACK_ACTOR # events without --actor record only the database user
echo "LICTRACK_DATABASE_URL=$LICTRACK_DATABASE_URL"

# Prints a command the way a user would type it, then runs lictrack with it.
show() {
    local line="\$" arg
    for arg in "$@"; do
        if [[ $arg =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
            line+=" $arg"
        else
            line+=" '${arg//\'/\'\\\'\'}'"
        fi
    done
    printf '%s\n' "$line"
}
lictrack() {
    show lictrack "$@"
    "$BIN" "$@"
}

say "Migrating the schema"
lictrack db migrate

# --- a few hundred applications ----------------------------------------------

# The same seed gives the same history (up to today): MOFCOM rare-earth and magnet cases from
# April 2025, BIS, ECJU and BAFA cases with their own patterns, some with a stock date.
say "Seeding a realistic history (lictrack demo seed)"
if [[ $("$BIN" app list --format csv | wc -l) -le 1 ]]; then
    lictrack demo seed --applications 300 --seed 2025
else
    echo "The database already holds applications; not seeding again."
fi

# --- helpers ---------------------------------------------------------------

# True when an application with authority reference $1 exists; false when lictrack
# says there is none (exit 66); stops the demo on any other failure.
have_application() {
    local status=0 output
    output=$("$BIN" app show "$1" 2>&1 >/dev/null) || status=$?
    case $status in
    0) return 0 ;;
    66) return 1 ;;
    *) die "lictrack app show $1 failed (exit $status): $output" ;;
    esac
}

# Runs `lictrack app create ARGS...`, prints the result and sets APP to the new id.
# (create_unshown does the same without printing the command first.)
APP=""
create() {
    show lictrack app create "$@"
    create_unshown "$@"
}
create_unshown() {
    local csv
    csv=$("$BIN" app create "$@" --format csv)
    APP=$(printf '%s\n' "$csv" | tail -n 1 | cut -d, -f1 | tr -d '\r')
    [[ $APP =~ ^[0-9]+$ ]] || die "could not read the new application's id from: $csv"
    echo "Created application $APP."
}

skip() { echo "Already logged: $1 (application $("$BIN" app show "$1" --format csv | sed -n 2p | cut -d, -f1)); skipping."; }

# --- the applications ------------------------------------------------------

# 1. MOFCOM, rare-earth magnets under MOFCOM/GAC Announcement No. 18 of 2025
#    (in force 2025-04-04): accepted, questioned, referred, and approved after
#    more than three months.
REF1="MOFCOM-DU-004711"
say "MOFCOM: NdFeB magnets to a German motor maker ($REF1)"
if have_application "$REF1"; then
    skip "$REF1"
else
    create --authority MOFCOM --applicant "Ningbo Eastbay Magnetics Co., Ltd." \
        --destination DE --end-user "Rheinmotor Antriebstechnik GmbH" \
        --end-use "Traction motors for battery-electric passenger cars" \
        --owner "Chen Jing" --on 2025-04-07 \
        --item "Sintered NdFeB magnets, grade 48SH (Dy 3.8 wt%, Tb 0.6 wt%)" \
        --control-code 1C902.a --hs-code 8505.11.10.00 --quantity 2400 --unit kg \
        --value 312000.00 --currency USD --actor "Chen Jing"
    lictrack app submit "$APP" --on 2025-04-09 --actor "Chen Jing" \
        --note "Filed online with contract, end-use statement and magnet datasheets"
    lictrack app accept "$APP" --on 2025-04-16 --authority-ref "$REF1"
    lictrack app request-info "$REF1" --on 2025-05-06 \
        --note "End-user certificate and technical specs"
    lictrack app provide-info "$REF1" --on 2025-05-20 --actor "Chen Jing" \
        --note "Sent end-user certificate signed by Rheinmotor and full technical specifications"
    lictrack app delay "$REF1" --on 2025-06-10 --reason referral \
        --note "Referred for inter-agency review"
    lictrack app note "$REF1" --on 2025-07-02 --actor "Chen Jing" \
        --note "Phoned the licensing office: still with the other departments, no date given"
    lictrack app resume "$REF1" --on 2025-07-22
    lictrack app approve "$REF1" --on 2025-07-29 --actor "Chen Jing" \
        --licence-number "DU2025EX0731-0088" --valid-until 2026-07-28
fi

# 2. MOFCOM, returned for a defect, corrected and resubmitted, then approved.
REF2="MOFCOM-DU-009320"
say "MOFCOM: magnets returned, resubmitted and approved ($REF2)"
if have_application "$REF2"; then
    skip "$REF2"
else
    create --authority MOFCOM --applicant "Ningbo Eastbay Magnetics Co., Ltd." \
        --destination US --end-user "Great Lakes Motor Works Inc." \
        --end-use "E-axle motors for light commercial vehicles" \
        --owner "Chen Jing" --on 2025-08-25 \
        --item "NdFeB magnet blocks, Tb grain-boundary diffused" \
        --control-code 1C902.a --hs-code 8505111000 --quantity 900 --unit kg \
        --value 145800.00 --currency USD
    lictrack app submit "$APP" --on 2025-08-27 --actor "Chen Jing"
    lictrack app return "$APP" --on 2025-09-12 \
        --note "Returned: end-use statement not on the end user's letterhead; contract copy missing"
    lictrack app submit "$APP" --on 2025-09-19 --actor "Chen Jing" \
        --note "Resubmitted with corrected end-use statement and signed contract"
    lictrack app accept "$APP" --on 2025-09-26 --authority-ref "$REF2"
    lictrack app approve "$REF2" --on 2025-12-18 --actor "Chen Jing" \
        --licence-number "DU2025EX1218-0142" --valid-until 2026-12-17
fi

# 3. MOFCOM, still under review. Its dates are relative to today, so that it is
#    always a live case (and the SLA clock has something to say about it).
REF3="MOFCOM-DU-011862"
say "MOFCOM: samarium-cobalt magnets, still under review ($REF3)"
if have_application "$REF3"; then
    skip "$REF3"
else
    create --authority MOFCOM --applicant "Ningbo Eastbay Magnetics Co., Ltd." \
        --destination US --end-user "Lakeshore Servo Motors Inc." \
        --end-use "Servo motors for industrial robots" \
        --owner "Chen Jing" --on 75-days-ago \
        --item "Sm2Co17 sintered magnets" \
        --control-code 1C902.a --hs-code 8505111000 --quantity 350 --unit kg \
        --value 98000.00 --currency USD
    lictrack app submit "$APP" --on 72-days-ago --actor "Chen Jing"
    lictrack app accept "$APP" --on 65-days-ago --authority-ref "$REF3"
    lictrack app request-info "$REF3" --on 40-days-ago \
        --note "Confirm no military end use; ownership structure of the end user"
    lictrack app provide-info "$REF3" --on 33-days-ago --actor "Chen Jing" \
        --note "Sent end-user declaration and shareholder register"
fi

# 4. BIS (US): an MMIC amplifier licence, referred to the other agencies as usual
#    and approved about 80 days after submission.
REF4="Z1783422"
say "BIS: MMIC power amplifiers to India ($REF4)"
if have_application "$REF4"; then
    skip "$REF4"
else
    create --authority BIS --applicant "Sierra Microwave Devices Inc." \
        --destination IN --end-user "Deccan Radar Systems Pvt. Ltd." \
        --end-use "Transmit modules for civil weather radar" \
        --owner "Dana Whitfield" --on 2025-08-28 \
        --item "GaN MMIC power amplifiers, 8.5-10.5 GHz" \
        --control-code 3A001.b.2 --hs-code 8542.33.00.01 --quantity 2000 --unit pcs \
        --value 468000.00 --currency USD
    lictrack app submit "$APP" --on 2025-09-02 --actor "Dana Whitfield" \
        --authority-ref "$REF4" --note "Submitted in SNAP-R"
    lictrack app accept "$REF4" --on 2025-09-04 \
        --note "Registered; referred to Defense and State"
    lictrack app approve "$REF4" --on 2025-11-21 --actor "Dana Whitfield" \
        --licence-number "D1198765" --valid-until 2029-11-20
fi

# 5. ECJU (UK): a SIEL for encryption equipment; one ECJU query, then approved.
#    Read from JSON on standard input, with two items.
REF5="GBSIEL/2025/0012345/T"
say "ECJU: SIEL for encrypting gateways ($REF5)"
if have_application "$REF5"; then
    skip "$REF5"
else
    ECJU_JSON=$(
        cat <<'JSON'
{
  "authority": "ECJU",
  "licence_type": "single",
  "applicant": "Northbridge Secure Networks Ltd",
  "consignee": "Gulf Grid Communications LLC",
  "end_user": "Gulf Grid Communications LLC",
  "end_use": "Encrypted SCADA links for an electricity transmission network",
  "destination": "AE",
  "owner": "Priya Natarajan",
  "created_on": "2025-09-29",
  "items": [
    {"description": "Encrypting network gateway, 10 Gbit/s", "control_code": "5A002.a",
     "hs_code": "8517.62.00", "quantity": "40", "unit": "pcs", "value": "212000.00", "currency": "GBP"},
    {"description": "Gateway key-management software", "control_code": "5D002.c.1",
     "value": "18000.00", "currency": "GBP"}
  ]
}
JSON
    )
    printf "%s <<'JSON'\n%s\nJSON\n" "$(show lictrack app create --from-file - --actor "Priya Natarajan")" "$ECJU_JSON"
    create_unshown --from-file - --actor "Priya Natarajan" <<<"$ECJU_JSON"
    lictrack app submit "$APP" --on 2025-10-01 --actor "Priya Natarajan" --authority-ref "$REF5" \
        --note "Submitted on LITE"
    lictrack app request-info "$REF5" --on 2025-10-15 \
        --note "ECJU query: end-user undertaking unsigned; confirm key length and algorithms"
    lictrack app provide-info "$REF5" --on 2025-10-22 --actor "Priya Natarajan" \
        --note "Signed EUU and cryptographic data sheet uploaded"
    lictrack app approve "$REF5" --on 2025-11-12 --actor "Priya Natarajan" \
        --licence-number "$REF5" --valid-until 2027-11-11
fi

# 6. ECJU: a SIEL still waiting well past the 20-working-day target, and
# 7. BAFA: a dual-use application close to its 60-working-day internal target.
#    Dated relative to today, so the alert job always has something to say.
REF6="GBSIEL/2026/0020417/T"
say "ECJU: a SIEL past its target ($REF6)"
if have_application "$REF6"; then
    skip "$REF6"
else
    create --authority ECJU --applicant "Northbridge Secure Networks Ltd" --destination SG \
        --end-user "Straits Port Authority" --end-use "Encrypted port telemetry" --owner "Priya Natarajan" \
        --on 45-days-ago --item "Encrypting radio modem" --control-code 5A002.a --quantity 12 --unit pcs \
        --value 54000.00 --currency GBP
    lictrack app submit "$APP" --on 42-days-ago --authority-ref "$REF6" --note "Submitted on LITE"
fi

REF7="BAFA-2026-118842"
say "BAFA: a dual-use application near its internal target ($REF7)"
if have_application "$REF7"; then
    skip "$REF7"
else
    create --authority BAFA --applicant "Rheinmotor Antriebstechnik GmbH" --destination CN \
        --end-user "Suzhou Precision Drives Co., Ltd." --end-use "Servo drives for machine tools" \
        --owner "Jonas Weber" --on 80-days-ago --item "Five-axis motion controller" --control-code 2B001.b \
        --quantity 4 --unit pcs --value 188000.00 --currency EUR
    lictrack app submit "$APP" --on 78-days-ago --authority-ref "$REF7" --note "Filed on ELAN-K2"
fi

# --- the alert job -----------------------------------------------------------

say "The alert job: what cron or a systemd timer runs (Docs/operations.md)"
if ! "$BIN" alerts channel list --format csv | cut -d, -f1 | grep -qx console; then
    lictrack alerts channel add console --kind stdout
fi
lictrack alerts run
echo "(a second run raises nothing new)"
lictrack alerts run
status=0
show lictrack alerts check
"$BIN" alerts check || status=$?
echo "(exit $status: 0 OK, 1 due soon, 2 breached, in the Nagios convention)"

# --- the managers' report ----------------------------------------------------

REPORT_DIR="$ROOT/.lictrack/reports"
REPORT="$REPORT_DIR/delays.html"
mkdir -p -- "$REPORT_DIR"
say "The delay report for managers (lictrack report delays)"
lictrack report delays --format html --output "$REPORT"
echo
echo "In short: the supply risks, then the ten most urgent open applications"
show lictrack report delays
# Read once, then cut: a `| head` straight after lictrack could end it with SIGPIPE (exit 141 under
# pipefail) when the report outgrows the pipe's buffer.
delays_table=$("$BIN" report delays --format table)
sed -n '/^Supply risk$/,/^Open applications$/p' <<<"$delays_table" | sed '$d'
sed -n '/^Open applications$/,$p' <<<"$delays_table" | sed -n '1,13p'
echo "... $("$BIN" report delays --format csv | tail -n +2 | wc -l) open applications in all."
echo
echo "The whole report, with its charts: $REPORT (open it in a browser; it prints on A4)"

# --- results ---------------------------------------------------------------

say "Open applications, nearest deadline first (the first 15)"
lictrack app list --open --sort deadline --limit 15

say "Breached right now (the first 15)"
lictrack app list --sla breached --limit 15

say "Where they are stuck: open applications per authority by share of the target used"
lictrack report aging

say "One application in full"
lictrack app show "$REF1"

cat <<EOF

==> Done. To carry on with this database:

  export LICTRACK_DATABASE_URL=\$(Scripts/local-db.sh url)
  export PATH="$(dirname -- "$BIN"):\$PATH"
  lictrack app list --open
  lictrack report delays                      # what is stuck, most urgent first
  lictrack app show $REF3 --format json
  lictrack app note $REF3 --note "Chased the licensing office by phone"
  Scripts/local-db.sh psql          # look at the tables (application_events is the history)

The delay report is in $REPORT.
Stop the server with Scripts/local-db.sh stop. Install lictrack with Scripts/install.sh.
See README.md and Docs/ for the rest.
EOF
