-- 0010_report_figures.sql
--
-- The figures behind `lictrack report aging`, `report authority` and `report throughput`
-- (Docs/reports.md). Each report is one function taking its own parameters followed by the four
-- filter arrays of report_scope() (0008), and computing its rows in one set-based statement over
-- the event log and the stored clocks. Nothing here counts days itself: units come from
-- clock_index() (0004), clocks from application_clocks or sla_compute(), states from clock_state().
--
-- Definitions shared by the three reports:
--   * A cycle is what sla_compute() calls one: cycle n of an application begins with its n-th
--     submit. It ends with its decision, the first approve, deny, return or withdraw after that
--     submit (the event that sets application_clocks.ended_on and end_event). A withdraw after a
--     return is not a second decision, and a draft withdrawn before it was ever submitted has no
--     cycle and no decision.
--   * Decided in a period: the decision is dated in it. `decided` counts all four kinds.
--   * Open on a day D: a cycle submitted on or before D and not decided by the end of D. Drafts
--     are not open (never with the authority); a returned application is not open until it is
--     resubmitted (the return decided its cycle). An application has at most one open cycle.
--   * Which authorities (and groups) get rows: those of the applications in scope, so that an
--     empty database, or filters that match nothing, give no rows, and an authority with
--     applications but no decisions in a period gives a row of zeros.
--
-- Errors: 22023 (invalid_parameter_value) for a missing date, a period that ends before it
-- starts, an unknown grouping or period kind, or a throughput over too many periods.


-- Cycles and decisions ---------------------------------------------------------------------------

-- Every cycle of every application: its submit, its decision when it has one, and what happened
-- in between. Cycles are counted as sla_compute() counts them: cycle n begins with the n-th
-- submit, and its decision is its first event to approved, denied, returned or withdrawn.
--   submitted_on   the day of the cycle's submit
--   decided_on     the day of its decision; NULL while the cycle is open
--   decision       approve, deny, return or withdraw (a withdraw after a return is not a decision)
--   calendar_days  decided_on - submitted_on
--   rfis           requests for information in the cycle so far (none can follow its decision)
-- Among the submits and the events that end a cycle, taken in order, the event after a submit is
-- its decision: nothing else can come between them, since a second submit needs a return first.
-- Events before the first submit (a draft withdrawn) belong to no cycle. Every window is
-- partitioned by application_id, so a condition on it is pushed down to the scan of the log.
create view report_cycle_spans as
select b.application_id,
       b.cycle,
       b.seq as submit_seq,
       b.occurred_on as submitted_on,
       b.next_seq as decision_seq,
       b.next_on as decided_on,
       b.next_event as decision,
       b.next_on - b.occurred_on as calendar_days,
       (coalesce(b.next_rfis, b.all_rfis) - b.rfis_so_far)::integer as rfis
from (
    select r.*,
           lead(r.seq) over w as next_seq,
           lead(r.occurred_on) over w as next_on,
           lead(r.event) over w as next_event,
           lead(r.rfis_so_far) over w as next_rfis
    from (
        select ev.application_id, ev.seq, ev.event, ev.occurred_on,
               (count(*) filter (where ev.event = 'submit') over w)::integer as cycle,
               count(*) filter (where ev.event = 'request-info') over w as rfis_so_far,
               count(*) filter (where ev.event = 'request-info')
                   over (partition by ev.application_id) as all_rfis
        from application_events ev
        where ev.event in ('submit', 'request-info')
           or ev.to_status in ('approved', 'denied', 'returned', 'withdrawn')
        window w as (partition by ev.application_id order by ev.seq)
    ) r
    where r.event <> 'request-info'
    window w as (partition by r.application_id order by r.seq)
) b
where b.event = 'submit';

comment on view report_cycle_spans is
    'Each application cycle (n-th submit): its submit, its decision (the first approve, deny, return or '
    'withdraw after it; NULL while open), calendar days between them and requests for information.';

