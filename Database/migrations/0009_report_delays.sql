-- 0009_report_delays.sql
--
-- What `lictrack report delays`, `app show` and `app list` need to tell a manager how late each
-- open application is, when it is likely to be decided, and whose material runs out first
-- (Docs/reports.md):
--
--   * stock records: a `stock` event that changes no status (like `note`) and carries the day the
--     material the application covers runs out and what it feeds; the latest one counts;
--   * sla_policies.basis: the legal basis of each clock in plain words;
--   * sla_clocks_project(): the one projection of clocks onto a day (elapsed, remaining, paused,
--     deadline, state, overdue), set-based, shared by sla_clocks_as_of(), sla_clock_as_of()
--     (`app show`), `app list` and the reports, so that they cannot disagree;
--   * sla_clocks_as_of(): the clocks of many applications as of a day, set-based, from the stored
--     clocks where they are current and from the event log only where they are not;
--   * application_outlook(): per application, its clock, days in status, requests for information,
--     last event, decision forecast and supply risk as of a day;
--   * report_delays(): every open application in a report's scope, most urgent first.
--
-- Errors: LT004 (event details) for stock records, as for the other events' details.


-- Stock records ------------------------------------------------------------------------------

alter table application_events
    add column stock_runs_out date,
    add column feeds text;

comment on column application_events.stock_runs_out is
    'The day the material the application covers runs out (stock only); the latest stock event counts.';
comment on column application_events.feeds is
    'What that material feeds: a plant, a line, a customer order (stock only).';

insert into workflow_events (event, changes_status, sort_order, description) values
    ('stock', false, 14, 'When the material the application covers runs out, and what it feeds');

-- stock: from every status, leaving it unchanged (like note), so history stays append-only.
insert into workflow_transitions (event, from_status, to_status)
select 'stock', status, status from application_statuses;

-- Checks the details a stock event carries, and that no other event carries them.
--
-- Runs BEFORE INSERT on application_events after application_events_apply (triggers of one kind
-- fire in name order), which has already refused an illegal event or date; an error here undoes
-- the whole insert, the status update included.
create function application_events_check_stock() returns trigger
language plpgsql as $$
begin
    if new.event = 'stock' then
        if new.stock_runs_out is null then
            raise exception 'a stock record needs the day the stock runs out'
                using errcode = 'LT004',
                      hint = 'lictrack app stock APP --runs-out DATE --feeds TEXT';
        end if;
        if coalesce(btrim(new.feeds), '') = '' then
            raise exception 'a stock record needs what the stock feeds'
                using errcode = 'LT004',
                      hint = 'lictrack app stock APP --runs-out DATE --feeds TEXT';
        end if;
        new.feeds := btrim(new.feeds);
    elsif new.stock_runs_out is not null or new.feeds is not null then
        raise exception 'only a stock record takes a runs-out date or what the stock feeds (not %)', new.event
            using errcode = 'LT004',
                  hint = 'record the stock separately: lictrack app stock APP --runs-out DATE --feeds TEXT';
    end if;
    return new;
end;
$$;

create trigger application_events_check_stock
    before insert on application_events
    for each row execute function application_events_check_stock();


-- The legal basis of a clock -----------------------------------------------------------------

alter table sla_policies add column basis text;

comment on column sla_policies.basis is
    'The legal basis of the clock in plain words (what it counts, from when, under which rule), quoted '
    'in escalation evidence. Editable with lictrack policy set --basis.';

update sla_policies set basis = case authority
        when 'MOFCOM' then '45 working days from acceptance, Regulations on Export Control of Dual-Use '
                           'Items (State Council Order No. 792)'
        when 'BIS'    then '90 calendar days from registration, 15 CFR 750.4(a)'
        when 'ECJU'   then '20 working days from submission (service target for 70% of SIELs; 60 for '
                           '99%), Export Control Joint Unit service targets'
        when 'BAFA'   then 'no statutory deadline; internal target of 60 working days from submission '
                           '(EU Regulation 2021/821 and the AWV set no time limit)'
    end
where licence_type is null and basis is null and authority in ('MOFCOM', 'BIS', 'ECJU', 'BAFA');


