# shellcheck shell=bash
# The reports section of Scripts/bench.sh (issue 6): each report against psql running the same SQL.
# Sourced by bench.sh after its helpers (sql, sql_value, bench, report, out, section, table_row,
# fmt, die) and variables (LICTRACK, PSQL, URL, RESULTS, TODAY, RUNS_HEAVY) exist; defines
# functions only.
#
#   bench_vs_floor NAME LABEL GOAL_SECONDS GOAL_RSS_MB FLOOR_SQL -- LICTRACK_ARGS...
#       The hook for every report command: hyperfine on `lictrack LICTRACK_ARGS...` and on
#       `psql -c FLOOR_SQL`, both medians and their ratio, then one more run of each under
#       /usr/bin/time -f %M for the peak RSS. A summary table row judged on lictrack's time (SKIPPED
#       when this build has no such command), a floor row judged on psql's, and an RSS row.
#       GOAL_SECONDS or GOAL_RSS_MB "-" for none.
#   run_report_benchmarks
#       Section 5: the figure reports (report authority for one year, with and without a
#       grouping; report throughput; report aging), and the plan of report_authority().
#   print_rss_table
#       The peak RSS rows, for the summary.

# Peak resident set size in kB of one run of COMMAND... (GNU time's %M), "-" when it fails.
peak_rss_kb() {
    local file=$1
    shift
    if /usr/bin/time -f %M -o "$file" "$@" >/dev/null 2>"$file.stderr"; then
        tail -n 1 -- "$file"
    else
        echo -
    fi
}

# True when this lictrack build has the (sub)command WORDS...: its own help names it (for an
# unknown subcommand, --help prints the top-level help and succeeds).
lictrack_has() {
    local help
    help=$("$LICTRACK" "$@" --help 2>/dev/null) || return 1
    grep -q "^USAGE: lictrack $*\( \|\$\)" <<<"$help"
}

# RSS rows: label<TAB>lictrack kB<TAB>psql kB<TAB>goal MB.
rss_row() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS/rss.tsv"; }

bench_vs_floor() {
    local name=$1 label=$2 goal=$3 rss_goal=$4 floor_sql=$5
    shift 5
    [[ ${1:-} == -- ]] || die "bench_vs_floor $name: expected -- before the lictrack arguments"
    shift
    local -a args=("$@") floor=("$PSQL" -X -q -d "$URL" -c "$floor_sql")
    local tool=skipped floor_time tool_rss=- floor_rss
    # hyperfine -N splits its command line like a shell: quote the SQL for it.
    local floor_line="$PSQL -X -q -d $URL -c \"$floor_sql\""

    out "  $label"
    if lictrack_has "${args[@]:0:2}"; then
        bench "$name-lictrack" --runs "$RUNS_HEAVY" --warmup 1 "$LICTRACK ${args[*]}"
        report "lictrack ${args[*]}" "$name-lictrack"
        tool=$MEDIAN
        tool_rss=$(peak_rss_kb "$RESULTS/$name-lictrack.rss" "$LICTRACK" "${args[@]}")
    else
        out "    lictrack ${args[*]:0:2} is not in this build: lictrack side SKIPPED"
    fi
    bench "$name-psql" --runs "$RUNS_HEAVY" --warmup 1 "$floor_line"
    report "psql -c \"$floor_sql\"" "$name-psql"
    floor_time=$MEDIAN
    floor_rss=$(peak_rss_kb "$RESULTS/$name-psql.rss" "${floor[@]}")
    if [[ $tool != skipped ]]; then
        out "    ratio lictrack / psql: $(awk -v a="$tool" -v b="$floor_time" 'BEGIN { printf "%.2fx", a / b }')"
    fi
    out "    peak RSS: lictrack $(rss_mb "$tool_rss"), psql $(rss_mb "$floor_rss")"
    table_row "$label" "$tool" "$floor_time" "$goal"
    table_row "  (floor) psql, the same SQL" "-" "$floor_time" "$goal"
    rss_row "$label" "$tool_rss" "$floor_rss" "$rss_goal"
}

