# shellcheck shell=bash
# The import section of Scripts/bench.sh (issue 9): `lictrack app import` against `psql \copy` of
# the same file into the same staging table. Sourced by bench.sh after its helpers (sql_value,
# bench, report, out, table_row, rss_row, peak_rss_kb, rss_mb, die) and variables (LICTRACK, PSQL,
# URL, RESULTS, WORK, SCALE) exist; defines functions only.
#
#   run_import_benchmarks
#       Section 6. Two generated CSV files (Docs/cli.md, "app import"): N applications with one item
#       and no events, and N applications with one item and 5 events each (submit, accept,
#       request-info, provide-info, approve). N is 100,000 at --scale full (the issue's numbers),
#       10,000 at medium and 1,000 at small. Each is imported into a new, migrated, empty database
#       (made untimed before each run, hyperfine --prepare), against psql copying the same file
#       into import_rows (`select import_begin()` and `\copy`, one transaction), the floor: what
#       PostgreSQL's own parser costs. Goals (full scale): under 5 s without events, under 60 s
#       with them, peak RSS under 150 MB.

# Writes N applications to FILE, with 5 events each when EVENTS is 1.
write_import_csv() {
    local file=$1 n=$2 events=$3
    python3 - "$file" "$n" "$events" <<'PY'
import sys
path, n, events = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
authorities = ["MOFCOM", "BIS", "ECJU", "BAFA"]
with open(path, "w", newline="") as f:
    f.write("application,authority,applicant,destination,created_on,item_description,item_control_code,"
            "item_value,item_currency,event,event_on,event_authority_reference,event_note\r\n")
    for i in range(1, n + 1):
        a = authorities[i % 4]
        f.write(f'A{i},{a},"Applicant {i}, Ltd.",DE,2025-04-01,Sintered magnets lot {i},1C902.a,'
                f'{1000 + i}.50,USD,,,,\r\n')
        if events:
            f.write(f"A{i},,,,,,,,,submit,2025-04-02,,\r\n")
            f.write(f"A{i},,,,,,,,,accept,2025-04-09,IMP-{i},\r\n")
            f.write(f'A{i},,,,,,,,,request-info,2025-05-06,,"End-user certificate, please"\r\n')
            f.write(f"A{i},,,,,,,,,provide-info,2025-05-20,,\r\n")
            f.write(f"A{i},,,,,,,,,approve,2025-07-29,,\r\n")
PY
}

# A new, migrated, empty database lictrack_import (untimed).
IMPORT_URL=""
reset_import_db() {
    "$PSQL" -X -q -d "${URL%/*}/postgres" -c 'drop database if exists lictrack_import' \
        -c 'create database lictrack_import' >/dev/null
    LICTRACK_DATABASE_URL=$IMPORT_URL "$LICTRACK" db migrate >/dev/null
}

run_import_benchmarks() {
    local n runs
    case $SCALE in
    full) n=100000 runs=3 ;;
    medium) n=10000 runs=3 ;;
    *) n=1000 runs=3 ;;
    esac
    IMPORT_URL="${URL%/*}/lictrack_import"
    if ! lictrack_has app import; then
        out "  lictrack app import is not in this build: SKIPPED"
        return 0
    fi
    local plain="$WORK/import-plain.csv" evented="$WORK/import-events.csv"
    write_import_csv "$plain" "$n" 0
    write_import_csv "$evented" "$n" 1
    out "  files: $n applications without events ($(du -h "$plain" | cut -f1)), with 5 events each ($(du -h "$evented" | cut -f1))"

    local columns="application, authority, applicant, destination, created_on, item_description, item_control_code,"
    columns+=" item_value, item_currency, event, event_on, event_authority_reference, event_note"
    # Export for the --prepare command lines (hyperfine runs them with sh).
    export BENCH_IMPORT_PSQL=$PSQL BENCH_IMPORT_URL=$URL BENCH_IMPORT_DB=$IMPORT_URL BENCH_IMPORT_LICTRACK=$LICTRACK
    local prepare="bash -c 'source $SQL_DIR/import.sh; PSQL=\$BENCH_IMPORT_PSQL URL=\$BENCH_IMPORT_URL IMPORT_URL=\$BENCH_IMPORT_DB LICTRACK=\$BENCH_IMPORT_LICTRACK reset_import_db'"

    local kind file goal label name tool floor
    for kind in plain events; do
        if [[ $kind == plain ]]; then
            file=$plain goal=5 label="app import, $n applications without events"
        else
            file=$evented goal=60 label="app import, $n applications with 5 events each"
        fi
        name="import-$kind"
        out "  $label"
        reset_import_db
        LICTRACK_DATABASE_URL=$IMPORT_URL "$LICTRACK" app import "$file" >"$RESULTS/$name.out" 2>&1 ||
            die "lictrack app import $file failed: $(tail -n 3 "$RESULTS/$name.out")"
        out "    $(cat "$RESULTS/$name.out")"
        bench "$name-lictrack" --runs "$runs" --prepare "$prepare" \
            "env LICTRACK_DATABASE_URL=$IMPORT_URL $LICTRACK app import $file"
        report "lictrack app import $(basename "$file")" "$name-lictrack"
        tool=$MEDIAN
        bench "$name-psql" --runs "$runs" --prepare "$prepare" \
            "$PSQL -X -q -1 -v ON_ERROR_STOP=1 -d $IMPORT_URL -c \"select import_begin()\" -c \"\\copy import_rows ($columns) from '$file' with (format csv, header true)\""
        report "psql: select import_begin(); \\copy import_rows from the same file (one transaction)" "$name-psql"
        floor=$MEDIAN
        out "    ratio lictrack / psql \\copy: $(awk -v a="$tool" -v b="$floor" 'BEGIN { printf "%.1fx", a / b }')"
        reset_import_db
        local rss
        rss=$(LICTRACK_DATABASE_URL=$IMPORT_URL peak_rss_kb "$RESULTS/$name.rss" "$LICTRACK" app import "$file")
        out "    peak RSS: lictrack $(rss_mb "$rss")"
        table_row "$label" "$tool" "$floor" "$goal"
        rss_row "$label" "$rss" "-" 150
    done
    "$PSQL" -X -q -d "${URL%/*}/postgres" -c 'drop database if exists lictrack_import' >/dev/null
}
