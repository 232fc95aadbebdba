-- 0016_fast_delays.sql
--
-- `lictrack report delays` over 100,000 open applications in about a second instead of half a
-- minute (Scripts/bench.sh), with the same results. 0009's functions keep their signatures and
-- their rules; what changes is how the work is laid out for the planner:
--
--   * sla_cycle_clocks(): the clocks of an sla_cycle_clock[] as rows, with an estimate of their
--     number. unnest() of a parameter is always taken for 10 rows, so sla_clocks_project() hashed
--     the 100,000 wide clock rows five times (once per looked-up day) instead of the calendar days;
--   * sla_clocks_project(): each day's unit index is a hash join on calendar_days (a few thousand
--     rows, hashed once per day role) instead of a sorted list of distinct days joined back five
--     times; the rules (Docs/sla.md) are unchanged, expression for expression;
--   * application_outlook():
--       - the latest stock record comes from the same pass over each application's log as its
--         status, not from a join with the whole event log;
--       - the as-of day's unit index is looked up once per calendar, not once per clock;
--       - the forecast percentiles come from each sample's distribution of elapsed values (a count
--         per value, cumulated), so that an application with elapsed e needs two lookups: of the
--         N values, c are at or below e, the m = N - c above it are the conditional sample, and its
--         nearest-rank p-th percentile is the value whose cumulative count first reaches
--         c + ceil(p * m). Values are small integers, so a sample of 100,000 decisions is a few
--         hundred distinct values;
--       - each forecast date is computed once per distinct (sample, elapsed, calendar), then
--         joined to the applications that share it.
--
-- Nothing here changes a table; the functions' settings (jit, work_mem) are set
-- again at the end, since CREATE OR REPLACE resets them.


-- Clocks as rows -----------------------------------------------------------------------------

-- The clocks of an array as rows. PL/pgSQL so that it is not inlined: its ROWS estimate is what
-- the planner sees (unnest() of a parameter counts as 10 rows, whatever the array holds), so
-- that joins hash the small side (the calendar days), not the clocks.
create or replace function sla_cycle_clocks(p_clocks sla_cycle_clock[])
returns setof sla_cycle_clock
language plpgsql immutable parallel safe rows 10000 as $$
begin
    return query select * from unnest(p_clocks);
end;
$$;

comment on function sla_cycle_clocks(sla_cycle_clock[]) is
    'The clocks of an sla_cycle_clock[] as rows, with a planner estimate of 10,000 (not 10).';


-- A clock on a day ---------------------------------------------------------------------------