# kB as MB for people ("-" stays).
rss_mb() { awk -v k="$1" 'BEGIN { if (k == "-" || k == "") print "-"; else printf "%.1f MB", k / 1024 }'; }

print_rss_table() {
    [[ -s $RESULTS/rss.tsv ]] || return 0
    out ""
    out "  peak RSS (one run each under /usr/bin/time -f %M; judged on lictrack, SKIPPED without the command)"
    local label tool floor goal verdict
    while IFS=$'\t' read -r label tool floor goal; do
        if [[ $goal == - ]]; then
            verdict=-
        elif [[ $tool == - ]]; then
            verdict=SKIPPED
        elif ((tool < goal * 1024)); then
            verdict=PASS
        else
            verdict=FAIL
        fi
        out "$(printf '  %-52s lictrack %10s  psql %10s  goal %8s  %s' "$label" "$(rss_mb "$tool")" \
            "$(rss_mb "$floor")" "$([[ $goal == - ]] && echo - || echo "< $goal MB")" "$verdict")"
    done <"$RESULTS/rss.tsv"
}

run_report_benchmarks() {
    local from to
    from=$(sql_value "select (current_date - interval '1 year')::date + 1")
    to=$TODAY
    out "  one year: $from to $to; $(sql_value "select count(*) from application_clocks where ended_on between '$from' and '$to'") decisions in it"

    bench_vs_floor report-authority "report authority, one year" 3 100 \
        "select * from report_authority('$from', '$to')" \
        -- report authority --from "$from" --to "$to" --format json
    bench_vs_floor report-authority-by "report authority --by destination, one year" - 100 \
        "select * from report_authority('$from', '$to', 'destination')" \
        -- report authority --from "$from" --to "$to" --by destination --format json
    bench_vs_floor report-throughput "report throughput --by week, one year" - 100 \
        "select * from report_throughput('$from', '$to', 'week')" \
        -- report throughput --from "$from" --to "$to" --by week --format json
    bench_vs_floor report-aging "report aging, as of today" - 100 \
        "select * from report_aging('$to')" \
        -- report aging --as-of "$to" --format json
    # The processing-time distribution has no command of its own (report authority's HTML chart).
    bench report-times-psql --runs "$RUNS_HEAVY" --warmup 1 \
        "$PSQL -X -q -d $URL -c \"select * from report_processing_times('$from', '$to')\""
    report "(diagnostic) psql: report_processing_times(), one year" report-times-psql
    table_row "  (diagnostic) report_processing_times(), one year" "-" "$MEDIAN" "-"
    # report delays (issue 6: --format csv over 100,000 open under 2 s, --format html under 4 s),
    # each against psql running the SQL it runs (the HTML adds the 26-week backlog chart).
    bench_vs_floor report-delays-csv "report delays --format csv, every open application" 2 100 \
        "select * from report_delays('$to', null, null, null, null)" \
        -- report delays --as-of "$to" --format csv
    bench_vs_floor report-delays-html "report delays --format html, every open application" 4 100 \
        "select * from report_delays('$to', null, null, null, null); select * from report_open_backlog_weekly('$to', 26, null, null, null, null)" \
        -- report delays --as-of "$to" --format html

    # The plan inside report_authority(): what it reads, and that the event log is not among it.
    sql -c "load 'auto_explain'" -c "set auto_explain.log_min_duration = 0" -c "set auto_explain.log_analyze = on" \
        -c "set auto_explain.log_buffers = on" -c "set auto_explain.log_nested_statements = on" \
        -c "set auto_explain.log_level = notice" -c "set client_min_messages = notice" \
        -c "select count(*) as rows from report_authority('$from', '$to')" >"$RESULTS/explain-reports.txt" 2>&1
    out "  report_authority()'s plans (auto_explain): $RESULTS/explain-reports.txt"
    # (The log is only read by primary key for applications without a stored clock: none here.)
    if grep -Eq 'on application_events .*actual time=[^)]* rows=[1-9]' "$RESULTS/explain-reports.txt"; then
        out "  => WARNING: report_authority() reads rows of the event log"
    else
        out "  => report_authority() reads the stored clocks, no row of the event log"
    fi
}
