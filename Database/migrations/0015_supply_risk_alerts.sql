-- 0015_supply_risk_alerts.sql
--
-- A third alert level, supply_risk: the material an application covers runs out before the
-- licence is likely to come (Docs/alerts-delivery.md). It goes through the same outbox and
-- channels as due_soon and breached.
--
--   * The rule is application_outlook()'s (migration 0009): at risk when the p90 forecast, or the
--     deadline without a forecast, falls after the latest stock record's runs-out day; never for a
--     decided application or a clock that is not running. It is not restated here.
--   * Raised once per application, cycle and stock date (sla_alerts_supply_once): a new stock
--     record with another runs-out day raises again; the same day recorded again, or a moved
--     deadline, does not.
--   * Channels can be limited to it (alert_channels.levels).


-- Levels -------------------------------------------------------------------------------------

alter table alert_channels drop constraint alert_channels_levels_check;
alter table alert_channels
    add constraint alert_channels_levels_check check (levels <@ array['due_soon', 'breached', 'supply_risk']);

comment on column alert_channels.levels is 'Only alerts of these levels (NULL: all).';

alter table sla_alerts drop constraint sla_alerts_level_check;
alter table sla_alerts
    add constraint sla_alerts_level_check check (level in ('due_soon', 'breached', 'supply_risk'));


-- What a supply_risk alert is about ------------------------------------------------------------

alter table sla_alerts
    add column stock_runs_out date,
    add column feeds text,
    add column days_short integer,
    add constraint sla_alerts_stock_matches_level
        check ((level = 'supply_risk') = (stock_runs_out is not null));

comment on column sla_alerts.deadline is
    'The clock''s deadline when the alert was raised (for supply_risk: for information only).';
comment on column sla_alerts.stock_runs_out is
    'supply_risk only: the day the material runs out, from the stock record the alert was raised for.';
comment on column sla_alerts.feeds is 'supply_risk only: what that material feeds.';
comment on column sla_alerts.days_short is
    'supply_risk only: calendar days from the runs-out day to the p90 forecast (or the deadline).';

-- Once per application, cycle, level and deadline for the deadline levels (as before); once per
-- application, cycle and stock date for supply_risk.
alter table sla_alerts drop constraint sla_alerts_once;
create unique index sla_alerts_once
    on sla_alerts (application_id, cycle, level, deadline) where level <> 'supply_risk';
create unique index sla_alerts_supply_once
    on sla_alerts (application_id, cycle, stock_runs_out) where level = 'supply_risk';

-- The alert job looks for applications with a stock record: this keeps that an index scan.
create index application_events_stock_idx on application_events (application_id) where event = 'stock';


-- Raising ------------------------------------------------------------------------------------

-- Raises the alerts that have fallen due and queues their deliveries; returns the new alerts.
--
-- due_soon and breached as in 0005 (the clocks whose next_alert_on has come, locked, marked).
-- supply_risk: the open applications with a stock record are judged by application_outlook() on
-- the day (NULL: today in each authority's time zone); those at risk are raised once per cycle and
-- stock date. A concurrent run that raises the same one first wins (the unique index); this run
-- then raises nothing for it.
create or replace function alerts_raise(p_as_of date default null)
returns setof sla_alerts
language plpgsql as $$
declare
    v_application_ids bigint[];
    v_cycles          integer[];
    v_levels          text[];
    v_deadlines       date[];
    v_authorities     text[];
    v_as_of           date[];
begin
    -- 1. The due clocks, locked, with the level each has reached.
    select array_agg(d.application_id), array_agg(d.cycle),
           array_agg(case when d.as_of > d.deadline then 'breached' else 'due_soon' end),
           array_agg(d.deadline), array_agg(d.authority), array_agg(d.as_of)
    into v_application_ids, v_cycles, v_levels, v_deadlines, v_authorities, v_as_of
    from (
        select k.application_id, k.cycle, k.deadline, k.authority,
               coalesce(p_as_of, authority_today(k.authority)) as as_of
        from application_clocks k
        where k.next_alert_on is not null
          and k.next_alert_on <= coalesce(p_as_of, current_date + 1)
          and k.next_alert_on <= coalesce(p_as_of, authority_today(k.authority))
        order by k.application_id, k.cycle
        for update of k skip locked
    ) d;

    -- 2. Mark them on the clocks (by primary key), so the next alert is judged from here.
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

    -- 3. Raise each alert once, queue a delivery per matching channel, and return the new alerts.
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
    'Raises every due_soon or breached alert that has fallen due and every supply_risk not yet raised '
    'for its cycle and stock date (as of p_as_of, or today in each authority''s time zone), once, and '
    'queues a delivery per matching channel. Returns the new alerts.';


-- Delivering ---------------------------------------------------------------------------------

-- What every channel receives for an alert: one JSON object, keys in this order (as in 0005); a
-- supply_risk alert adds stock_runs_out, feeds and days_short at the end.
create or replace function alert_payload(p_alert_id bigint)
returns json
language sql stable as $$
    select case when al.level = 'supply_risk' then
        json_build_object(
            'alert_id', al.id,
            'idempotency_key', al.idempotency_key,
            'level', al.level,
            'application_id', al.application_id,
            'cycle', al.cycle,
            'authority', al.authority,
            'authority_reference', a.authority_reference,
            'applicant', a.applicant,
            'destination', a.destination,
            'owner', a.owner,
            'status', a.status,
            'deadline', al.deadline,
            'raised_on', al.raised_on,
            'raised_at', al.raised_at,
            'stock_runs_out', al.stock_runs_out,
            'feeds', al.feeds,
            'days_short', al.days_short)
    else
        json_build_object(
            'alert_id', al.id,
            'idempotency_key', al.idempotency_key,
            'level', al.level,
            'application_id', al.application_id,
            'cycle', al.cycle,
            'authority', al.authority,
            'authority_reference', a.authority_reference,
            'applicant', a.applicant,
            'destination', a.destination,
            'owner', a.owner,
            'status', a.status,
            'deadline', al.deadline,
            'raised_on', al.raised_on,
            'raised_at', al.raised_at)
    end
    from sla_alerts al
    join applications a on a.id = al.application_id
    where al.id = p_alert_id
$$;

comment on function alert_payload(bigint) is
    'The JSON document delivered for an alert (webhook body, JSON-lines record, e-mail attachment); '
    'supply_risk alerts add stock_runs_out, feeds and days_short.';

do $$
begin
    -- application_outlook() is set to hash joins (0009); the raise reads it for few applications.
    alter function alerts_raise(date) set jit = off;
end;
$$;
