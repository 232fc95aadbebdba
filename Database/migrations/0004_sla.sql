-- 0004_sla.sql
--
-- SLA clocks: each open application carries a statutory clock counted the way its authority
-- counts (regimes.md), stored per application cycle and kept current by the database itself.
--
-- Counting convention (Docs/sla.md):
--   * The day the clock starts is day 0; working day n is the n-th working day after it.
--   * Elapsed as of D = the units in (start, D], less the paused units.
--   * A pause (a status in the policy's pause_statuses, by default info_requested) runs from the
--     request to the reply: the units in (request, reply] do not count, so each pushes the deadline
--     back by one unit. A pause that begins after the deadline has passed changes nothing.
--   * The authority's own delays do not pause the clock; a formal extension (delay --extend-by N)
--     moves the target by N units.
--   * A resubmission after a return starts a new cycle; earlier cycles stay, closed, in the history.
--
-- Units are counted on a unit index: for working days the calendar's working_day_index
-- (0003_calendars.sql), for calendar days the day number. "Units in (a, b]" is then
-- index(b) - index(a), and "the n-th unit after a" is the day whose index is index(a) + n.
--
-- Errors: LT007 invalid policy.


-- Extensions granted by the authority -------------------------------------------------------

alter table application_events
    add column extend_by integer,
    add constraint extension_only_on_delay
        check (extend_by is null or (event = 'delay' and extend_by > 0));

comment on column application_events.extend_by is
    'Units by which the authority formally extended the deadline (delay --extend-by N).';


-- Policies -----------------------------------------------------------------------------------

create table sla_policies (
    id              bigint generated always as identity primary key,
    authority       text not null references authorities (code),
    licence_type    text check (licence_type in ('single', 'general', 'other')),
    start_status    text not null references application_statuses (status),
    target          integer not null check (target > 0),
    unit            text not null check (unit in ('working_days', 'calendar_days')),
    calendar        text references calendars (code),
    pause_statuses  text[] not null default '{info_requested}',
    warn_before     integer not null default 5 check (warn_before >= 0),
    source          text,
    updated_at      timestamptz not null default now(),
    updated_by      text not null default session_user,
    constraint working_days_need_a_calendar check (unit = 'calendar_days' or calendar is not null)
);

create unique index sla_policies_authority_licence_type_key
    on sla_policies (authority, coalesce(licence_type, '*'));

comment on table sla_policies is
    'How each authority''s clock is counted: one row per authority (licence_type NULL), plus '
    'optional rows for licence types that differ. Changing a row recomputes every open clock.';
comment on column sla_policies.start_status is
    'The status whose first entry in a cycle starts the clock (under_review for MOFCOM: acceptance).';
comment on column sla_policies.target is 'The deadline, in units after the start.';
comment on column sla_policies.calendar is 'Working-day calendar; unused for calendar days.';
comment on column sla_policies.pause_statuses is 'Statuses during which the clock stops.';
comment on column sla_policies.warn_before is 'A due_soon alert is raised this many units before the deadline.';
comment on column sla_policies.source is 'The legal or internal source of the target.';

-- Checks what a CHECK constraint cannot: pause statuses must be statuses.
create function sla_policies_validate() returns trigger
language plpgsql as $$
declare
    v_bad text;
begin
    select string_agg(s, ', ') into v_bad
    from unnest(new.pause_statuses) s
    where s not in (select status from application_statuses);
    if v_bad is not null then
        raise exception 'unknown pause status: %', v_bad using errcode = 'LT007';
    end if;
    if new.start_status = any (new.pause_statuses) then
        raise exception 'the clock cannot start on a status that pauses it (%)', new.start_status
            using errcode = 'LT007';
    end if;
    new.updated_at := now();
    new.updated_by := session_user;
    return new;
end;
$$;

create trigger sla_policies_validate
    before insert or update on sla_policies
    for each row execute function sla_policies_validate();

-- An authority always keeps its default policy: change it instead of deleting it.
create function sla_policies_keep_default() returns trigger
language plpgsql as $$
begin
    if old.licence_type is null and exists (select 1 from authorities where code = old.authority) then
        raise exception 'the default SLA policy of % cannot be deleted; change it with lictrack policy set',
            old.authority
            using errcode = 'LT007';
    end if;
    return old;
end;
$$;

create trigger sla_policies_keep_default
    before delete on sla_policies
    for each row execute function sla_policies_keep_default();

insert into sla_policies (authority, start_status, target, unit, calendar, source) values
    ('MOFCOM', 'under_review', 45, 'working_days', 'CN',
     'Regulations on Export Control of Dual-Use Items (State Council Order No. 792), with the Export '
     'Control Law: 45 working days from acceptance of a complete application'),
    ('BIS', 'submitted', 90, 'calendar_days', null,
     '15 CFR 750.4(a); Executive Order 12981: 90 calendar days from registration'),
    ('ECJU', 'submitted', 20, 'working_days', 'GB-ENG',
     'Export Control Joint Unit service target: 20 working days for 70% of SIELs (60 for 99%)'),
    ('BAFA', 'submitted', 60, 'working_days', 'DE',
     'No statutory deadline (EU Regulation 2021/821, AWV); internal target chosen by the user');


-- The policy that applies to an application of an authority and licence type: the one for that
-- licence type, else the authority's default. A set-returning SQL function, so it is inlined.
create function sla_policy_for(p_authority text, p_licence_type text)
returns setof sla_policies
language sql stable parallel safe as $$
    select p.*
    from sla_policies p
    where p.authority = p_authority
      and (p.licence_type = p_licence_type or p.licence_type is null)
    order by p.licence_type nulls last
    limit 1
$$;

comment on function sla_policy_for(text, text) is
    'The SLA policy for an authority and licence type: the licence type''s own, else the default.';


-- Unit arithmetic ----------------------------------------------------------------------------
--
-- Both are set-returning SQL functions on purpose: PostgreSQL inlines them into the calling
-- query (a scalar SQL function that reads a table cannot be inlined), so the bulk recompute
-- pays a join, not a function call, per lookup.

-- The unit index of a day: the running working-day count, or the day number.
create function clock_index(p_unit text, p_calendar text, p_day date)
returns table (idx integer, counts boolean)
language sql stable parallel safe as $$
    select case
               when p_unit = 'calendar_days' then p_day - date '2000-01-01'
               else d.working_day_index
           end,
           p_unit = 'calendar_days' or d.is_working_day
    from (select) as one
    left join calendar_days d
           on p_unit = 'working_days' and d.calendar_code = p_calendar and d.day = p_day
$$;

comment on function clock_index(text, text, date) is
    'Unit index of a day: for working days the calendar''s working_day_index (NULL when the day is '
    'not loaded), for calendar days the day number; and whether the day itself counts as a unit. '
    'Units in (a, b] = index(b) - index(a).';

-- The day with a given unit index: the working day with that running count, or that day number.
create function clock_day(p_unit text, p_calendar text, p_idx integer)
returns table (day date)
language sql stable parallel safe as $$
    select case
               when p_unit = 'calendar_days' then date '2000-01-01' + p_idx
               else (select d.day
                     from calendar_days d
                     where d.calendar_code = p_calendar
                       and d.working_day_index = p_idx
                       and d.is_working_day
                     order by d.day
                     limit 1)
           end
$$;

comment on function clock_day(text, text, integer) is
    'The day whose unit index is p_idx (for working days, the working day with that running count); '
    'NULL beyond the loaded calendar.';

-- The first day from which a calendar is not certain: its first provisional year, or the day
-- after its last loaded day. Working-day results that reach it are provisional.
create view calendar_certainty as
select c.code as calendar,
       (select min(d.day) from calendar_days d where d.calendar_code = c.code) as loaded_from,
       least((select make_date(min(y.year), 1, 1) from calendar_years y
              where y.calendar_code = c.code and y.provisional),
             (select max(d.day) + 1 from calendar_days d where d.calendar_code = c.code)) as uncertain_from
from calendars c;

comment on view calendar_certainty is
    'Per calendar: the first loaded day, and the first day that is provisional or not loaded.';


-- Computing clocks ---------------------------------------------------------------------------

-- Computes the clock of every cycle of the given applications from their event log.
--
-- The single implementation of the counting rules: the stored clocks (application_clocks), the
-- alert job, `app show --as-of` and the bulk recompute after a policy or calendar change all use
-- it. With p_as_of, only events on or before that day count (the clock as it stood then).
--
-- Returned deadline excludes a pause still open at the end (pause_open_since): while the clock is
-- paused its deadline moves one unit further with each unit of pause.
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
    provisional       boolean
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
           coalesce(sum(ev.extend_by), 0)::integer as extension
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
             c.warn_before, c.started_on, c.ended_on, c.end_event, c.extension
)
select k.application_id, k.cycle, k.policy_id, k.authority, k.unit, k.calendar, k.target, k.extension,
       k.warn_before, k.started_on, k.ended_on, k.end_event, k.paused_units, k.pause_open_since,
       dd.day as deadline,
       wd.day as warn_on,
       k.unit = 'working_days'
           and k.started_on is not null
           and (dd.day is null or k.started_on < cc.loaded_from or dd.day >= cc.uncertain_from)
           as provisional
