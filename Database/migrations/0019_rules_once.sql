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
--   * the licence types: one domain, licence_type, for applications and policies.
--
-- Errors: LT007 invalid policy (as in 0004), LT404 no such authority.


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
        -- The open applications with a stock record, judged by application_outlook(); only those at
        -- risk, and not yet raised for this cycle and stock date.
        select o.application_id, o.cycle, 'supply_risk'::text as level, o.deadline, o.authority, o.as_of,
               o.stock_runs_out, o.stock_feeds, o.supply_days_short
        from application_outlook(array(
                 select a.id
                 from applications a
                 join application_statuses s on s.status = a.status
                 where not s.is_final
                   and exists (select 1 from application_events e
                               where e.application_id = a.id and e.event = 'stock')),
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


-- Settings -----------------------------------------------------------------------------------

do $$
begin
    -- CREATE OR REPLACE reset what 0015 set: no JIT for a read that runs for less than it
    -- would compile.
    alter function alerts_raise(date) set jit = off;
end;
$$;
