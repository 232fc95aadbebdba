-- 0012_cycle_facts.sql
--
-- The figure reports (0010) read the stored clocks instead of the event log.
--
-- Before this migration, report authority, report throughput and report processing times paired
-- every submit with its decision by scanning the whole event log (report_cycle_spans), and looked
-- up the clock at each decision on the calendars: about 3 s for one year with 200,000 applications,
-- growing with the log. Every fact they need about a cycle is known when its clock is computed,
-- so the clock recompute that every event already runs (sla_store_clocks, 0006) now stores it too:
--   application_clocks.submitted_on    the day of the cycle's submit
--   application_clocks.rfis            requests for information in the cycle
--   application_clocks.elapsed_at_end  the clock's elapsed units at the cycle's decision
-- and indexes on submitted_on and ended_on find the cycles of a period. The reports give the same
-- results as before (the definitions stay in 0010: report_cycle_spans and report_decisions over the
-- log are what the stored facts are checked against).
--
-- Cycles without a stored clock. sla_compute() gives clocks only to applications that a policy
-- covers, so an application that no policy covered when its clock was last computed (its authority
-- was added with `authority add` and has no `policy set` yet, or it closed before its authority got
-- a policy) has cycles in the log and none, or not all, in application_clocks. The recompute lists
-- these in unclocked_applications (usually empty), and the reports read their cycles from the log,
-- by primary key (report_unclocked, report_cycles), with no clock, as report_decision_clock() gave
-- them.
--
-- A decided cycle keeps the elapsed units it was stored with. Before, the reports counted the
-- units at each decision on the calendars as loaded when the report ran; now they are counted
-- when the clock is computed, like the deadline stored beside them, so a decided clock's elapsed
-- units and its met or missed agree even after a later calendar import.


-- The facts ----------------------------------------------------------------------------------

alter table application_clocks
    add column submitted_on    date,
    add column rfis            integer not null default 0,
    add column elapsed_at_end  integer;

comment on column application_clocks.submitted_on is
    'The day of the cycle''s submit (its first event): where the reports measure calendar days from.';
comment on column application_clocks.rfis is
    'Requests for information in the cycle (request-info events).';
comment on column application_clocks.elapsed_at_end is
    'Elapsed units at the decision (ended_on): units in (started_on, ended_on] less paused_units, '
    'as app show --as-of that day gives it; NULL while open, when the clock never started, or when a '
    'day is beyond the loaded calendar.';

-- The applications whose cycles the stored clocks do not hold.
create table unclocked_applications (
    application_id  bigint primary key references applications (id)
);

comment on table unclocked_applications is
    'Applications with cycles (a submit) that no SLA policy covered when their clocks were last '
    'computed, so application_clocks does not hold their cycles: the reports read them from the log. '
    'Derived data, kept by sla_store_clocks(); usually empty.';


-- Computing them -----------------------------------------------------------------------------

-- sla_compute() as in 0004, returning three more columns: submitted_on, rfis and elapsed_at_end.
-- A function's result columns cannot be changed in place, so it is dropped and created again.
-- Nothing depends on it in the catalogue: its callers (sla_store_clocks, sla_clock_as_of,
-- report_aging) look it up when they run, by column name.
drop function sla_compute(bigint[], date);