from clocks k
left join lateral clock_index(k.unit, k.calendar, k.started_on) si on true
left join lateral clock_day(k.unit, k.calendar, si.idx + k.target + k.extension + k.paused_units) dd on true
left join lateral clock_day(k.unit, k.calendar,
                            greatest(si.idx + k.target + k.extension + k.paused_units - k.warn_before, si.idx)) wd
       on true
left join calendar_certainty cc on cc.calendar = k.calendar
$$;

comment on function sla_compute(bigint[], date) is
    'The clock of every cycle of the given applications, computed from their events (only those on '
    'or before p_as_of when given). The one implementation of lictrack''s counting rules.';


-- Stored clocks ------------------------------------------------------------------------------

create table application_clocks (
    application_id     bigint not null references applications (id),
    cycle              integer not null,
    policy_id          bigint references sla_policies (id) on delete set null,
    authority          text not null references authorities (code),
    unit               text not null,
    calendar           text,
    target             integer not null,
    extension          integer not null,
    warn_before        integer not null,
    started_on         date,
    ended_on           date,
    end_event          text,
    paused_units       integer not null,
    pause_open_since   date,
    deadline           date,
    warn_on            date,
    provisional        boolean not null,
    warned_deadline    date,
    breached_deadline  date,
    next_alert_on      date,
    computed_at        timestamptz not null default now(),
    primary key (application_id, cycle)
);