-- A clock on a day ---------------------------------------------------------------------------

-- One cycle's clock, as sla_compute() gives it or application_clocks stores it: what
-- sla_clocks_project() projects onto a day.
create type sla_cycle_clock as (
    application_id    bigint,
    cycle             integer,
    authority         text,
    unit              text,
    calendar          text,
    target            integer,
    extension         integer,
    started_on        date,
    ended_on          date,
    end_event         text,
    paused_units      integer,
    pause_open_since  date,
    deadline          date,
    warn_on           date,
    provisional       boolean
);

comment on type sla_cycle_clock is
    'One cycle''s clock (the columns of application_clocks that sla_clocks_project needs).';

-- Projects cycle clocks onto a day (NULL: today in each clock's authority's time zone): the one
-- implementation of the as-of rules of Docs/sla.md.
--   * elapsed = units in (start, D] (or (start, end] once the cycle ended), less the paused units;
--   * paused = the closed pauses plus the open one up to D;
--   * while a pause is open the deadline moves one unit further with each paused unit;
--   * remaining = target (with extensions) - elapsed; overdue = -remaining while breached, else 0;
--   * the state is clock_state() with that deadline;
--   * provisional when the clock was, or when D or the deadline is not a certain calendar day.
-- Set-based: every distinct day is looked up once (clock_index), then joined back, so projecting
-- 100,000 clocks costs a few thousand index lookups, not 100,000 of each.
create function sla_clocks_project(p_clocks sla_cycle_clock[], p_as_of date)
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
with k as (
    select c.*, d.as_of, coalesce(c.calendar, '') as calendar_key
    from unnest(p_clocks) c
    join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
      on d.code = c.authority
),
days as (
    -- Every day whose unit index is needed, once.
    select distinct k.unit, k.calendar, k.calendar_key, x.day
    from k
    cross join lateral (values (k.started_on), (k.as_of), (k.ended_on), (k.pause_open_since),
                               (case when k.pause_open_since is not null then k.deadline end)) as x(day)
    where x.day is not null
),
indexed as (
    select d.unit, d.calendar_key, d.day, ci.idx
    from days d
    cross join lateral clock_index(d.unit, d.calendar, d.day) ci
),
measured as (
    select k.*,
           -- Units paused so far: closed pauses plus the open one up to the as-of day.
           k.paused_units
               + case when k.pause_open_since is null then 0
                      else ai.idx - greatest(oi.idx, si.idx) end as paused_so_far,
           coalesce(ei.idx, ai.idx) - si.idx as gross,
           ai.idx as asof_idx,
           case when k.pause_open_since is not null
                then di.idx + ai.idx - greatest(oi.idx, si.idx) end as open_deadline_idx
    from k
    left join indexed si on (si.unit, si.calendar_key, si.day) = (k.unit, k.calendar_key, k.started_on)
    left join indexed ai on (ai.unit, ai.calendar_key, ai.day) = (k.unit, k.calendar_key, k.as_of)
    left join indexed ei on (ei.unit, ei.calendar_key, ei.day) = (k.unit, k.calendar_key, k.ended_on)
    left join indexed oi on (oi.unit, oi.calendar_key, oi.day) = (k.unit, k.calendar_key, k.pause_open_since)
    left join indexed di on (di.unit, di.calendar_key, di.day) = (k.unit, k.calendar_key, k.deadline)
                        and k.pause_open_since is not null
),
open_deadlines as (
    -- Where open pauses have moved deadlines to, each distinct day looked up once.
    select distinct m.unit, m.calendar_key, m.open_deadline_idx, cd.day
    from measured m
    cross join lateral clock_day(m.unit, m.calendar, m.open_deadline_idx) cd
    where m.open_deadline_idx is not null
),
projected as (
    select m.*,
           case when m.pause_open_since is null then m.deadline else od.day end as current_deadline
    from measured m
    left join open_deadlines od
           on (od.unit, od.calendar_key, od.open_deadline_idx) = (m.unit, m.calendar_key, m.open_deadline_idx)
),
judged as (
    select p.*,
           p.gross - p.paused_so_far as elapsed_units,
           p.target + p.extension - (p.gross - p.paused_so_far) as remaining_units,
           clock_state(p.started_on, p.ended_on, p.pause_open_since, p.current_deadline, p.warn_on, p.as_of)
               as clock_state
    from projected p
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

comment on function sla_clocks_project(sla_cycle_clock[], date) is
    'Cycle clocks projected onto a day (NULL: today in each authority''s zone): target (with extensions), '
    'deadline (moved by an open pause), elapsed, remaining and paused units, state, provisional, and units '
    'overdue (0 unless breached). The one implementation of the as-of rules.';

-- The current cycle's clock of each application as of a day (NULL: today in each authority's zone).
--
-- An open application with no event after that day has its stored clock current (every event,
-- policy change and calendar import recomputes open clocks), so that clock is projected as it is:
-- for 100,000 open applications as of today this reads no event log. Only the others (an earlier
-- day, or a closed application, whose stored clock a later policy change does not recompute) are
-- replayed from the events up to that day with sla_compute(). Applications without a cycle (never
-- submitted, or not yet on that day) have no row.
create function sla_clocks_as_of(p_application_ids bigint[], p_as_of date)
returns table (
    application_id    bigint,
    as_of             date,
    cycle             integer,
    authority         text,
    target            integer,
    extension         integer,
    unit              text,
    calendar          text,
    started_on        date,
    ended_on          date,
    end_event         text,
    pause_open_since  date,
    deadline          date,
    elapsed           integer,
    remaining         integer,
    paused            integer,
    state             text,
    provisional       boolean,
    overdue           integer
)
language sql stable as $$
with asked as (
    select a.id, d.as_of,
           not s.is_final and a.last_event_on <= d.as_of as stored_is_current
    from unnest(p_application_ids) as u(id)
    join applications a on a.id = u.id
    join application_statuses s on s.status = a.status
    join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
      on d.code = a.authority
),
sources as materialized (
    select k.application_id, k.cycle, k.authority, k.unit, k.calendar, k.target, k.extension,
           k.started_on, k.ended_on, k.end_event, k.paused_units, k.pause_open_since, k.deadline, k.warn_on,
           k.provisional, q.as_of
    from asked q
    cross join lateral (
        select k.*
        from application_clocks k
        where k.application_id = q.id
        order by k.cycle desc
        limit 1
    ) k
    where q.stored_is_current
    union all
    select r.application_id, r.cycle, r.authority, r.unit, r.calendar, r.target, r.extension,
           r.started_on, r.ended_on, r.end_event, r.paused_units, r.pause_open_since, r.deadline, r.warn_on,
           r.provisional, r.as_of
    from (
        select distinct on (c.application_id) c.*, day.as_of
        from (select distinct q.as_of from asked q where not q.stored_is_current) day
        cross join lateral sla_compute(
            array(select q.id from asked q where not q.stored_is_current and q.as_of = day.as_of),
            day.as_of) c
        order by c.application_id, c.cycle desc
    ) r
)
select c.application_id, p.as_of, c.cycle, c.authority, p.target, c.extension, c.unit, c.calendar,
       c.started_on, c.ended_on, c.end_event, c.pause_open_since, p.deadline, p.elapsed, p.remaining, p.paused,
       p.state, p.provisional, p.overdue