create function sla_compute(p_application_ids bigint[], p_as_of date default null)
returns table (
    application_id    bigint,
    cycle             integer,
    policy_id         bigint,
    authority         text,
    unit              text,
    calendar          text,
    target            integer,
    extension         integer,
    warn_before       integer,
    started_on        date,
    ended_on          date,
    end_event         text,
    paused_units      integer,
    pause_open_since  date,
    deadline          date,
    warn_on           date,
    provisional       boolean,
    submitted_on      date,
    rfis              integer,
    elapsed_at_end    integer
)
language sql stable as $$
with policy as (
    -- Each application's policy: the one for its licence type, else its authority's default.
    select a.id as application_id, p.*
    from applications a
    cross join lateral (
        select p.id as policy_id, p.authority, p.unit, p.calendar, p.target, p.warn_before,
               p.start_status, p.pause_statuses
        from sla_policy_for(a.authority, a.licence_type) p
    ) p
    where a.id = any (p_application_ids)
),
events as (
    -- Events so far, each with its cycle: cycle n begins with the n-th submit.
    select e.application_id, e.seq, e.event, e.from_status, e.to_status, e.occurred_on, e.extend_by,
           (count(*) filter (where e.event = 'submit')
                over (partition by e.application_id order by e.seq))::integer as cycle
    from application_events e
    where e.application_id = any (p_application_ids)
      and (p_as_of is null or e.occurred_on <= p_as_of)
),
cycles as (
    select ev.application_id, ev.cycle, p.policy_id, p.authority, p.unit, p.calendar, p.target,
           p.warn_before,
           min(ev.occurred_on) filter (where ev.to_status = p.start_status) as started_on,
           min(ev.occurred_on) filter (where ev.to_status in ('approved', 'denied', 'withdrawn', 'returned'))
               as ended_on,
           (array_agg(ev.event order by ev.seq)
               filter (where ev.to_status in ('approved', 'denied', 'withdrawn', 'returned')))[1] as end_event,
           coalesce(sum(ev.extend_by), 0)::integer as extension,
           -- The cycle's own submit is its first event; requests for information cannot follow
           -- its decision, so these are the ones the cycle saw.
           min(ev.occurred_on) filter (where ev.event = 'submit') as submitted_on,
           (count(*) filter (where ev.event = 'request-info'))::integer as rfis
    from events ev
    join policy p using (application_id)
    where ev.cycle >= 1
    group by ev.application_id, ev.cycle, p.policy_id, p.authority, p.unit, p.calendar, p.target,
             p.warn_before
),
pause_edges as (
    -- Entering or leaving a paused status; edges alternate, so each entry's next edge is its exit.
    select ev.application_id, ev.cycle, ev.occurred_on,
           ev.to_status = any (p.pause_statuses) as entering,
           lead(ev.occurred_on) over (partition by ev.application_id order by ev.seq) as next_edge_on
    from events ev
    join policy p using (application_id)
    where ev.cycle >= 1
      and (ev.to_status = any (p.pause_statuses))
          is distinct from coalesce(ev.from_status = any (p.pause_statuses), false)
),
pauses as (
    -- Each pause in units, clipped to the clock's start; NULL units while it is still open.
    select c.application_id, c.cycle, pe.occurred_on as paused_on, pe.next_edge_on as resumed_on,
           ri.idx as request_idx,
           ri.counts as request_counts,
           greatest(pi.idx, si.idx) - greatest(ri.idx, si.idx) as units,
           si.idx + c.target + c.extension as base_idx
    from pause_edges pe
    join cycles c using (application_id, cycle)
    cross join lateral clock_index(c.unit, c.calendar, c.started_on) si
    cross join lateral clock_index(c.unit, c.calendar, pe.occurred_on) ri
    cross join lateral clock_index(c.unit, c.calendar, pe.next_edge_on) pi
    where pe.entering and c.started_on is not null
),
reach as (
    -- The deadline index as the earlier pauses had set it when this pause began.
    select ps.*,
           ps.base_idx + coalesce(sum(ps.units) over (partition by ps.application_id, ps.cycle
                                                      order by ps.paused_on
                                                      rows between unbounded preceding and 1 preceding), 0)
               as deadline_idx
    from pauses ps
),
counted as (
    -- A pause counts if it began on or before that deadline (a day with a smaller index, or the
    -- deadline day itself), and so did every pause before it: once a request comes after the
    -- deadline, the clock has been breached and later pauses change nothing.
    select r.*,
           bool_and(r.request_idx < r.deadline_idx
                    or (r.request_idx = r.deadline_idx and r.request_counts))
               over (partition by r.application_id, r.cycle order by r.paused_on
                     rows between unbounded preceding and current row) as counts
    from reach r
),
clocks as (
    select c.*,
           coalesce(sum(ct.units) filter (where ct.counts and ct.resumed_on is not null), 0)::integer
               as paused_units,
           max(ct.paused_on) filter (where ct.counts and ct.resumed_on is null) as pause_open_since
    from cycles c
    left join counted ct using (application_id, cycle)
    group by c.application_id, c.cycle, c.policy_id, c.authority, c.unit, c.calendar, c.target,
             c.warn_before, c.started_on, c.ended_on, c.end_event, c.extension, c.submitted_on, c.rfis
)
select k.application_id, k.cycle, k.policy_id, k.authority, k.unit, k.calendar, k.target, k.extension,
       k.warn_before, k.started_on, k.ended_on, k.end_event, k.paused_units, k.pause_open_since,
       dd.day as deadline,
       wd.day as warn_on,
       k.unit = 'working_days'
           and k.started_on is not null
           and (dd.day is null or k.started_on < cc.loaded_from or dd.day >= cc.uncertain_from)
           as provisional,
       k.submitted_on,
       k.rfis,
       -- Elapsed at the decision, as report_decision_clock() (0010) counts it: units in
       -- (start, end] less the paused units.
       case when k.started_on is not null and k.ended_on is not null
            then ei.idx - si.idx - k.paused_units end as elapsed_at_end
from clocks k
left join lateral clock_index(k.unit, k.calendar, k.started_on) si on true
left join lateral clock_index(k.unit, k.calendar, k.ended_on) ei on true
left join lateral clock_day(k.unit, k.calendar, si.idx + k.target + k.extension + k.paused_units) dd on true
left join lateral clock_day(k.unit, k.calendar,
                            greatest(si.idx + k.target + k.extension + k.paused_units - k.warn_before, si.idx)) wd
       on true