comment on table application_clocks is
    'The SLA clock of each application cycle, recomputed by sla_refresh() with every event and '
    'whenever a policy or calendar changes. Derived data: rebuild with select sla_refresh_open().';
comment on column application_clocks.policy_id is
    'The policy the clock was computed with; NULL for a closed clock whose policy was deleted since.';
comment on column application_clocks.deadline is
    'Last day within the target. While paused (pause_open_since), the deadline before the open pause.';
comment on column application_clocks.warn_on is 'First day on which the clock is due_soon.';
comment on column application_clocks.warned_deadline is 'The deadline a due_soon alert was last raised for.';
comment on column application_clocks.breached_deadline is 'The deadline a breached alert was last raised for.';
comment on column application_clocks.next_alert_on is
    'The day the next alert falls due (NULL: none pending). The alert job reads only these rows.';

create index application_clocks_next_alert_idx
    on application_clocks (next_alert_on) where next_alert_on is not null;
create index application_clocks_open_deadline_idx
    on application_clocks (deadline) where ended_on is null;

-- When the next alert falls due, given what has already been raised for this deadline.
create function clock_next_alert_on(
    p_started_on date, p_ended_on date, p_pause_open_since date, p_deadline date, p_warn_on date,
    p_warned_deadline date, p_breached_deadline date)
returns date
language sql immutable parallel safe as $$
    select case
               when p_started_on is null or p_ended_on is not null or p_pause_open_since is not null
                    or p_deadline is null then null
               when p_breached_deadline = p_deadline then null
               when p_warned_deadline = p_deadline then p_deadline + 1
               else p_warn_on
           end
$$;

-- Recomputes and stores the clocks of the given applications: one set-based statement.
create function sla_refresh(p_application_ids bigint[]) returns integer
language plpgsql as $$
declare
    v_count integer;
