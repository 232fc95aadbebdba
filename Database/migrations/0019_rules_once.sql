-- 0019_rules_once.sql
--
-- Each rule once, in SQL (issue 8). Rules that existed twice, in SQL and in Swift or in two SQL
-- functions, now have one definition that the others call:
--
--   * the alert level and the "due" rule: alerts_due(), derived from clock_state(), is what
--     alerts_raise() raises and what `lictrack alerts check` counts (it had a copy in Swift);
--   * what `lictrack policy set` means: sla_policy_set(), which a psql user can call too (it was
--     Swift that checked, then inserted). Two first sets of the same policy no longer end in a
--     unique violation: the later one waits on the unique index, then changes what the earlier
--     one created;
--   * the statuses that end a cycle: application_statuses.ends_cycle, read by sla_compute()
--     instead of a literal list (and by report_cycle_spans);
--   * the licence types: one domain, licence_type, for applications and policies;
--   * the clock states: one domain, sla_clock_state, which clock_state() returns;
--   * provisional: sla_clock_provisional(), by the start and the deadline only (Docs/sla.md), for
--     the stored clocks (sla_compute) and the clocks as of a day (sla_clocks_project). The
--     projection also marked a clock provisional when the as-of day was beyond the loaded
--     calendar, so `app show --as-of` a day in 2028 called a clock that ended in 2025 provisional
--     while `app list` did not;
--   * working-day arithmetic: 0003's add_working_days() and working_days_between() are now thin
--     wrappers over 0004's clock_index() and clock_day(), the ones the clocks run on.
--
-- Errors: LT007 invalid policy (as in 0004), LT404 no such authority.


-- Statuses that end a cycle -------------------------------------------------------------------

alter table application_statuses add column ends_cycle boolean not null default false;

update application_statuses
set ends_cycle = true
where status in ('approved', 'denied', 'withdrawn', 'returned');

-- Stated for every status, like is_final; a final status always ends the cycle it is in.
alter table application_statuses
    alter column ends_cycle drop default,
    add constraint final_statuses_end_their_cycle check (ends_cycle or not is_final);

comment on column application_statuses.ends_cycle is
    'Entering this status ends the application''s cycle and stops its clock (met or missed): the '
    'decisions, a withdrawal and a return. A resubmission after a return starts the next cycle.';


-- Licence types ------------------------------------------------------------------------------

create domain licence_type as text
    constraint licence_type_check check (value in ('single', 'general', 'other'));

comment on domain licence_type is
    'The kind of licence applied for: single (one contract or consignment series), general (many '
    'consignments), other.';

alter table applications
    drop constraint applications_licence_type_check,
    alter column licence_type type licence_type;

alter table sla_policies
    drop constraint sla_policies_licence_type_check,
    alter column licence_type type licence_type;


-- Clock states -------------------------------------------------------------------------------

create domain sla_clock_state as text
    constraint sla_clock_state_check check (
        value in ('not_started', 'on_track', 'due_soon', 'breached', 'paused', 'met', 'missed'));

comment on domain sla_clock_state is
    'The states a clock can be in on a day (Docs/sla.md, "States"); clock_state() returns one.';

-- clock_state() as in 0004, returning the domain. A function's result type cannot be changed in
-- place; nothing depends on it in the catalogue (its callers look it up when they run).
drop function clock_state(date, date, date, date, date, date);

create function clock_state(
    p_started_on date, p_ended_on date, p_pause_open_since date, p_deadline date, p_warn_on date,
    p_as_of date)
returns sla_clock_state
language sql immutable parallel safe as $$
    select (case
                when p_started_on is null then 'not_started'
                when p_ended_on is not null then
                    case when p_ended_on <= p_deadline then 'met' else 'missed' end
                when p_pause_open_since is not null then 'paused'
                when p_as_of > p_deadline then 'breached'
                when p_as_of >= p_warn_on then 'due_soon'
                else 'on_track'
            end)::sla_clock_state
$$;

comment on function clock_state(date, date, date, date, date, date) is
    'not_started, on_track, due_soon, breached, paused, met or missed: a clock''s state on p_as_of. '
    'The one definition that show, list, alerts and reports share.';


-- Provisional --------------------------------------------------------------------------------