left join calendar_certainty cc on cc.calendar = k.calendar
$$;

comment on function sla_compute(bigint[], date) is
    'The clock of every cycle of the given applications, computed from their events (only those on '
    'or before p_as_of when given). The one implementation of lictrack''s counting rules.';

-- sla_store_clocks() as in 0006, storing the three new columns, which count as a change.
create or replace function sla_store_clocks(p_application_ids bigint[]) returns integer
language plpgsql as $$
declare
    v_count integer;
begin
    insert into application_clocks as k (
        application_id, cycle, policy_id, authority, unit, calendar, target, extension, warn_before,
        started_on, ended_on, end_event, paused_units, pause_open_since, deadline, warn_on, provisional,
        next_alert_on, submitted_on, rfis, elapsed_at_end)
    select s.application_id, s.cycle, s.policy_id, s.authority, s.unit, s.calendar, s.target, s.extension,
           s.warn_before, s.started_on, s.ended_on, s.end_event, s.paused_units, s.pause_open_since,
           s.deadline, s.warn_on, s.provisional,
           clock_next_alert_on(s.started_on, s.ended_on, s.pause_open_since, s.deadline, s.warn_on, null, null),
           s.submitted_on, s.rfis, s.elapsed_at_end
    from sla_compute(p_application_ids) s
    on conflict (application_id, cycle) do update set
        policy_id = excluded.policy_id, authority = excluded.authority, unit = excluded.unit,
        calendar = excluded.calendar, target = excluded.target, extension = excluded.extension,
        warn_before = excluded.warn_before, started_on = excluded.started_on,
        ended_on = excluded.ended_on, end_event = excluded.end_event,
        paused_units = excluded.paused_units, pause_open_since = excluded.pause_open_since,
        deadline = excluded.deadline, warn_on = excluded.warn_on, provisional = excluded.provisional,
        next_alert_on = clock_next_alert_on(
            excluded.started_on, excluded.ended_on, excluded.pause_open_since, excluded.deadline,
            excluded.warn_on, k.warned_deadline, k.breached_deadline),
        submitted_on = excluded.submitted_on, rfis = excluded.rfis, elapsed_at_end = excluded.elapsed_at_end,
        computed_at = now()
    where (k.policy_id, k.unit, k.calendar, k.target, k.extension, k.warn_before, k.started_on,
           k.ended_on, k.end_event, k.paused_units, k.pause_open_since, k.deadline, k.warn_on,
           k.provisional, k.submitted_on, k.rfis, k.elapsed_at_end)
          is distinct from
          (excluded.policy_id, excluded.unit, excluded.calendar, excluded.target, excluded.extension,
           excluded.warn_before, excluded.started_on, excluded.ended_on, excluded.end_event,
           excluded.paused_units, excluded.pause_open_since, excluded.deadline, excluded.warn_on,
           excluded.provisional, excluded.submitted_on, excluded.rfis, excluded.elapsed_at_end);
    get diagnostics v_count = row_count;

    -- The applications among them that have cycles but no policy: their cycles stay in the log.
    delete from unclocked_applications u
    where u.application_id = any (p_application_ids);
    insert into unclocked_applications (application_id)
    select a.id
    from applications a
    where a.id = any (p_application_ids)
      and not exists (select 1 from sla_policy_for(a.authority, a.licence_type))
      and exists (select 1 from application_events e where e.application_id = a.id and e.event = 'submit');
    return v_count;
end;
$$;

comment on function sla_store_clocks(bigint[]) is
    'Stores the clocks sla_compute gives for the applications (set-based), and lists those no policy '
    'covers in unclocked_applications; the caller must hold the authority locks that sla_refresh '
    'takes. Returns clock rows changed.';

-- CREATE OR REPLACE resets what 0006 set on the function (its rights are kept): it runs with the
-- owner's rights on a pinned search_path, without JIT.
do $$
begin
    execute format('alter function sla_store_clocks(bigint[]) security definer set search_path = %I, pg_temp',
                   current_schema());
    alter function sla_store_clocks(bigint[]) set jit = off;
end;
$$;


-- Backfill -----------------------------------------------------------------------------------

-- The stored clocks get their facts from the log as sla_compute() counts them (cycle n begins
-- with the n-th submit), and the elapsed units at each decision from their stored start, end and
-- pauses, as report_decision_clock() (0010) counted them. One pass over the log's submits and
-- requests for information; no clock is recomputed.
update application_clocks k
set submitted_on = f.submitted_on,
    rfis = f.rfis,
    elapsed_at_end = f.elapsed_at_end