begin
    insert into application_clocks as k (
        application_id, cycle, policy_id, authority, unit, calendar, target, extension, warn_before,
        started_on, ended_on, end_event, paused_units, pause_open_since, deadline, warn_on, provisional,
        next_alert_on)
    select s.application_id, s.cycle, s.policy_id, s.authority, s.unit, s.calendar, s.target, s.extension,
           s.warn_before, s.started_on, s.ended_on, s.end_event, s.paused_units, s.pause_open_since,
           s.deadline, s.warn_on, s.provisional,
           clock_next_alert_on(s.started_on, s.ended_on, s.pause_open_since, s.deadline, s.warn_on, null, null)
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
        computed_at = now()
    where (k.policy_id, k.unit, k.calendar, k.target, k.extension, k.warn_before, k.started_on,
           k.ended_on, k.end_event, k.paused_units, k.pause_open_since, k.deadline, k.warn_on,
           k.provisional)
          is distinct from
          (excluded.policy_id, excluded.unit, excluded.calendar, excluded.target, excluded.extension,
           excluded.warn_before, excluded.started_on, excluded.ended_on, excluded.end_event,
           excluded.paused_units, excluded.pause_open_since, excluded.deadline, excluded.warn_on,
           excluded.provisional);
    get diagnostics v_count = row_count;
    return v_count;
end;
$$;

comment on function sla_refresh(bigint[]) is
    'Recomputes and stores the clocks of the given applications (set-based). Returns rows changed.';

-- Recomputes the clocks of every open application (optionally only those on one calendar or of
-- one authority): what a policy change or a calendar import needs.
create function sla_refresh_open(p_calendar text default null, p_authority text default null)
returns integer
language sql as $$
    select sla_refresh(array(
        select a.id
        from applications a
        join application_statuses s on s.status = a.status
        where not s.is_final
          and (p_authority is null or a.authority = p_authority)
          and (p_calendar is null or exists (
                  select 1 from sla_policies p
                  where p.authority = a.authority and p.calendar = p_calendar))))
$$;

comment on function sla_refresh_open(text, text) is
    'Recomputes the clocks of all open applications, or of those whose authority counts on p_calendar, '
    'or of one authority. Run after editing calendar_days by hand.';

-- Every event recomputes its application's clocks, in the same transaction.
create function application_events_refresh_clock() returns trigger
language plpgsql as $$
begin
    perform sla_refresh(array[new.application_id]);
    return null;
end;
$$;

create trigger application_events_refresh_clock
    after insert on application_events
    for each row execute function application_events_refresh_clock();

-- Every policy change recomputes the open clocks of the authority it belongs to.
create function sla_policies_refresh_clocks() returns trigger
language plpgsql as $$
begin
    perform sla_refresh_open(p_authority => authority)
    from (select distinct authority from changed_policies) c;
    return null;
end;
$$;

create trigger sla_policies_refresh_clocks_insert
    after insert on sla_policies
    referencing new table as changed_policies
    for each statement execute function sla_policies_refresh_clocks();
create trigger sla_policies_refresh_clocks_update
    after update on sla_policies
    referencing new table as changed_policies
    for each statement execute function sla_policies_refresh_clocks();
create trigger sla_policies_refresh_clocks_delete
    after delete on sla_policies
    referencing old table as changed_policies
    for each statement execute function sla_policies_refresh_clocks();

-- Imports calendar days (calendar_replace_days) and moves every open deadline that counts on them.
-- With p_provisional, the years the days cover completely are recorded as provisional (an estimate
-- loaded before the official notice), not official.
create function calendar_import(p_calendar text, p_days jsonb, p_source text, p_provisional boolean default false)
returns table (days_loaded integer, clocks_changed integer)
language plpgsql as $$
declare
    v_days integer;
begin
    v_days := calendar_replace_days(p_calendar, p_days, p_source);
    if p_provisional then
        update calendar_years y set provisional = true
        where y.calendar_code = p_calendar
          and y.year between (select extract(year from min((d->>'date')::date)) from jsonb_array_elements(p_days) d)
                         and (select extract(year from max((d->>'date')::date)) from jsonb_array_elements(p_days) d)
          and y.loaded_at = now();
    end if;
    return query select v_days, sla_refresh_open(p_calendar => p_calendar);
end;
$$;

comment on function calendar_import(text, jsonb, text, boolean) is
    'Replaces a range of a calendar''s days and recomputes the open clocks that count on it, in one '
    'transaction; p_provisional marks the years it covers as provisional. What `lictrack calendar '
    'import` calls.';