-- Projects cycle clocks onto a day (NULL: today in each clock's authority's time zone): the one
-- implementation of the as-of rules of Docs/sla.md, as in 0009.
--   * elapsed = units in (start, D] (or (start, end] once the cycle ended), less the paused units;
--   * paused = the closed pauses plus the open one up to D;
--   * while a pause is open the deadline moves one unit further with each paused unit;
--   * remaining = target (with extensions) - elapsed; overdue = -remaining while breached, else 0;
--   * the state is clock_state() with that deadline;
--   * provisional when the clock was, or when D or the deadline is not a certain calendar day.
-- A day's unit index is clock_index()'s: the day number for calendar days, else the calendar's
-- working_day_index (NULL when the day is not loaded); the day of an index is clock_day()'s: the
-- working day with that index. Both are written out as hash joins on calendar_days, which the
-- planner builds once per role from the calendars (a few thousand rows) and probes once per clock.
create or replace function sla_clocks_project(p_clocks sla_cycle_clock[], p_as_of date)
returns table (
    application_id  bigint,
    cycle           integer,
    as_of           date,
    target          integer,
    deadline        date,
    elapsed         integer,
    remaining       integer,
    paused          integer,
    state           text,
    provisional     boolean,
    overdue         integer
)
language sql stable as $$
with measured as (
    select k.*,
           -- Units paused so far: closed pauses plus the open one up to the as-of day.
           k.paused_units
               + case when k.pause_open_since is null then 0
                      else k.asof_idx - greatest(k.open_idx, k.start_idx) end as paused_so_far,
           coalesce(k.end_idx, k.asof_idx) - k.start_idx as gross,
           case when k.pause_open_since is not null
                then k.deadline_idx + k.asof_idx - greatest(k.open_idx, k.start_idx) end as open_deadline_idx
    from (
        select c.application_id, c.cycle, c.unit, c.calendar, c.target, c.extension, c.started_on, c.ended_on,
               c.paused_units, c.pause_open_since, c.deadline, c.warn_on, c.provisional, d.as_of,
               case when c.unit = 'calendar_days' then c.started_on - date '2000-01-01'
                    else si.working_day_index end as start_idx,
               case when c.unit = 'calendar_days' then d.as_of - date '2000-01-01'
                    else ai.working_day_index end as asof_idx,
               case when c.unit = 'calendar_days' then c.ended_on - date '2000-01-01'
                    else ei.working_day_index end as end_idx,
               case when c.unit = 'calendar_days' then c.pause_open_since - date '2000-01-01'
                    else oi.working_day_index end as open_idx,
               case when c.pause_open_since is null then null
                    when c.unit = 'calendar_days' then c.deadline - date '2000-01-01'
                    else di.working_day_index end as deadline_idx
        from sla_cycle_clocks(p_clocks) c
        join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
          on d.code = c.authority
        left join calendar_days si
               on c.unit = 'working_days' and si.calendar_code = c.calendar and si.day = c.started_on
        left join calendar_days ai
               on c.unit = 'working_days' and ai.calendar_code = c.calendar and ai.day = d.as_of
        left join calendar_days ei
               on c.unit = 'working_days' and ei.calendar_code = c.calendar and ei.day = c.ended_on
        left join calendar_days oi
               on c.unit = 'working_days' and oi.calendar_code = c.calendar and oi.day = c.pause_open_since
        left join calendar_days di
               on c.unit = 'working_days' and c.pause_open_since is not null
              and di.calendar_code = c.calendar and di.day = c.deadline
    ) k
),
judged as (
    select m.*,
           m.gross - m.paused_so_far as elapsed_units,
           m.target + m.extension - (m.gross - m.paused_so_far) as remaining_units,
           clock_state(m.started_on, m.ended_on, m.pause_open_since, m.current_deadline, m.warn_on, m.as_of)
               as clock_state
    from (
        select m.*,
               -- Where an open pause has moved the deadline to: the day with that unit index.
               case when m.pause_open_since is null then m.deadline
                    when m.unit = 'calendar_days' then date '2000-01-01' + m.open_deadline_idx
                    else od.day end as current_deadline
        from measured m
        left join calendar_days od
               on m.unit = 'working_days' and m.open_deadline_idx is not null
              and od.calendar_code = m.calendar and od.working_day_index = m.open_deadline_idx
              and od.is_working_day
        -- Not flattened, so that clock_state() below sees plain columns and is inlined.
        offset 0
    ) m
)
select j.application_id, j.cycle, j.as_of, j.target + j.extension, j.current_deadline, j.elapsed_units,
       j.remaining_units, j.paused_so_far, j.clock_state,
       j.provisional
           or (j.unit = 'working_days' and j.started_on is not null
               and (j.asof_idx is null or j.current_deadline is null
                    or j.current_deadline >= cc.uncertain_from)),
       case when j.clock_state = 'breached' then greatest(-j.remaining_units, 0) else 0 end
from judged j
left join calendar_certainty cc on cc.calendar = j.calendar
$$;


-- An application as of a day -----------------------------------------------------------------