from (
    select c.application_id, c.cycle, l.submitted_on, l.rfis,
           case when c.started_on is not null and c.ended_on is not null
                then ei.idx - si.idx - c.paused_units end as elapsed_at_end
    from application_clocks c
    join (
        select e.application_id, e.cycle,
               min(e.occurred_on) filter (where e.event = 'submit') as submitted_on,
               (count(*) filter (where e.event = 'request-info'))::integer as rfis
        from (
            select ev.application_id, ev.event, ev.occurred_on,
                   count(*) filter (where ev.event = 'submit')
                       over (partition by ev.application_id order by ev.seq) as cycle
            from application_events ev
            where ev.event in ('submit', 'request-info')
        ) e
        where e.cycle >= 1
        group by e.application_id, e.cycle
    ) l on l.application_id = c.application_id and l.cycle = c.cycle
    left join lateral clock_index(c.unit, c.calendar, c.started_on) si on true
    left join lateral clock_index(c.unit, c.calendar, c.ended_on) ei on true
) f
where f.application_id = k.application_id
  and f.cycle = k.cycle;

-- Every cycle begins with its submit.
alter table application_clocks alter column submitted_on set not null;

-- The applications with cycles that no policy covers now, or that have no stored clock: the
-- last recompute found no policy for them.
insert into unclocked_applications (application_id)
select a.id
from applications a
where exists (select 1 from application_events e where e.application_id = a.id and e.event = 'submit')
  and (not exists (select 1 from sla_policy_for(a.authority, a.licence_type))
       or not exists (select 1 from application_clocks k where k.application_id = a.id));

-- The cycles of a period: submitted in it (report throughput), decided in it or open at its end
-- (report authority, report throughput, report processing times).
create index application_clocks_submitted_on_idx on application_clocks (submitted_on);
create index application_clocks_ended_on_idx on application_clocks (ended_on);


-- The cycles the reports read -----------------------------------------------------------------

-- Whether a report is narrowed by any of report_scope()'s four filters. Without one, every
-- application is in scope and a report need not read the applications at all: the stored clocks
-- carry the authority. An immutable SQL function, inlined and folded to a constant.
create function report_filtered(
    p_authorities text[], p_destinations text[], p_control_codes text[], p_owners text[])
returns boolean
language sql immutable parallel safe as $$
    select coalesce(cardinality(p_authorities), 0) > 0 or coalesce(cardinality(p_destinations), 0) > 0
        or coalesce(cardinality(p_control_codes), 0) > 0 or coalesce(cardinality(p_owners), 0) > 0
$$;

comment on function report_filtered(text[], text[], text[], text[]) is
    'True when any of report_scope()''s filters is given (a non-empty array).';

-- The rank of the p-th percentile among n values, as percentile_disc() takes it: the value at
-- rank ceil(p * n) in ascending order, computed in double precision as PostgreSQL does (the
-- first value when that is 0). report_authority() reads its percentiles from counts of values
-- with it; a test checks it against percentile_disc().
create function report_percentile_rank(p_fraction float8, p_count bigint)
returns bigint
language sql immutable parallel safe as $$
    select greatest(1, ceil(p_fraction * p_count))::bigint
$$;

comment on function report_percentile_rank(float8, bigint) is
    'The rank percentile_disc(p) takes among n values: ceil(p * n), at least 1 (nearest rank).';

-- The applications in scope whose cycles application_clocks does not hold (unclocked_applications:
-- no policy covered them when their clocks were last computed). Usually none; the reports read
-- their cycles from the log.
create function report_unclocked(
    p_authorities text[], p_destinations text[], p_control_codes text[], p_owners text[])
returns bigint[]
language sql stable parallel safe as $$
    select array(
        select u.application_id
        from unclocked_applications u
        join report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
          on sc.application_id = u.application_id
        order by u.application_id)
$$;

comment on function report_unclocked(text[], text[], text[], text[]) is
    'The applications in scope whose cycles are not in application_clocks (unclocked_applications).';