-- A clock as of a day ------------------------------------------------------------------------

-- The state of a clock on a day: the one definition that show, list, alerts and reports share.
create function clock_state(
    p_started_on date, p_ended_on date, p_pause_open_since date, p_deadline date, p_warn_on date,
    p_as_of date)
returns text
language sql immutable parallel safe as $$
    select case
               when p_started_on is null then 'not_started'
               when p_ended_on is not null then
                   case when p_ended_on <= p_deadline then 'met' else 'missed' end
               when p_pause_open_since is not null then 'paused'
               when p_as_of > p_deadline then 'breached'
               when p_as_of >= p_warn_on then 'due_soon'
               else 'on_track'
           end
$$;

comment on function clock_state(date, date, date, date, date, date) is
    'not_started, on_track, due_soon, breached, paused, met or missed: a clock''s state on p_as_of.';

-- Each application's current (latest) clock, for listing and reporting.
create view application_current_clocks as
select distinct on (k.application_id) k.*
from application_clocks k
order by k.application_id, k.cycle desc;

comment on view application_current_clocks is 'The latest cycle''s clock of each application.';

-- The state of an application's current clock as of a day: what `app show --as-of` prints.
create function sla_clock_as_of(p_application_id bigint, p_as_of date)
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
with k as (
    select s.*
    from sla_compute(array[p_application_id], p_as_of) s
    order by s.cycle desc
    limit 1
),
idx as (
    select k.*,
           si.idx as start_idx,
           di.idx as asof_idx,
           ei.idx as end_idx,
           oi.idx as open_idx,
           dl.idx as deadline_idx
    from k
    left join lateral clock_index(k.unit, k.calendar, k.started_on) si on true
    left join lateral clock_index(k.unit, k.calendar, p_as_of) di on true
    left join lateral clock_index(k.unit, k.calendar, k.ended_on) ei on true
    left join lateral clock_index(k.unit, k.calendar, k.pause_open_since) oi on true
    left join lateral clock_index(k.unit, k.calendar, k.deadline) dl on true
),
measured as (
    select i.*,
           -- Units paused so far: closed pauses plus the open one up to the as-of day.
           i.paused_units
               + case when i.pause_open_since is null then 0
                      else i.asof_idx - greatest(i.open_idx, i.start_idx) end as paused_so_far,
           coalesce(i.end_idx, i.asof_idx) - i.start_idx as gross
    from idx i
),
projected as (
    select m.*,
           case when m.pause_open_since is null then m.deadline
                else (select d.day from clock_day(m.unit, m.calendar,
                        m.deadline_idx + m.asof_idx - greatest(m.open_idx, m.start_idx)) d)
           end as current_deadline
    from measured m
)
select p.cycle, p.target + p.extension, p.extension, p.unit, p.calendar, p.started_on,
       p.current_deadline,
       p.gross - p.paused_so_far,
       p.target + p.extension - (p.gross - p.paused_so_far),
       p.paused_so_far,
       clock_state(p.started_on, p.ended_on, p.pause_open_since, p.current_deadline, p.warn_on, p_as_of),
       p.provisional
           or (p.unit = 'working_days' and p.started_on is not null
               and (p.asof_idx is null or p.current_deadline is null or p.current_deadline >= cc.uncertain_from))
from projected p
left join calendar_certainty cc on cc.calendar = p.calendar
$$;

comment on function sla_clock_as_of(bigint, date) is
    'The current cycle''s clock of one application as of a day: target (with extensions), deadline, '
    'elapsed, remaining and paused units, and its state.';

-- Clocks are derived data that only the database writes: the refresh runs with its owner's
-- rights on a pinned search_path, so that clerks recording events need no privilege on
-- application_clocks and cannot edit a deadline (Docs/operations.md).
do $$
begin
    execute format('alter function sla_refresh(bigint[]) security definer set search_path = %I, pg_temp',
                   current_schema());
    -- sla_compute's row estimates are loose, which makes the planner JIT-compile every recompute:
    -- seconds of compilation for a statement that runs in a fraction of that (Scripts/bench.sh).
    alter function sla_refresh(bigint[]) set jit = off;
    alter function sla_clock_as_of(bigint, date) set jit = off;
end;
$$;

-- Bring existing applications under the clock.
select sla_refresh(array(select id from applications));