-- Whether a clock is provisional (Docs/sla.md, "Provisional years"): a working-day clock that has
-- started is provisional when its deadline is unknown (beyond the loaded calendar), falls in or
-- after the first provisional year or beyond the last loaded day (uncertain_from), or when it
-- started before the first loaded day (loaded_from). The bounds are calendar_certainty's, which
-- the callers join; an immutable SQL function, so it is inlined into them.
create function sla_clock_provisional(
    p_unit text, p_started_on date, p_deadline date, p_loaded_from date, p_uncertain_from date)
returns boolean
language sql immutable parallel safe as $$
    select p_unit = 'working_days'
       and p_started_on is not null
       and (p_deadline is null
            or coalesce(p_started_on < p_loaded_from or p_deadline >= p_uncertain_from, true))
$$;

comment on function sla_clock_provisional(text, date, date, date, date) is
    'Whether a clock is provisional, by its unit, start and deadline against its calendar''s '
    'calendar_certainty bounds (loaded_from, uncertain_from); never for calendar days.';


-- Computing clocks ---------------------------------------------------------------------------

-- sla_compute() as in 0012, with two changes: a cycle ends on the first status that ends_cycle
-- (not a literal list), and provisional is sla_clock_provisional().
create or replace function sla_compute(p_application_ids bigint[], p_as_of date default null)
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
           s.ends_cycle,
           (count(*) filter (where e.event = 'submit')
                over (partition by e.application_id order by e.seq))::integer as cycle
    from application_events e
    join application_statuses s on s.status = e.to_status
    where e.application_id = any (p_application_ids)
      and (p_as_of is null or e.occurred_on <= p_as_of)
),
cycles as (
    select ev.application_id, ev.cycle, p.policy_id, p.authority, p.unit, p.calendar, p.target,
           p.warn_before,
           min(ev.occurred_on) filter (where ev.to_status = p.start_status) as started_on,
           min(ev.occurred_on) filter (where ev.ends_cycle) as ended_on,
           (array_agg(ev.event order by ev.seq) filter (where ev.ends_cycle))[1] as end_event,
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
       sla_clock_provisional(k.unit, k.started_on, dd.day, cc.loaded_from, cc.uncertain_from) as provisional,
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

-- Projects cycle clocks onto a day: sla_clocks_project() as in 0016, with one change: a clock is
-- provisional by sla_clock_provisional() with the deadline it has on that day (an open pause moves
-- it), and no longer because the day itself is beyond the loaded calendar. A clock that ended, or
-- whose deadline is certain, is not provisional whatever the day. On a day beyond the loaded
-- calendar an open working-day clock has no elapsed or remaining units (NULL); its state is still
-- judged against its deadline (breached once the day is after it), and an open pause's deadline,
-- which moves with that day, is unknown (NULL, and provisional).
--   * elapsed = units in (start, D] (or (start, end] once the cycle ended), less the paused units;
--   * paused = the closed pauses plus the open one up to D;
--   * while a pause is open the deadline moves one unit further with each paused unit;
--   * remaining = target (with extensions) - elapsed; overdue = -remaining while breached, else 0;
--   * the state is clock_state() with that deadline.
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
       sla_clock_provisional(j.unit, j.started_on, j.current_deadline, cc.loaded_from, cc.uncertain_from),
       case when j.clock_state = 'breached' then greatest(-j.remaining_units, 0) else 0 end
from judged j
left join calendar_certainty cc on cc.calendar = j.calendar
$$;


-- Cycles for the reports -------------------------------------------------------------------------

-- report_cycle_spans as in 0010, its decisions being the events into a status that ends_cycle.
create or replace view report_cycle_spans as
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
           or ev.to_status in (select s.status from application_statuses s where s.ends_cycle)
        window w as (partition by ev.application_id order by ev.seq)
    ) r
    where r.event <> 'request-info'
    window w as (partition by r.application_id order by r.seq)
) b
where b.event = 'submit';


-- Alerts that have fallen due -----------------------------------------------------------------