-- Every cycle with what the reports measure: from the stored clocks, except for the applications
-- in p_unclocked (report_unclocked(): pass all of them that are in scope), whose cycles come from
-- the log by primary key, and whose stored clocks, if any, are of an earlier policy. The columns of
-- report_cycle_spans and report_decisions (0010), with the application's authority:
--   decided_on, decision       the cycle's end (application_clocks.ended_on, end_event)
--   clock_unit, clock_days     the unit and elapsed units at the decision; NULL when the clock
--                              never started (and for the cycles read from the log)
--   clock_state                met, missed or not_started at the decision; NULL while open
-- A set-returning SQL function, so that PostgreSQL inlines it and a condition on the cycles is
-- pushed into both branches (an index on application_clocks, the log's primary key).
create function report_cycles(p_unclocked bigint[])
returns table (
    application_id  bigint,
    authority       text,
    cycle           integer,
    submitted_on    date,
    decided_on      date,
    decision        text,
    rfis            integer,
    clock_unit      text,
    clock_days      integer,
    clock_state     text
)
language sql stable parallel safe as $$
    select k.application_id, k.authority, k.cycle, k.submitted_on, k.ended_on, k.end_event, k.rfis,
           case when k.started_on is not null then k.unit end,
           k.elapsed_at_end,
           case when k.ended_on is not null
                then clock_state(k.started_on, k.ended_on, k.pause_open_since, k.deadline, k.warn_on, k.ended_on)
           end
    from application_clocks k
    where k.application_id <> all (p_unclocked)
    union all
    select cs.application_id, a.authority, cs.cycle, cs.submitted_on, cs.decided_on, cs.decision, cs.rfis,
           null, null, case when cs.decided_on is not null then 'not_started' end
    from report_cycle_spans cs
    join applications a on a.id = cs.application_id
    where cs.application_id = any (p_unclocked)
$$;

comment on function report_cycles(bigint[]) is
    'Every cycle (stored clocks, and the log for the given unclocked applications): submit, decision, '
    'requests for information, and the clock''s unit, elapsed units and state at the decision.';


-- report aging ---------------------------------------------------------------------------------

-- As in 0010, except that the cycles open on p_as_of of the applications with later events come
-- from the stored clocks (report_cycles), not from a scan of the log.
create or replace function report_aging(
    p_as_of date,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (authority text, bucket text, count integer, application_ids bigint[])
language plpgsql stable as $$
#variable_conflict use_column
declare
    v_later      bigint[];
    v_unclocked  bigint[];
    v_replay     bigint[];
begin
    if p_as_of is null then
        raise exception 'report aging needs the day to report on (p_as_of)' using errcode = '22023';
    end if;

    -- Applications in scope with events after the day, and those of them open on it.
    v_later := array(
        select a.id
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
        where a.last_event_on > p_as_of);
    v_unclocked := array(
        select u.application_id
        from unclocked_applications u
        where u.application_id = any (v_later));
    v_replay := array(
        select c.application_id
        from report_cycles(v_unclocked) c
        where c.application_id = any (v_later)
          and c.submitted_on <= p_as_of
          and (c.decided_on is null or c.decided_on > p_as_of));

    return query
    with open_clocks as (
        -- No event after the day: open now means open then, with its stored latest clock.
        select a.id as application_id, a.authority, k.unit, k.calendar, k.target, k.extension,
               k.started_on, k.paused_units, k.pause_open_since, k.deadline
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
        left join lateral (
            select c.*
            from application_clocks c
            where c.application_id = a.id
            order by c.cycle desc
            limit 1
        ) k on true
        where a.last_event_on <= p_as_of
          and a.status in ('submitted', 'under_review', 'info_requested', 'delayed')
        union all
        -- Events after the day: the cycle open on it, replayed (its cycle is the one not ended).
        select a.id, a.authority, s.unit, s.calendar, s.target, s.extension,
               s.started_on, s.paused_units, s.pause_open_since, s.deadline
        from applications a
        left join sla_compute(v_replay, p_as_of) s on s.application_id = a.id and s.ended_on is null
        where a.id = any (v_replay)
    ),
    measured as (
        select k.authority, k.application_id, k.target + k.extension as target, k.deadline,
               (di.idx - si.idx) - k.paused_units
                   - case when k.pause_open_since is null then 0
                          else di.idx - greatest(pi.idx, si.idx) end as elapsed
        from open_clocks k
        left join lateral clock_index(k.unit, k.calendar, k.started_on) si on true
        left join lateral clock_index(k.unit, k.calendar, p_as_of) di on true
        left join lateral clock_index(k.unit, k.calendar, k.pause_open_since) pi on true
    ),
    bucketed as (
        select m.authority, m.application_id,
               case
                   when m.deadline is null or m.elapsed is null then 'no_clock'
                   when m.elapsed * 10 <= m.target * 5 then '0-50%'
                   when m.elapsed * 10 <= m.target * 8 then '50-80%'
                   when m.elapsed <= m.target then '80-100%'
                   else 'over'
               end as bucket
        from measured m
    )
    select au.authority, b.bucket,
           count(x.application_id)::integer,
           coalesce(array_agg(x.application_id order by x.application_id)
                        filter (where x.application_id is not null), '{}')
    from (select distinct k.authority from open_clocks k) au
    cross join report_aging_buckets() b
    left join bucketed x on x.authority = au.authority and x.bucket = b.bucket
    group by au.authority, b.bucket, b.sort_order
    order by au.authority, b.sort_order;
end;
$$;



-- report authority -----------------------------------------------------------------------------

-- As in 0010 (the same columns, rows and definitions), over the stored cycles:
--   * the cycles decided in either period or open at the end of either are read once, through
--     the index on ended_on when the periods are a small part of the history;
--   * they are counted in one hashed pass, three ways (tallies): by decision, clock unit and
--     state; by elapsed units at the decision; by calendar days. Memory grows with the number of
--     distinct values, not of cycles, and no cycle is sorted;
--   * the nearest-rank percentiles are read from those counts: the smallest value whose running
--     count reaches rank ceil(p * n) (report_percentile_rank), which is what percentile_disc()
--     returns over the same values;
--   * the applications are read only for a filter or a grouping; otherwise the rows are the
--     authorities that have applications.
create or replace function report_authority(
    p_from date, p_to date, p_by text default null,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (
    authority             text,
    group_value           text,
    period                text,
    period_from           date,
    period_to             date,
    decided               integer,
    approved              integer,
    denied                integer,
    returned              integer,
    withdrawn             integer,
    approval_rate         numeric,
    clock_unit            text,
    clock_days_p50        integer,
    clock_days_p90        integer,
    calendar_days_p50     integer,
    calendar_days_p90     integer,
    within_target         numeric,
    rfis_per_application  numeric,
    open_at_end           integer
)
language plpgsql stable as $$
#variable_conflict use_column
declare
    v_previous_from      date;
    v_filtered           boolean;
    v_read_applications  boolean;
    v_unclocked          bigint[];
begin
    perform report_check_period(p_from, p_to);
    if p_by is not null and p_by not in ('control-code', 'destination') then
        raise exception 'unknown grouping %: expected control-code or destination', quote_literal(p_by)
            using errcode = '22023';
    end if;
    v_previous_from := p_from - (p_to - p_from + 1);
    v_filtered := report_filtered(p_authorities, p_destinations, p_control_codes, p_owners);
    v_read_applications := v_filtered or p_by is not null;
    v_unclocked := report_unclocked(p_authorities, p_destinations, p_control_codes, p_owners);

    -- The conditions on v_filtered and v_read_applications are constants in the plan: without a
    -- filter or a grouping, the applications are not read at all (the stored clocks carry the
    -- authority), and the branches that need them are left out.
    return query
    with groups as (
        -- The rows: every authority (and group) with applications in scope.
        select distinct a.authority, g.group_value
        from applications a
        cross join lateral report_group_of(a.id, a.destination, p_by) g
        where v_read_applications
          and (not v_filtered
               or a.id in (select sc.application_id
                           from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc))
        union all
        select au.code, null
        from authorities au
        where not v_read_applications
          and exists (select 1 from applications a where a.authority = au.code)
    ),
    periods as (
        select 'current' as period, 1 as sort_order, p_from as period_from, p_to as period_to
        union all
        select 'previous', 2, v_previous_from, p_from - 1
    ),
    in_scope as (
        -- The cycles in scope, with their group.
        select c.*, null::text as group_value
        from report_cycles(v_unclocked) c
        where not v_read_applications
        union all
        select c.*, g.group_value
        from report_cycles(v_unclocked) c
        join applications a on a.id = c.application_id
        cross join lateral report_group_of(a.id, a.destination, p_by) g
        where v_read_applications
          and (not v_filtered
               or a.id in (select sc.application_id
                           from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc))
    ),
    cycles as (
        -- The cycles that either period needs: decided in one, or open at its end. OFFSET 0
        -- computes each column once, before it is counted three ways below.
        select i.authority, i.group_value,
               case when i.decided_on between p_from and p_to then 'current'
                    when i.decided_on between v_previous_from and p_from - 1 then 'previous'
               end as decided_in,
               i.decided_on is null or i.decided_on > p_to as open_current,
               i.submitted_on < p_from and (i.decided_on is null or i.decided_on >= p_from) as open_previous,
               i.decision, i.clock_unit, i.clock_state, i.clock_days,
               i.decided_on - i.submitted_on as calendar_days, i.rfis
        from in_scope i
        where i.submitted_on <= p_to
          and (i.decided_on is null or i.decided_on >= v_previous_from)
        offset 0
    ),
    tallies as (
        -- One pass over the cycles, counted three ways at once (hashed, however many cycles):
        --   facts          per period of decision, decision, clock unit and state, and whether
        --                  open at the end of each period: how many, with their RFIs;
        --   clock_days     per period of decision and elapsed units at the decision: how many;
        --   calendar_days  per period of decision and calendar days: how many.
        select case grouping(c.decision, c.clock_days, c.calendar_days)
                   when 3 then 'facts' when 5 then 'clock_days' else 'calendar_days'
               end as tally,
               c.authority, c.group_value, c.decided_in, c.decision, c.clock_unit, c.clock_state,
               c.open_current, c.open_previous, coalesce(c.clock_days, c.calendar_days) as days,
               count(*) as n, sum(c.rfis) as rfis
        from cycles c
        group by grouping sets (
            (c.authority, c.group_value, c.decided_in, c.decision, c.clock_unit, c.clock_state,
             c.open_current, c.open_previous),
            (c.authority, c.group_value, c.decided_in, c.clock_days),
            (c.authority, c.group_value, c.decided_in, c.calendar_days))
    ),
    figures as (
        select t.authority, t.group_value, p.period,
               coalesce(sum(t.n) filter (where t.decided_in = p.period), 0)::integer as decided,
               coalesce(sum(t.n) filter (where t.decided_in = p.period and t.decision = 'approve'), 0)::integer
                   as approved,
               coalesce(sum(t.n) filter (where t.decided_in = p.period and t.decision = 'deny'), 0)::integer
                   as denied,
               coalesce(sum(t.n) filter (where t.decided_in = p.period and t.decision = 'return'), 0)::integer
                   as returned,
               coalesce(sum(t.n) filter (where t.decided_in = p.period and t.decision = 'withdraw'), 0)::integer
                   as withdrawn,
               -- One unit when the smallest and the largest agree (clocks never started aside).
               min(t.clock_unit) filter (where t.decided_in = p.period) as min_unit,
               max(t.clock_unit) filter (where t.decided_in = p.period) as max_unit,
               coalesce(sum(t.n) filter (where t.decided_in = p.period and t.clock_state = 'met'), 0) as met,
               sum(t.n) filter (where t.decided_in = p.period and t.clock_state in ('met', 'missed')) as measured,
               sum(t.rfis) filter (where t.decided_in = p.period) as rfis,
               sum(t.n) filter (where case p.period when 'current' then t.open_current else t.open_previous end)
                   ::integer as open_at_end
        from tallies t
        cross join periods p
        where t.tally = 'facts'
        group by t.authority, t.group_value, p.period
    ),
    percentiles as (
        -- Nearest rank, as percentile_disc: the smallest value whose running count reaches the
        -- rank report_percentile_rank() gives, over the decisions with a value.
        select h.authority, h.group_value, h.decided_in as period, h.tally,
               min(h.days) filter (where h.running >= report_percentile_rank(0.5, h.total)) as p50,
               min(h.days) filter (where h.running >= report_percentile_rank(0.9, h.total)) as p90
        from (
            select t.*,
                   (sum(t.n) over (partition by t.authority, t.group_value, t.decided_in, t.tally
                                   order by t.days))::bigint as running,
                   (sum(t.n) over (partition by t.authority, t.group_value, t.decided_in, t.tally))::bigint as total
            from tallies t
            where t.tally <> 'facts'
              and t.decided_in is not null
              and t.days is not null
        ) h
        group by h.authority, h.group_value, h.decided_in, h.tally
    )
    select g.authority, g.group_value, p.period, p.period_from, p.period_to,
           coalesce(f.decided, 0), coalesce(f.approved, 0), coalesce(f.denied, 0),
           coalesce(f.returned, 0), coalesce(f.withdrawn, 0),
           round(f.approved::numeric / nullif(f.decided, 0), 4),
           case when f.min_unit <> f.max_unit then 'mixed' else f.min_unit end,
           case when f.min_unit = f.max_unit then ck.p50 end::integer,
           case when f.min_unit = f.max_unit then ck.p90 end::integer,
           cd.p50::integer, cd.p90::integer,
           round(f.met::numeric / nullif(f.measured, 0), 4),
           round(f.rfis::numeric / nullif(f.decided, 0), 2),
           coalesce(f.open_at_end, 0)
    from groups g
    cross join periods p
    left join figures f
           on f.authority = g.authority and f.group_value is not distinct from g.group_value
          and f.period = p.period
    left join percentiles ck
           on ck.authority = g.authority and ck.group_value is not distinct from g.group_value
          and ck.period = p.period and ck.tally = 'clock_days'
    left join percentiles cd
           on cd.authority = g.authority and cd.group_value is not distinct from g.group_value
          and cd.period = p.period and cd.tally = 'calendar_days'
    order by g.authority, g.group_value nulls last, p.sort_order;
end;
$$;


-- report processing times ----------------------------------------------------------------------

-- As in 0010, over the stored cycles decided in the period (the index on ended_on). The cycles
-- read from the log have no clock, so they add nothing here.
create or replace function report_processing_times(
    p_from date, p_to date,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (authority text, clock_unit text, clock_days integer, decided integer)
language plpgsql stable as $$
#variable_conflict use_column
declare
    v_filtered   boolean;
    v_unclocked  bigint[];
begin
    perform report_check_period(p_from, p_to);
    v_filtered := report_filtered(p_authorities, p_destinations, p_control_codes, p_owners);
    v_unclocked := report_unclocked(p_authorities, p_destinations, p_control_codes, p_owners);

    return query
    select c.authority, c.clock_unit, c.clock_days, count(*)::integer
    from report_cycles(v_unclocked) c
    where c.decided_on between p_from and p_to
      and c.clock_days is not null
      and (not v_filtered
           or c.application_id in (select sc.application_id
                                   from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc))
    group by c.authority, c.clock_unit, c.clock_days
    order by c.authority, c.clock_unit, c.clock_days;
end;
$$;


-- report throughput ----------------------------------------------------------------------------

-- As in 0010 (the same periods, rows and formula), over the stored cycles that count from the
-- first period on, instead of two scans of the log.
create or replace function report_throughput(
    p_from date, p_to date, p_by text default 'week',
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (
    period        text,
    period_start  date,
    period_end    date,
    authority     text,
    submitted     integer,
    decided       integer,
    open_at_end   integer
)
language plpgsql stable as $$
#variable_conflict use_column
declare
    v_step    interval;
    v_first   date;
    v_last    date;
    v_periods integer;
    v_filtered   boolean;
    v_unclocked  bigint[];
begin
    perform report_check_period(p_from, p_to);
    if p_by is null or p_by not in ('week', 'month') then
        raise exception 'unknown period %: expected week or month', coalesce(quote_literal(p_by), 'NULL')
            using errcode = '22023';
    end if;
    v_step := case p_by when 'week' then interval '1 week' else interval '1 month' end;
    v_first := date_trunc(p_by, p_from::timestamp)::date;
    v_last := (date_trunc(p_by, p_to::timestamp) + v_step)::date - 1;
    v_periods := case p_by
                     when 'week' then (date_trunc('week', p_to::timestamp)::date - v_first) / 7 + 1
                     else (extract(year from p_to)::integer * 12 + extract(month from p_to)::integer)
                          - (extract(year from p_from)::integer * 12 + extract(month from p_from)::integer) + 1
                 end;
    if v_periods > 1000 then
        raise exception 'report throughput from % to % spans % %s; at most 1000 periods', p_from, p_to, v_periods, p_by
            using errcode = '22023',
                  hint = 'narrow the period, or count by month';
    end if;

    v_filtered := report_filtered(p_authorities, p_destinations, p_control_codes, p_owners);
    v_unclocked := report_unclocked(p_authorities, p_destinations, p_control_codes, p_owners);

    return query
    with authorities_in_scope as (
        -- The rows: every authority with applications in scope. Without a filter, read from the
        -- authorities (the condition is a constant in the plan).
        select distinct a.authority
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
        where v_filtered
        union all
        select au.code
        from authorities au
        where not v_filtered
          and exists (select 1 from applications a where a.authority = au.code)
    ),
    periods as (
        select s::date as period_start, (s + v_step)::date - 1 as period_end
        from generate_series(v_first::timestamp, p_to::timestamp, v_step) s
    ),
    cycles as materialized (
        -- The cycles in scope that count from the first period on: submitted by the last period's
        -- end and not decided before the first one starts. A cycle decided earlier was submitted
        -- earlier too, so it adds nothing to the backlog at v_first.
        select c.authority, c.submitted_on, c.decided_on
        from report_cycles(v_unclocked) c
        where c.submitted_on <= v_last
          and (c.decided_on is null or c.decided_on >= v_first)
          and (not v_filtered
               or c.application_id in (select sc.application_id
                                       from report_scope(p_authorities, p_destinations, p_control_codes,
                                                         p_owners) sc))
    ),
    moves as (
        -- +1 submitted on the submit's day, +1 decided on the decision's day.
        select c.authority, c.submitted_on as day, 1 as submitted, 0 as decided
        from cycles c
        union all
        select c.authority, c.decided_on, 0, 1
        from cycles c
        where c.decided_on <= v_last
    ),
    before_first as (
        select m.authority, sum(m.submitted - m.decided)::integer as open_before
        from moves m
        where m.day < v_first
        group by m.authority
    ),
    in_periods as (
        select m.authority, date_trunc(p_by, m.day::timestamp)::date as period_start,
               sum(m.submitted)::integer as submitted, sum(m.decided)::integer as decided
        from moves m
        where m.day >= v_first
        group by 1, 2
    )
    select to_char(p.period_start, case p_by when 'week' then 'IYYY-"W"IW' else 'YYYY-MM' end),
           p.period_start, p.period_end, au.authority,
           coalesce(i.submitted, 0), coalesce(i.decided, 0),
           (coalesce(b.open_before, 0)
            + sum(coalesce(i.submitted, 0) - coalesce(i.decided, 0))
                  over (partition by au.authority order by p.period_start))::integer
    from authorities_in_scope au
    cross join periods p
    left join in_periods i on i.authority = au.authority and i.period_start = p.period_start
    left join before_first b on b.authority = au.authority
    order by p.period_start, au.authority;
end;
$$;


-- CREATE OR REPLACE resets the settings 0010 gave the reports: no JIT (their row estimates are loose).
alter function report_aging(date, text[], text[], text[], text[]) set jit = off;
alter function report_authority(date, date, text, text[], text[], text[], text[]) set jit = off;
alter function report_processing_times(date, date, text[], text[], text[], text[]) set jit = off;
alter function report_throughput(date, date, text, text[], text[], text[], text[]) set jit = off;