from sources c
join sla_clocks_project(
         array(select row(x.application_id, x.cycle, x.authority, x.unit, x.calendar, x.target, x.extension,
                          x.started_on, x.ended_on, x.end_event, x.paused_units, x.pause_open_since,
                          x.deadline, x.warn_on, x.provisional)::sla_cycle_clock
               from sources x),
         p_as_of) p
  on p.application_id = c.application_id
$$;

comment on function sla_clocks_as_of(bigint[], date) is
    'The current cycle''s clock of each application as of a day (NULL: today in each authority''s time '
    'zone), set-based: stored clocks where current, replayed from the log where not.';

-- `app show --as-of`'s clock: now one row of sla_clocks_as_of(), so show and the reports agree.
create or replace function sla_clock_as_of(p_application_id bigint, p_as_of date)
returns table (
    cycle        integer,
    target       integer,
    extension    integer,
    unit         text,
    calendar     text,
    started_on   date,
    deadline     date,
    elapsed      integer,
    remaining    integer,
    paused       integer,
    state        text,
    provisional  boolean
)
language sql stable as $$
    select c.cycle, c.target, c.extension, c.unit, c.calendar, c.started_on, c.deadline, c.elapsed,
           c.remaining, c.paused, c.state, c.provisional
    from sla_clocks_as_of(array[p_application_id], p_as_of) c