-- The clocks whose next alert has fallen due as of p_as_of (NULL: today in each clock's
-- authority's time zone), with the level it is raised at: the clock's state that day
-- (clock_state), due_soon or breached. The one definition of "due" and of the level:
-- alerts_raise() raises these, and `lictrack alerts check` counts those not raised yet.
--
-- next_alert_on (clock_next_alert_on, 0004) is set only on a clock that runs (started, not ended,
-- not paused) with a deadline, and is never before its warn_on, so on and after that day the state
-- is due_soon or breached. A set-returning SQL function, so it is inlined: the caller's query
-- reads the partial index on next_alert_on.
create function alerts_due(p_as_of date default null)
returns table (
    application_id  bigint,
    cycle           integer,
    authority       text,
    deadline        date,
    as_of           date,
    level           text
)
language sql stable as $$
    select d.application_id, d.cycle, d.authority, d.deadline, d.as_of, d.state::text
    from (
        select k.application_id, k.cycle, k.authority, k.deadline, t.as_of,
               clock_state(k.started_on, k.ended_on, k.pause_open_since, k.deadline, k.warn_on, t.as_of)
                   as state
        from application_clocks k
        cross join lateral (select coalesce(p_as_of, authority_today(k.authority)) as as_of) t
        where k.next_alert_on is not null
          -- No authority's today is later than tomorrow on the server: a bound the index can use.
          and k.next_alert_on <= coalesce(p_as_of, current_date + 1)
          and k.next_alert_on <= t.as_of
    ) d
    where d.state in ('due_soon', 'breached')
$$;

comment on function alerts_due(date) is
    'The clocks whose next due_soon or breached alert has fallen due as of p_as_of (NULL: today in '
    'each authority''s time zone), with that level (their clock_state that day). What alerts_raise() '
    'raises and alerts check counts.';

-- Raises the alerts that have fallen due and queues their deliveries; returns the new alerts.
--
-- As in 0015, with the due clocks and their levels from alerts_due(): first the due clocks are
-- locked (those locked by a concurrent run are skipped; that run raises them), then, in a new
-- statement that sees whatever committed before the locks were granted, alerts_due() gives the
-- level of each one still due.
create or replace function alerts_raise(p_as_of date default null)
returns setof sla_alerts
language plpgsql as $$
declare
    v_locked_ids      bigint[];
    v_locked_cycles   integer[];
    v_application_ids bigint[];
    v_cycles          integer[];
    v_levels          text[];
    v_deadlines       date[];
    v_authorities     text[];
    v_as_of           date[];
begin
    -- 1. Lock the due clocks, in a fixed order.
    select array_agg(k.application_id), array_agg(k.cycle)
    into v_locked_ids, v_locked_cycles
    from (
        select k.application_id, k.cycle
        from application_clocks k
        where (k.application_id, k.cycle) in (select d.application_id, d.cycle from alerts_due(p_as_of) d)
        order by k.application_id, k.cycle
        for update of k skip locked
    ) k;

    -- 2. Those still due, with the level each has reached.
    if v_locked_ids is not null then
        select array_agg(d.application_id), array_agg(d.cycle), array_agg(d.level), array_agg(d.deadline),
               array_agg(d.authority), array_agg(d.as_of)
        into v_application_ids, v_cycles, v_levels, v_deadlines, v_authorities, v_as_of
        from alerts_due(p_as_of) d
        join unnest(v_locked_ids, v_locked_cycles) as l(application_id, cycle)
          on l.application_id = d.application_id and l.cycle = d.cycle;
    end if;

    -- 3. Mark them on the clocks (by primary key), so the next alert is judged from here.
    if v_application_ids is not null then
        update application_clocks k set
            warned_deadline = u.deadline,
            breached_deadline = case when u.level = 'breached' then u.deadline else k.breached_deadline end,
            next_alert_on = clock_next_alert_on(
                k.started_on, k.ended_on, k.pause_open_since, k.deadline, k.warn_on, u.deadline,
                case when u.level = 'breached' then u.deadline else k.breached_deadline end)
        from unnest(v_application_ids, v_cycles, v_levels, v_deadlines)
             as u(application_id, cycle, level, deadline)
        where k.application_id = u.application_id and k.cycle = u.cycle;
    end if;

    -- 4. Raise each alert once, queue a delivery per matching channel, and return the new alerts.
    return query
    with deadline_alerts as (
        select u.application_id, u.cycle, u.level, u.deadline, u.authority, u.as_of,
               null::date as stock_runs_out, null::text as feeds, null::integer as days_short
        from unnest(v_application_ids, v_cycles, v_levels, v_deadlines, v_authorities, v_as_of)
             as u(application_id, cycle, level, deadline, authority, as_of)
    ),
    supply_alerts as (
        -- The open applications with a stock record (applications.stock_recorded_on, 0018),
        -- judged by application_outlook(); only those at risk, and not yet raised for this cycle
        -- and stock date.
        select o.application_id, o.cycle, 'supply_risk'::text as level, o.deadline, o.authority, o.as_of,
               o.stock_runs_out, o.stock_feeds, o.supply_days_short
        from application_outlook(array(
                 select a.id
                 from applications a
                 join application_statuses s on s.status = a.status
                 where not s.is_final
                   and a.stock_recorded_on is not null),
                 p_as_of) o
        where o.supply_days_short is not null
          and o.cycle is not null
          and o.deadline is not null
          and not exists (select 1 from sla_alerts x
                          where x.application_id = o.application_id and x.cycle = o.cycle
                            and x.level = 'supply_risk' and x.stock_runs_out = o.stock_runs_out)
    ),
    raised as (
        insert into sla_alerts (application_id, cycle, level, deadline, authority, raised_on,
                                stock_runs_out, feeds, days_short)
        select n.application_id, n.cycle, n.level, n.deadline, n.authority, n.as_of,
               n.stock_runs_out, n.feeds, n.days_short
        from (select * from deadline_alerts union all select * from supply_alerts) n
        order by n.application_id, n.cycle, n.level
        on conflict do nothing
        returning *
    ),
    queued as (
        insert into alert_deliveries (alert_id, channel_id)
        select r.id, c.id
        from raised r
        join alert_channels c
          on c.enabled
         and (c.authorities is null or r.authority = any (c.authorities))
         and (c.levels is null or r.level = any (c.levels))
    )
    select * from raised order by id;
end;
$$;

comment on function alerts_raise(date) is
    'Raises every due_soon or breached alert that has fallen due (alerts_due) and every supply_risk not '
    'yet raised for its cycle and stock date (as of p_as_of, or today in each authority''s time zone), '
    'once, and queues a delivery per matching channel. Returns the new alerts.';


-- Setting a policy ---------------------------------------------------------------------------

-- What `lictrack policy set` does, callable from psql too:
--
--   select * from sla_policy_set('BIS', p_target => 91);
--   select * from sla_policy_set('MOFCOM', 'general', p_target => 30);
--
-- Changes the policy of the authority and licence type (NULL: the authority's default); only the
-- values given change. A licence type without a policy of its own gets one, a copy of the policy
-- that applied to it (the authority's default) with the values given. An authority without any
-- policy needs at least the start status, the target and the unit; the rest takes the table's
-- defaults (0004). A policy counted in calendar days has no calendar unless one is given. The
-- triggers on sla_policies check the result (LT007) and recompute the authority's open clocks in
-- the same transaction. Returns the policy as stored.
--
-- Concurrency: a change or a creation takes the policy's row or its unique index entry first;
-- then the statement trigger marks the rule change on the authority (rules_version, 0006) before
-- it recomputes, the order every change of sla_policies follows. Two first sets of the same
-- policy meet on the unique index: the later one waits for the earlier to commit, finds no
-- conflict to raise (ON CONFLICT DO NOTHING) and changes the policy the earlier one created. Under
-- REPEATABLE READ or SERIALIZABLE it fails with a serialization failure instead (40001), which the
-- CLI retries.
create function sla_policy_set(
    p_authority       text,
    p_licence_type    licence_type default null,
    p_start_status    text default null,
    p_target          integer default null,
    p_unit            text default null,
    p_calendar        text default null,
    p_pause_statuses  text[] default null,
    p_warn_before     integer default null,
    p_source          text default null,
    p_basis           text default null)
returns sla_policies
language plpgsql as $$
declare
    v_policy  sla_policies;
    v_base    sla_policies;
begin
    if not exists (select 1 from authorities a where a.code = p_authority) then
        raise exception 'no authority %', p_authority
            using errcode = 'LT404', hint = 'see ''lictrack authority list''';
    end if;

    loop
        -- 1. Change the policy if it exists.
        update sla_policies p set
            start_status   = coalesce(p_start_status, p.start_status),
            target         = coalesce(p_target, p.target),
            unit           = coalesce(p_unit, p.unit),
            calendar       = case when coalesce(p_unit, p.unit) = 'calendar_days' and p_calendar is null
                                  then null else coalesce(p_calendar, p.calendar) end,
            pause_statuses = coalesce(p_pause_statuses, p.pause_statuses),
            warn_before    = coalesce(p_warn_before, p.warn_before),
            source         = coalesce(p_source, p.source),
            basis          = coalesce(p_basis, p.basis)
        where p.authority = p_authority
          and p.licence_type is not distinct from p_licence_type
        returning p.* into v_policy;
        if found then
            return v_policy;
        end if;

        -- 2. Else create it from the policy that applied so far, or from the values given alone.
        select p.* into v_base from sla_policy_for(p_authority, p_licence_type) p;
        if v_base.id is null and (p_start_status is null or p_target is null or p_unit is null) then
            raise exception '% has no SLA policy yet', p_authority
                using errcode = 'LT007',
                      hint = 'give --starts-at, --target and --unit (and --calendar for working days)';
        end if;
        -- The columns with table defaults take them when neither the base nor the caller has a
        -- value: DEFAULT can only be written in the statement, hence the two forms.
        execute format(
            'insert into sla_policies (authority, licence_type, start_status, target, unit, calendar, '
            '                          pause_statuses, warn_before, source, basis) '
            'values ($1, $2, $3, $4, $5, $6, %s, %s, $9, $10) '
            'on conflict (authority, (coalesce(licence_type, ''*''))) do nothing '
            'returning *',
            case when coalesce(p_pause_statuses, v_base.pause_statuses) is null then 'default' else '$7' end,
            case when coalesce(p_warn_before, v_base.warn_before) is null then 'default' else '$8' end)
        into v_policy
        using p_authority, p_licence_type,
              coalesce(p_start_status, v_base.start_status),
              coalesce(p_target, v_base.target),
              coalesce(p_unit, v_base.unit),
              case when coalesce(p_unit, v_base.unit) = 'calendar_days' and p_calendar is null
                   then null else coalesce(p_calendar, v_base.calendar) end,
              coalesce(p_pause_statuses, v_base.pause_statuses),
              coalesce(p_warn_before, v_base.warn_before),
              coalesce(p_source, v_base.source),
              coalesce(p_basis, v_base.basis);
        if v_policy.id is not null then
            return v_policy;
        end if;
        -- 3. A concurrent set created it first and has committed: change that one.
    end loop;
end;
$$;

comment on function sla_policy_set(text, licence_type, text, integer, text, text, text[], integer, text, text) is
    'Changes (or creates, as a copy of the default) the SLA policy of an authority and licence type; '
    'only the values given change. What lictrack policy set calls. Returns the policy.';


-- Working-day arithmetic -----------------------------------------------------------------------

-- 0003's reference functions, now over the unit index the clocks use (clock_index, clock_day), so
-- that there is one working-day arithmetic. Same signatures, same results (Database/tests/
-- calendars_test.sql, run by the test suite).
create or replace function working_days_between(p_calendar text, p_from date, p_to date)
returns integer
language sql
stable strict parallel safe
as $$
    select t.idx - f.idx
      from clock_index('working_days', p_calendar, p_from) as f,
           clock_index('working_days', p_calendar, p_to) as t
$$;

create or replace function add_working_days(p_calendar text, p_from date, p_days integer)
returns date
language sql
stable strict parallel safe
as $$
    select case
               when f.idx is null then null
               when p_days = 0 then p_from
               -- Going backwards from a non-working day, the 1st working day before it is the one
               -- whose index it repeats.
               else (select d.day
                       from clock_day('working_days', p_calendar,
                                      f.idx + p_days + case when p_days < 0 and not f.counts then 1 else 0 end) as d)
           end
      from clock_index('working_days', p_calendar, p_from) as f
$$;


-- Settings -----------------------------------------------------------------------------------

do $$
begin
    -- CREATE OR REPLACE reset what 0015 and 0016 set: no JIT for reads that run for less than it
    -- would compile, and memory for the projection's hash joins.
    alter function alerts_raise(date) set jit = off;
    alter function sla_clocks_project(sla_cycle_clock[], date) set jit = off;
    alter function sla_clocks_project(sla_cycle_clock[], date) set work_mem = '64MB';
end;
$$;