-- The clock of a decided cycle at its decision, from the stored clock (application_clocks).
--   clock_unit   the clock's unit; NULL when it never started (a MOFCOM application returned
--                before acceptance, an authority without a policy)
--   clock_days   elapsed at the decision in that unit: units in (start, decision] less the
--                paused units, as app show --as-of the decision day prints it
--   clock_state  clock_state() on the decision day: met (on or before the deadline, the deadline
--                day included), missed, or not_started
-- A set-returning SQL function so that PostgreSQL inlines it: two index lookups per decision.
create function report_decision_clock(p_application_id bigint, p_cycle integer, p_decided_on date)
returns table (clock_unit text, clock_days integer, clock_state text)
language sql stable parallel safe as $$
    select case when k.started_on is not null then k.unit end,
           ei.idx - si.idx - k.paused_units,
           clock_state(k.started_on, k.ended_on, k.pause_open_since, k.deadline, k.warn_on, p_decided_on)
    from (select) as one
    left join application_clocks k on k.application_id = p_application_id and k.cycle = p_cycle
    left join lateral clock_index(k.unit, k.calendar, k.started_on) si on true
    left join lateral clock_index(k.unit, k.calendar, k.ended_on) ei on true
$$;

comment on function report_decision_clock(bigint, integer, date) is
    'The clock of a decided cycle at its decision: unit, elapsed units and met/missed/not_started.';

-- Every decided cycle with what the reports measure at its decision.
create view report_decisions as
select cs.application_id, cs.cycle, cs.submitted_on, cs.decided_on, cs.decision, cs.calendar_days,
       dc.clock_unit, dc.clock_days, dc.clock_state, cs.rfis
from report_cycle_spans cs
cross join lateral report_decision_clock(cs.application_id, cs.cycle, cs.decided_on) dc
where cs.decided_on is not null;

comment on view report_decisions is
    'Each decided cycle: decision, calendar days from submission, the clock''s elapsed units and state '
    'at the decision, and the requests for information in the cycle.';

-- The group of an application in report authority: with p_by 'destination' its destination
-- (p_destination), with 'control-code' the control-code family (control_code_family) of its first
-- item that has a control code (NULL when none has), and NULL without p_by. Each application is in
-- exactly one group, so the groups of an authority add up to its totals. A set-returning SQL
-- function, so it is inlined and a constant p_by folds the other branch away.
create function report_group_of(p_application_id bigint, p_destination text, p_by text)
returns table (group_value text)
language sql stable parallel safe as $$
    select case p_by
               when 'destination' then p_destination
               when 'control-code' then (select control_code_family(i.control_code)
                                         from application_items i
                                         where i.application_id = p_application_id
                                           and i.control_code is not null
                                         order by i.line_no
                                         limit 1)
           end
$$;

comment on function report_group_of(bigint, text, text) is
    'The group of an application in report authority --by: its destination, or the control-code family '
    'of its first item with a control code; NULL without a grouping.';


-- Shared checks --------------------------------------------------------------------------------

-- Refuses a report period without both ends or ending before it starts.
create function report_check_period(p_from date, p_to date) returns void
language plpgsql immutable as $$
begin
    if p_from is null or p_to is null then
        raise exception 'a report period needs both ends (from and to)' using errcode = '22023';
    end if;
    if p_to < p_from then
        raise exception 'the report period ends (%) before it starts (%)', p_to, p_from
            using errcode = '22023';
    end if;
end;
$$;

comment on function report_check_period(date, date) is
    'Raises 22023 unless [p_from, p_to] is a period: both given, p_to not before p_from.';

-- report aging ---------------------------------------------------------------------------------

-- The aging buckets, in order: the one list the report and lictrack's Swift enum share.
create function report_aging_buckets()
returns table (bucket text, sort_order integer)
language sql immutable parallel safe as $$
    values ('0-50%', 1), ('50-80%', 2), ('80-100%', 3), ('over', 4), ('no_clock', 5)