$$;

comment on function sla_clock_as_of(bigint, date) is
    'The current cycle''s clock of one application as of a day: target (with extensions), deadline, '
    'elapsed, remaining and paused units, and its state. One row of sla_clocks_as_of().';


-- Decisions, for forecasts -------------------------------------------------------------------

-- Forecasts read the decisions of one authority in a year: this keeps that a range scan.
create index application_clocks_decisions_idx
    on application_clocks (authority, ended_on)
    where end_event in ('approve', 'deny');

-- The control-code family of an application: that of its first item (by line) with a control code.
create function application_control_family(p_application_id bigint)
returns table (family text)
language sql stable parallel safe as $$
    select control_code_family(i.control_code)
    from application_items i
    where i.application_id = p_application_id and i.control_code is not null
    order by i.line_no
    limit 1
$$;

comment on function application_control_family(bigint) is
    'The control-code family (control_code_family) of an application''s first item with a control code.';


-- An application as of a day -----------------------------------------------------------------

-- Everything a delay report says about each application as of a day (NULL: today in each
-- authority's time zone), in one set-based statement:
--   * its status, when it entered it and the days since (calendar days), from the events up to the
--     day; the last event; the requests for information in the current cycle (since the last submit);
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
--   * the latest stock record up to the day, and the supply risk: the days by which the p90 date
--     (or the deadline, without a forecast) falls after the stock runs out; never for a decided
--     application or a clock that is not running.
create function application_outlook(p_application_ids bigint[], p_as_of date)
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
with asked as (
    select a.*, d.as_of
    from unnest(p_application_ids) as u(id)
    join applications a on a.id = u.id
    join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
      on d.code = a.authority
),
history as (
    -- The log up to the as-of day, in one pass per application.
    select q.id as application_id, h.*
    from asked q
    cross join lateral (
        select (array_agg(x.event order by x.seq desc))[1] as last_event,
               max(x.occurred_on) as last_event_on,
               (array_agg(x.to_status order by x.seq desc))[1] as status,
               max(x.occurred_on) filter (where x.to_status is distinct from x.from_status) as status_since,
               (count(*) filter (where x.event = 'request-info' and x.seq > x.last_submit_seq))::integer as rfis,
               (array_agg(x.seq order by x.seq desc) filter (where x.event = 'stock'))[1] as stock_seq
        from (
            select e.seq, e.event, e.from_status, e.to_status, e.occurred_on,
                   coalesce(max(e.seq) filter (where e.event = 'submit') over (), 0) as last_submit_seq
            from application_events e
            where e.application_id = q.id and e.occurred_on <= q.as_of
        ) x
    ) h
),
clocks as (
    select * from sla_clocks_as_of(p_application_ids, p_as_of)
),
asof_days as (
    -- The unit index of each as-of day, once per calendar.
    select distinct c.unit, c.calendar, c.as_of, di.idx as asof_idx
    from clocks c
    cross join lateral clock_index(c.unit, c.calendar, c.as_of) di
),
running as (
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
decisions as (
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
keyed as (
    -- Each running clock's sample: its family's decisions when there are at least 20, else its
    -- authority's ('*').
    select r.*, case when fm.decided >= 20 then r.family else '*' end as sample_key
    from running r
    left join families fm
           on (fm.as_of, fm.authority, fm.unit, fm.family) = (r.as_of, r.authority, r.unit, r.family)
),
samples as (
    select d.as_of, d.authority, d.unit, '*' as sample_key, d.elapsed_at_decision as v
    from decisions d
    union all
    select d.as_of, d.authority, d.unit, d.family, d.elapsed_at_decision
    from decisions d
    where (d.as_of, d.authority, d.unit, d.family)
          in (select k.as_of, k.authority, k.unit, k.sample_key from keyed k where k.sample_key <> '*')
),
points as (
    -- The sample's values and the elapsed values asked about, in one order per sample.
    select s.as_of, s.authority, s.unit, s.sample_key, s.v, true as is_sample
    from samples s
    union all
    select distinct k.as_of, k.authority, k.unit, k.sample_key, k.elapsed, false
    from keyed k
),
counted as (
    -- For each elapsed value e asked about: c, the sample's values at or below e (a decision at
    -- exactly e sorts before e), and n, the sample's size. Those still undecided at e are the m = n - c
    -- values above it, the sample's ranks c + 1 .. n.
    select p.*,
           count(*) filter (where p.is_sample)
               over (partition by p.as_of, p.authority, p.unit, p.sample_key
                     order by p.v, p.is_sample desc
                     rows between unbounded preceding and current row) as c,
           count(*) filter (where p.is_sample)
               over (partition by p.as_of, p.authority, p.unit, p.sample_key) as n
    from points p
),
ranked as (
    select s.as_of, s.authority, s.unit, s.sample_key, s.v,
           row_number() over (partition by s.as_of, s.authority, s.unit, s.sample_key order by s.v) as r
    from samples s
),
quantiles as (
    -- percentile_disc(p) of m sorted values is the value at rank ceil(p * m) among them, which is
    -- rank c + ceil(p * m) of the whole sample.
    select q.as_of, q.authority, q.unit, q.sample_key, q.v as elapsed, (q.n - q.c)::integer as sample,
           r50.v as p50, r90.v as p90
    from counted q
    left join ranked r50
           on q.n - q.c >= 5
          and (r50.as_of, r50.authority, r50.unit, r50.sample_key) = (q.as_of, q.authority, q.unit, q.sample_key)
          and r50.r = q.c + ceil(0.5::float8 * (q.n - q.c))::bigint
    left join ranked r90
           on q.n - q.c >= 5
          and (r90.as_of, r90.authority, r90.unit, r90.sample_key) = (q.as_of, q.authority, q.unit, q.sample_key)
          and r90.r = q.c + ceil(0.9::float8 * (q.n - q.c))::bigint
    where not q.is_sample
),
forecast_days as (
    -- The percentiles placed on the calendar: a clock at elapsed e on the as-of day (index i) reaches
    -- elapsed p on the day with index i + (p - e). Each distinct day is looked up once.
    select distinct x.unit, x.calendar, x.idx, cd.day
    from (select k.unit, k.calendar, k.asof_idx + qn.p50 - k.elapsed as idx
          from keyed k
          join quantiles qn
            on (qn.as_of, qn.authority, qn.unit, qn.sample_key, qn.elapsed)
               = (k.as_of, k.authority, k.unit, k.sample_key, k.elapsed)
          where qn.p50 is not null
          union
          select k.unit, k.calendar, k.asof_idx + qn.p90 - k.elapsed
          from keyed k
          join quantiles qn
            on (qn.as_of, qn.authority, qn.unit, qn.sample_key, qn.elapsed)
               = (k.as_of, k.authority, k.unit, k.sample_key, k.elapsed)
          where qn.p90 is not null) x
    cross join lateral clock_day(x.unit, x.calendar, x.idx) cd
),
forecasts as (
    select k.application_id, qn.sample, qn.p50, qn.p90, d50.day as p50_on, d90.day as p90_on,
           k.unit = 'working_days'
               and (d90.day is null or d90.day >= cc.uncertain_from or k.started_on < cc.loaded_from)
               as provisional
    from keyed k
    join quantiles qn
      on (qn.as_of, qn.authority, qn.unit, qn.sample_key, qn.elapsed)
         = (k.as_of, k.authority, k.unit, k.sample_key, k.elapsed)
    left join forecast_days d50
           on d50.unit = k.unit and coalesce(d50.calendar, '') = coalesce(k.calendar, '')
          and d50.idx = k.asof_idx + qn.p50 - k.elapsed
    left join forecast_days d90
           on d90.unit = k.unit and coalesce(d90.calendar, '') = coalesce(k.calendar, '')
          and d90.idx = k.asof_idx + qn.p90 - k.elapsed
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
       se.stock_runs_out, se.feeds, se.occurred_on,
       case when se.stock_runs_out is not null
                 and not st.is_final
                 and c.started_on is not null and c.ended_on is null
                 and coalesce(f.p90_on, c.deadline) > se.stock_runs_out
            then coalesce(f.p90_on, c.deadline) - se.stock_runs_out
       end
from asked q
left join history h on h.application_id = q.id
left join application_statuses st on st.status = h.status
left join clocks c on c.application_id = q.id
left join forecasts f on f.application_id = q.id
left join application_events se on se.application_id = q.id and se.seq = h.stock_seq
$$;

comment on function application_outlook(bigint[], date) is
    'Per application as of a day: status and days in it, clock and days overdue, requests for information '
    'in the current cycle, last event, decision forecast (p50, p90, sample) and supply risk.';


-- The delay report ---------------------------------------------------------------------------

-- Every application in the report's scope that is open on the as-of day (created by then, and not
-- approved, denied or withdrawn as of then), most urgent first: breached by units overdue (largest
-- first), then the rest by units remaining (smallest first; clocks that are not running last),
-- then by days in the status (longest first), then by id. `ordinal` numbers that order.
create function report_delays(
    p_as_of date, p_authorities text[], p_destinations text[], p_control_codes text[], p_owners text[])
returns table (
    ordinal               bigint,
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
    select row_number() over (
               order by o.state = 'breached' desc,
                        o.overdue desc,
                        case when o.state in ('on_track', 'due_soon', 'breached', 'paused') then o.remaining end
                            asc nulls last,
                        o.days_in_status desc nulls last,
                        o.application_id),
           o.*
    from application_outlook(array(
             -- Candidates: open now, or with events after the as-of day (perhaps open then).
             select a.id
             from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) r
             join applications a on a.id = r.application_id
             join application_statuses s on s.status = a.status
             join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
               on d.code = a.authority
             where a.created_on <= d.as_of
               and (not s.is_final or a.last_event_on > d.as_of)),
           p_as_of) o
    join application_statuses s on s.status = o.status
    where not s.is_final
    order by 1
$$;

comment on function report_delays(date, text[], text[], text[], text[]) is
    'lictrack report delays: every open application in scope as of a day, most urgent first, with its '
    'clock, days overdue, requests for information, last event, forecast and supply risk.';


-- Settings -----------------------------------------------------------------------------------

do $$
begin
    -- sla_compute's row estimates are loose, and JIT would compile these reads for longer than they
    -- run (0004). CREATE OR REPLACE reset sla_clock_as_of's settings.
    alter function sla_clock_as_of(bigint, date) set jit = off;
    -- The applications and clocks these read arrive as arrays, which the planner takes for 10 rows
    -- whatever their size. Memory to keep hash joins in one batch helps the large calls.
    alter function sla_clocks_project(sla_cycle_clock[], date) set jit = off;
    alter function sla_clocks_project(sla_cycle_clock[], date) set work_mem = '64MB';
    alter function sla_clocks_as_of(bigint[], date) set jit = off;
    alter function sla_clocks_as_of(bigint[], date) set work_mem = '64MB';
    alter function application_outlook(bigint[], date) set jit = off;
    alter function application_outlook(bigint[], date) set work_mem = '64MB';
    -- Only the report over every open application forbids nested loops: with them, the planner
    -- would join 100,000 rows to 100,000 rows one by one. A function's SET holds for everything it
    -- calls, so the functions above hash-join inside it. They keep nested loops for their own
    -- callers, because `app show` and every event verb ask them about ONE application: with
    -- nested loops forbidden there, one clock hashed whole tables (0.4 to 0.65 s at 1,000,000
    -- applications, `app accept` 596 ms, `app show` 10.9 s, Scripts/bench.sh) instead of a few
    -- index lookups.
    alter function report_delays(date, text[], text[], text[], text[]) set jit = off;
    alter function report_delays(date, text[], text[], text[], text[]) set enable_nestloop = off;
end;
$$;