-- Everything a delay report says about each application as of a day (NULL: today in each
-- authority's time zone), in one set-based statement; the definitions are 0009's:
--   * its status, when it entered it and the days since (calendar days), from the events up to the
--     day; the last event; the requests for information in the current cycle (since the last submit);
--     the latest stock record;
--   * its clock (sla_clocks_as_of) with the units overdue;
--   * the decision forecast, for a clock that is running (started, not ended):
--       - the sample: decisions (approve, deny) of the same authority, counted in the same unit,
--         dated in the 365 days up to the day, (as_of - 365, as_of]; narrowed to the application's
--         control-code family when that family has at least 20 of them;
--       - conditioned on the time spent: only those whose elapsed at the decision exceeds this
--         clock's elapsed;
--       - p50 and p90: the nearest-rank percentiles (percentile_disc) of their elapsed at decision,
--         at least 5 of them, else NULL with the reason 'too few decided applications';
--       - the dates: the day that many units after the clock's start, pauses included, on the
--         authority's calendar (while a pause is open, as if it ended on the as-of day, like the
--         projected deadline); provisional when a date depends on an uncertain calendar day;
--   * the supply risk: the days by which the p90 date (or the deadline, without a forecast) falls
--     after the stock runs out; never for a decided application or a clock that is not running.
create or replace function application_outlook(p_application_ids bigint[], p_as_of date)
returns table (
    application_id        bigint,
    as_of                 date,
    authority             text,
    authority_reference   text,
    status                text,
    status_since          date,
    days_in_status        integer,
    destination           text,
    applicant             text,
    owner                 text,
    cycle                 integer,
    target                integer,
    extension             integer,
    unit                  text,
    calendar              text,
    started_on            date,
    deadline              date,
    elapsed               integer,
    remaining             integer,
    paused                integer,
    state                 text,
    provisional           boolean,
    overdue               integer,
    rfis                  integer,
    last_event            text,
    last_event_on         date,
    forecast_sample       integer,
    forecast_p50          date,
    forecast_p90          date,
    forecast_p50_elapsed  integer,
    forecast_p90_elapsed  integer,
    forecast_reason       text,
    forecast_provisional  boolean,
    stock_runs_out        date,
    stock_feeds           text,
    stock_recorded_on     date,
    supply_days_short     integer
)
language sql stable as $$
with asked as materialized (
    select a.*, d.as_of
    from unnest(p_application_ids) as u(id)
    join applications a on a.id = u.id
    join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
      on d.code = a.authority
),
history as materialized (
    -- The log up to the as-of day, in one pass per application (the latest stock record included).
    -- Materialized, so that what is joined to it afterwards is joined once, not per application.
    select q.id as application_id, h.*
    from asked q
    cross join lateral (
        -- Plain aggregates over the rows of one index scan: the latest event's and the latest
        -- stock record's values are picked by their seq (unique per application), so no
        -- aggregate sorts its input.
        select max(x.event) filter (where x.seq = x.last_seq) as last_event,
               max(x.occurred_on) as last_event_on,
               max(x.to_status) filter (where x.seq = x.last_seq) as status,
               max(x.occurred_on) filter (where x.to_status is distinct from x.from_status) as status_since,
               (count(*) filter (where x.event = 'request-info' and x.seq > x.last_submit_seq))::integer as rfis,
               max(x.stock_runs_out) filter (where x.seq = x.stock_seq) as stock_runs_out,
               max(x.feeds) filter (where x.seq = x.stock_seq) as stock_feeds,
               max(x.occurred_on) filter (where x.seq = x.stock_seq) as stock_recorded_on
        from (
            select e.seq, e.event, e.from_status, e.to_status, e.occurred_on, e.stock_runs_out, e.feeds,
                   max(e.seq) over () as last_seq,
                   max(e.seq) filter (where e.event = 'stock') over () as stock_seq,
                   coalesce(max(e.seq) filter (where e.event = 'submit') over (), 0) as last_submit_seq
            from application_events e
            where e.application_id = q.id and e.occurred_on <= q.as_of
        ) x
    ) h
),
clocks as materialized (
    select * from sla_clocks_as_of(p_application_ids, p_as_of)
),
asof_days as (
    -- The unit index of each as-of day, once per unit, calendar and day.
    select w.unit, w.calendar, w.as_of, di.idx as asof_idx
    from (select distinct c.unit, c.calendar, c.as_of from clocks c) w
    cross join lateral clock_index(w.unit, w.calendar, w.as_of) di
),
running as materialized (
    -- Clocks that are running on the as-of day, with the unit index of that day and the family.
    select c.application_id, c.as_of, c.authority, c.unit, c.calendar, c.started_on, c.elapsed,
           ad.asof_idx, f.family
    from clocks c
    join asof_days ad
      on ad.unit = c.unit and coalesce(ad.calendar, '') = coalesce(c.calendar, '') and ad.as_of = c.as_of
    left join lateral application_control_family(c.application_id) f on true
    where c.started_on is not null and c.ended_on is null and c.elapsed is not null and ad.asof_idx is not null
),
decided as materialized (
    -- The decisions (approve, deny) a forecast may rest on: same authority and unit, dated in the
    -- 365 days up to the as-of day.
    select k.application_id, k.cycle, k.authority, k.unit, k.calendar, k.target, k.extension, k.started_on,
           k.ended_on, k.end_event, k.paused_units, k.pause_open_since, k.deadline, k.warn_on, k.provisional,
           w.as_of
    from (select distinct r.as_of, r.authority, r.unit from running r) w
    join application_clocks k
      on k.authority = w.authority
     and k.end_event in ('approve', 'deny')
     and k.ended_on > w.as_of - 365 and k.ended_on <= w.as_of
     and k.unit = w.unit
     and k.started_on is not null
),
decisions as materialized (
    -- Each with the clock's elapsed at the decision (a closed clock's elapsed no longer changes).
    select d.as_of, d.authority, d.unit, f.family, pj.elapsed as elapsed_at_decision
    from decided d
    join sla_clocks_project(
             array(select row(x.application_id, x.cycle, x.authority, x.unit, x.calendar, x.target, x.extension,
                              x.started_on, x.ended_on, x.end_event, x.paused_units, x.pause_open_since,
                              x.deadline, x.warn_on, x.provisional)::sla_cycle_clock
                   from decided x),
             p_as_of) pj
      on pj.application_id = d.application_id and pj.cycle = d.cycle
    left join lateral application_control_family(d.application_id) f on true
    where pj.elapsed is not null
),
families as (
    select d.as_of, d.authority, d.unit, d.family, count(*) as decided
    from decisions d
    where d.family is not null
    group by d.as_of, d.authority, d.unit, d.family
),
keyed as materialized (
    -- Each running clock's sample: its family's decisions when there are at least 20, else its
    -- authority's ('*').
    select r.*, coalesce(r.calendar, '') as calendar_key,
           case when fm.decided >= 20 then r.family else '*' end as sample_key
    from running r
    left join families fm
           on (fm.as_of, fm.authority, fm.unit, fm.family) = (r.as_of, r.authority, r.unit, r.family)
),
distribution as materialized (
    -- Each sample's elapsed values, a count per value, cumulated in ascending order: cum is the
    -- number of values at or below v, total the sample's size. Only the samples that are used.
    select g.*,
           sum(g.cnt) over (partition by g.as_of, g.authority, g.unit, g.sample_key order by g.v) as cum,
           sum(g.cnt) over (partition by g.as_of, g.authority, g.unit, g.sample_key) as total
    from (
        select s.as_of, s.authority, s.unit, s.sample_key, s.v, count(*) as cnt
        from (
            select d.as_of, d.authority, d.unit, '*' as sample_key, d.elapsed_at_decision as v
            from decisions d
            union all
            select d.as_of, d.authority, d.unit, d.family, d.elapsed_at_decision
            from decisions d
            where (d.as_of, d.authority, d.unit, d.family)
                  in (select k.as_of, k.authority, k.unit, k.sample_key from keyed k where k.sample_key <> '*')
        ) s
        group by s.as_of, s.authority, s.unit, s.sample_key, s.v
    ) g
),
asked_forecasts as materialized (
    -- The distinct forecasts to make: a few thousand, however many applications share them.
    select distinct k.as_of, k.authority, k.unit, k.calendar, k.calendar_key, k.sample_key, k.elapsed,
           k.asof_idx
    from keyed k
),
conditioned as materialized (
    -- For each elapsed value e asked about: n, the sample's size, and c, its values at or below e.
    -- Those still undecided at e are the m = n - c values above it, the sample's ranks c + 1 .. n.
    select e.as_of, e.authority, e.unit, e.sample_key, e.elapsed,
           coalesce(max(b.total), 0) as n,
           coalesce(max(b.cum) filter (where b.v <= e.elapsed), 0) as c
    from (select distinct f.as_of, f.authority, f.unit, f.sample_key, f.elapsed from asked_forecasts f) e
    left join distribution b
           on (b.as_of, b.authority, b.unit, b.sample_key) = (e.as_of, e.authority, e.unit, e.sample_key)
    group by e.as_of, e.authority, e.unit, e.sample_key, e.elapsed
),
quantiles as materialized (
    -- percentile_disc(p) of m sorted values is the value at rank ceil(p * m) among them, which is
    -- rank c + ceil(p * m) of the whole sample: the value whose cumulative count first reaches it
    -- (cum - cnt < rank <= cum), at least 5 of them.
    select q.as_of, q.authority, q.unit, q.sample_key, q.elapsed, (q.n - q.c)::integer as sample,
           r50.v as p50, r90.v as p90
    from conditioned q
    left join distribution r50
           on q.n - q.c >= 5
          and (r50.as_of, r50.authority, r50.unit, r50.sample_key) = (q.as_of, q.authority, q.unit, q.sample_key)
          and r50.cum >= q.c + ceil(0.5::float8 * (q.n - q.c))::bigint
          and r50.cum - r50.cnt < q.c + ceil(0.5::float8 * (q.n - q.c))::bigint
    left join distribution r90
           on q.n - q.c >= 5
          and (r90.as_of, r90.authority, r90.unit, r90.sample_key) = (q.as_of, q.authority, q.unit, q.sample_key)
          and r90.cum >= q.c + ceil(0.9::float8 * (q.n - q.c))::bigint
          and r90.cum - r90.cnt < q.c + ceil(0.9::float8 * (q.n - q.c))::bigint
),
dated as materialized (
    -- The percentiles placed on the calendar, once per distinct forecast: a clock at elapsed e on
    -- the as-of day (index i) reaches elapsed p on the day with index i + (p - e).
    select w.*, qn.sample, qn.p50, qn.p90, d50.day as p50_on, d90.day as p90_on
    from asked_forecasts w
    join quantiles qn
      on (qn.as_of, qn.authority, qn.unit, qn.sample_key, qn.elapsed)
         = (w.as_of, w.authority, w.unit, w.sample_key, w.elapsed)
    left join lateral clock_day(w.unit, w.calendar, w.asof_idx + qn.p50 - w.elapsed) d50 on qn.p50 is not null
    left join lateral clock_day(w.unit, w.calendar, w.asof_idx + qn.p90 - w.elapsed) d90 on qn.p90 is not null
),
forecasts as (
    select k.application_id, dt.sample, dt.p50, dt.p90, dt.p50_on, dt.p90_on,
           k.unit = 'working_days'
               and (dt.p90_on is null or dt.p90_on >= cc.uncertain_from or k.started_on < cc.loaded_from)
               as provisional
    from keyed k
    join dated dt
      on (dt.as_of, dt.authority, dt.unit, dt.calendar_key, dt.sample_key, dt.elapsed)
         = (k.as_of, k.authority, k.unit, k.calendar_key, k.sample_key, k.elapsed)
    left join calendar_certainty cc on cc.calendar = k.calendar
)
select q.id, q.as_of, q.authority, q.authority_reference, h.status, h.status_since,
       q.as_of - h.status_since, q.destination, q.applicant, q.owner,
       c.cycle, c.target, c.extension, c.unit, c.calendar, c.started_on, c.deadline, c.elapsed, c.remaining,
       c.paused, coalesce(c.state, 'not_started'), coalesce(c.provisional, false), coalesce(c.overdue, 0),
       coalesce(h.rfis, 0), h.last_event, h.last_event_on,
       f.sample, f.p50_on, f.p90_on, f.p50, f.p90,
       case when f.sample < 5 then 'too few decided applications'
            when f.application_id is not null and f.p90_on is null then 'beyond the loaded calendar'
       end,
       case when f.sample < 5 then false else f.provisional end,
       h.stock_runs_out, h.stock_feeds, h.stock_recorded_on,
       case when h.stock_runs_out is not null
                 and not st.is_final
                 and c.started_on is not null and c.ended_on is null
                 and coalesce(f.p90_on, c.deadline) > h.stock_runs_out
            then coalesce(f.p90_on, c.deadline) - h.stock_runs_out
       end
from asked q
left join history h on h.application_id = q.id
left join application_statuses st on st.status = h.status
left join clocks c on c.application_id = q.id
left join forecasts f on f.application_id = q.id
$$;


-- Settings -----------------------------------------------------------------------------------

do $$
begin
    -- As in 0009 (CREATE OR REPLACE reset them): no JIT for reads that run for less than it would
    -- compile, and memory for hash joins. Nested loops stay allowed here, for one application's
    -- clock and outlook; report_delays() forbids them for its 100,000 (0009).
    alter function sla_clocks_project(sla_cycle_clock[], date) set jit = off;
    alter function sla_clocks_project(sla_cycle_clock[], date) set work_mem = '64MB';
    alter function application_outlook(bigint[], date) set jit = off;
    alter function application_outlook(bigint[], date) set work_mem = '64MB';
end;
$$;