$$;

comment on function report_aging_buckets() is
    'The buckets of report aging in order: 0-50%, 50-80%, 80-100%, over, no_clock.';

-- Open applications on p_as_of per authority, in buckets of the share of the statutory target
-- their clock has used: elapsed / (target + extensions) as of that day.
--   0-50%     share <= 0.5        (exactly half is here: an edge belongs to the lower bucket)
--   50-80%    0.5 < share <= 0.8
--   80-100%   0.8 < share <= 1    (the deadline day itself, all units used, is here)
--   over      share > 1           (breached)
--   no_clock  the clock has not started (MOFCOM before acceptance), has no deadline (beyond the
--             loaded calendar), its authority has no policy, or p_as_of is beyond the calendar
-- A paused clock is bucketed by its elapsed units, which do not grow while it is paused.
--
-- The clock is the one that stood on p_as_of:
--   * an application with no event dated after p_as_of is open on it exactly when its status now
--     is one of an open cycle (submitted, under_review, info_requested, delayed), and its stored
--     clock (latest cycle) is the clock on that day: it was computed from exactly those events;
--   * for the others, the cycle open on p_as_of comes from the log (report_cycle_spans) and its
--     clock from replaying the events up to p_as_of (sla_compute(ids, p_as_of)).
-- Elapsed as of the day is counted as sla_clock_as_of() counts it: units in (start, p_as_of] less
-- the closed pauses and the open pause so far. All statements read the caller's snapshot.
--
-- Rows: every bucket for each authority with at least one open application in scope, zero
-- counts included, ordered by authority and bucket; application_ids sorted ascending.
create function report_aging(
    p_as_of date,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (authority text, bucket text, count integer, application_ids bigint[])
language plpgsql stable as $$
#variable_conflict use_column
declare
    v_later   bigint[];
    v_replay  bigint[];
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
    v_replay := array(
        select cs.application_id
        from report_cycle_spans cs
        where cs.application_id = any (v_later)
          and cs.submitted_on <= p_as_of
          and (cs.decided_on is null or cs.decided_on > p_as_of));

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

comment on function report_aging(date, text[], text[], text[], text[]) is
    'report aging: open applications on a day per authority in buckets of the target their clock has '
    'used (0-50%, 50-80%, 80-100%, over, no_clock; an edge belongs to the lower bucket).';


-- report authority -----------------------------------------------------------------------------

-- Per authority (and group, with p_by 'control-code' or 'destination'), the decisions dated in
-- [p_from, p_to], and the same figures for the previous period: the period of equal length
-- ending the day before p_from. Two rows per authority and group, period 'current' then
-- 'previous', each with its own from and to.
--   decided               decisions in the period: approved + denied + returned + withdrawn
--   approval_rate         approved / decided, 4 decimals; NULL when nothing was decided
--   clock_unit            the unit of the decided clocks (working_days, calendar_days); 'mixed'
--                         when licence-type policies count some in the other unit, and then the
--                         clock percentiles are NULL (units cannot be compared)
--   clock_days_p50, _p90  the clock's elapsed at the decision (report_decisions.clock_days),
--                         nearest-rank percentiles (percentile_disc: the value at rank
--                         ceil(p * n), a value that was observed), over the decisions whose clock
--                         had started; NULL when none had
--   calendar_days_p50, _p90  submission to decision in calendar days, nearest-rank, all decisions
--   within_target         met / (met + missed): the share of decisions with a started clock that
--                         came on or before the deadline (the deadline day counts as within), 4
--                         decimals; NULL when no decided clock had started
--   rfis_per_application  requests for information in the decided cycles / decided, 2 decimals;
--                         NULL when nothing was decided
--   open_at_end           applications open at the end of the period's last day
-- The cycle measured is the one the decision ended: after a return and resubmission, the second
-- cycle's decision is measured from the resubmission, with the second cycle's clock.
create function report_authority(
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
begin
    perform report_check_period(p_from, p_to);
    if p_by is not null and p_by not in ('control-code', 'destination') then
        raise exception 'unknown grouping %: expected control-code or destination', quote_literal(p_by)
            using errcode = '22023';
    end if;

    return query
    with scope as (
        select a.id as application_id, a.authority, g.group_value
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
        cross join lateral report_group_of(a.id, a.destination, p_by) g
    ),
    periods as (
        select 'current' as period, 1 as sort_order, p_from as period_from, p_to as period_to
        union all
        select 'previous', 2, p_from - (p_to - p_from + 1), p_from - 1
    ),
    spans as materialized (
        -- The cycles in scope submitted by the end of the period: one pass over the log for
        -- both the decisions and the open applications.
        select s.authority, s.group_value, cs.*
        from scope s
        join report_cycle_spans cs on cs.application_id = s.application_id
        where cs.submitted_on <= p_to
    ),
    decisions as (
        -- As report_decisions, over the spans already read.
        select p.period, sp.authority, sp.group_value, sp.decision, sp.calendar_days, sp.rfis, dc.*
        from periods p
        join spans sp on sp.decided_on between p.period_from and p.period_to
        cross join lateral report_decision_clock(sp.application_id, sp.cycle, sp.decided_on) dc
    ),
    figures as (
        select d.period, d.authority, d.group_value,
               count(*)::integer as decided,
               count(*) filter (where d.decision = 'approve')::integer as approved,
               count(*) filter (where d.decision = 'deny')::integer as denied,
               count(*) filter (where d.decision = 'return')::integer as returned,
               count(*) filter (where d.decision = 'withdraw')::integer as withdrawn,
               case when count(distinct d.clock_unit) > 1 then 'mixed' else min(d.clock_unit) end as clock_unit,
               case when count(distinct d.clock_unit) = 1
                    then percentile_disc(0.5) within group (order by d.clock_days) end as clock_days_p50,
               case when count(distinct d.clock_unit) = 1
                    then percentile_disc(0.9) within group (order by d.clock_days) end as clock_days_p90,
               percentile_disc(0.5) within group (order by d.calendar_days) as calendar_days_p50,
               percentile_disc(0.9) within group (order by d.calendar_days) as calendar_days_p90,
               count(*) filter (where d.clock_state = 'met') as met,
               count(*) filter (where d.clock_state in ('met', 'missed')) as measured,
               sum(d.rfis) as rfis
        from decisions d
        group by d.period, d.authority, d.group_value
    ),
    open_at_end as (
        select p.period, sp.authority, sp.group_value, count(*)::integer as open_at_end
        from periods p
        join spans sp on sp.submitted_on <= p.period_to
                     and (sp.decided_on is null or sp.decided_on > p.period_to)
        group by p.period, sp.authority, sp.group_value
    )
    select g.authority, g.group_value, p.period, p.period_from, p.period_to,
           coalesce(f.decided, 0), coalesce(f.approved, 0), coalesce(f.denied, 0),
           coalesce(f.returned, 0), coalesce(f.withdrawn, 0),
           round(f.approved::numeric / nullif(f.decided, 0), 4),
           f.clock_unit, f.clock_days_p50, f.clock_days_p90, f.calendar_days_p50, f.calendar_days_p90,
           round(f.met::numeric / nullif(f.measured, 0), 4),
           round(f.rfis::numeric / nullif(f.decided, 0), 2),
           coalesce(o.open_at_end, 0)
    from (select distinct s.authority, s.group_value from scope s) g
    cross join periods p
    left join figures f
           on f.period = p.period and f.authority = g.authority
          and f.group_value is not distinct from g.group_value
    left join open_at_end o
           on o.period = p.period and o.authority = g.authority
          and o.group_value is not distinct from g.group_value
    order by g.authority, g.group_value nulls last, p.sort_order;
end;
$$;

comment on function report_authority(date, date, text, text[], text[], text[], text[]) is
    'report authority: per authority (and control-code family or destination) the decisions in '
    '[p_from, p_to] and in the equally long period before: counts, approval rate, nearest-rank '
    'percentiles of clock and calendar days, share within target, RFIs per application, open at end.';

-- The processing-time distribution behind report authority's chart: per authority and clock
-- unit, how many decisions dated in [p_from, p_to] came at each elapsed count (clock_days, as in
-- report_authority). Decisions whose clock never started are left out. Ordered by authority,
-- unit and clock_days; the chart bins them.
create function report_processing_times(
    p_from date, p_to date,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (authority text, clock_unit text, clock_days integer, decided integer)
language plpgsql stable as $$
#variable_conflict use_column
begin
    perform report_check_period(p_from, p_to);

    return query
    select a.authority, d.clock_unit, d.clock_days, count(*)::integer
    from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
    join applications a on a.id = sc.application_id
    join report_decisions d on d.application_id = a.id
    where d.decided_on between p_from and p_to
      and d.clock_days is not null
    group by a.authority, d.clock_unit, d.clock_days
    order by a.authority, d.clock_unit, d.clock_days;
end;
$$;

comment on function report_processing_times(date, date, text[], text[], text[], text[]) is
    'Per authority and clock unit, the number of decisions in [p_from, p_to] at each elapsed count: '
    'the processing-time distribution of report authority.';


-- report throughput ----------------------------------------------------------------------------

-- Per period and authority: submitted (submit events dated in the period, resubmissions
-- included), decided (decisions dated in it) and open_at_end (applications open at the end of
-- the period's last day: submitted on or before it and not decided by it).
--   p_by 'week':   ISO weeks, Monday to Sunday, labelled IYYY-Www (2024-12-30 is in 2025-W01)
--   p_by 'month':  calendar months, labelled YYYY-MM
-- The periods are the whole weeks or months that intersect [p_from, p_to], each counted over
-- all its days (a range starting on a Wednesday includes that week from its Monday), so every
-- period is comparable. Periods without activity appear with zeros, for every authority with
-- applications in scope. At most 1000 periods. Ordered by period, then authority.
--
-- open_at_end = (cycles submitted by the period's end) - (cycles decided by it): a decided cycle
-- was submitted on or before its decision, so the difference is exactly the cycles still open.
create function report_throughput(
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

    return query
    with scope as (
        select a.id as application_id, a.authority
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
    ),
    periods as (
        select s::date as period_start, (s + v_step)::date - 1 as period_end
        from generate_series(v_first::timestamp, p_to::timestamp, v_step) s
    ),
    moves as (
        -- +1 submitted on the submit's day, +1 decided on the decision's day.
        select s.authority, cs.submitted_on as day, 1 as submitted, 0 as decided
        from scope s join report_cycle_spans cs on cs.application_id = s.application_id
        where cs.submitted_on <= v_last
        union all
        select s.authority, cs.decided_on, 0, 1
        from scope s join report_cycle_spans cs on cs.application_id = s.application_id
        where cs.decided_on <= v_last
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
    from (select distinct s.authority from scope s) au
    cross join periods p
    left join in_periods i on i.authority = au.authority and i.period_start = p.period_start
    left join before_first b on b.authority = au.authority
    order by p.period_start, au.authority;
end;
$$;

comment on function report_throughput(date, date, text, text[], text[], text[], text[]) is
    'report throughput: per ISO week or month intersecting [p_from, p_to] and authority, submitted, '
    'decided, and open at the period''s end.';


-- The reports' row estimates are loose (sla_compute, window functions over the log), which can
-- make the planner JIT-compile a statement that runs in less time than the compilation.
alter function report_aging(date, text[], text[], text[], text[]) set jit = off;
alter function report_authority(date, date, text, text[], text[], text[], text[]) set jit = off;
alter function report_processing_times(date, date, text[], text[], text[], text[]) set jit = off;
alter function report_throughput(date, date, text, text[], text[], text[], text[]) set jit = off;
