-- 0005_alerts.sql
--
-- SLA alerts with outbox semantics: each due_soon and breached alert is raised once (one per
-- application, cycle, level and deadline; a moved deadline may raise again), committed before it
-- is delivered, and marked delivered after.
--
-- The guarantee (Docs/alerts-delivery.md):
--   * alerts_raise() is one set-based statement over the clocks whose next_alert_on has come;
--     the unique key makes a second or concurrent run raise nothing new.
--   * Each delivery (alert x channel) is sent while its row is locked FOR UPDATE SKIP LOCKED and
--     marked delivered in the same transaction, so two concurrent runs never send it twice.
--   * A run killed after sending but before committing leaves that one delivery pending: the next
--     run sends it again, with the same idempotency key, so receivers can drop the duplicate.
--   * A failed delivery stays pending with a growing back-off and is retried by later runs.


-- Channels -----------------------------------------------------------------------------------

create table alert_channels (
    id           bigint generated always as identity primary key,
    name         text not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
    kind         text not null check (kind in ('stdout', 'jsonl', 'webhook', 'email')),
    target       text,
    authorities  text[],
    levels       text[] check (levels <@ array['due_soon', 'breached']),
    enabled      boolean not null default true,
    created_at   timestamptz not null default now(),
    created_by   text not null default session_user,
    constraint channel_target_matches_kind check (
        case kind
            when 'stdout' then target is null
            when 'jsonl' then target like '/%'
            when 'webhook' then target ~ '^https?://[^\s]+$'
            when 'email' then target ~ '^[^\s@,]+@[^\s@,]+(,[^\s@,]+@[^\s@,]+)*$'
        end)
);

comment on table alert_channels is
    'Where alerts are delivered: standard output, a JSON-lines file, a webhook (HTTP POST) or e-mail '
    '(sendmail -t). A channel can be limited to some authorities and levels.';
comment on column alert_channels.target is
    'The JSON-lines file (absolute path), the webhook URL, or the e-mail addresses (comma-separated).';
comment on column alert_channels.authorities is 'Only alerts of these authorities (NULL: all).';
comment on column alert_channels.levels is 'Only alerts of these levels (NULL: both).';


-- Alerts (the outbox) -----------------------------------------------------------------------

create table sla_alerts (
    id               bigint generated always as identity primary key,
    application_id   bigint not null references applications (id),
    cycle            integer not null,
    level            text not null check (level in ('due_soon', 'breached')),
    deadline         date not null,
    authority        text not null references authorities (code),
    raised_on        date not null,
    raised_at        timestamptz not null default now(),
    idempotency_key  uuid not null default gen_random_uuid() unique,
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    ack_note         text,
    constraint sla_alerts_once unique (application_id, cycle, level, deadline)
);

comment on table sla_alerts is
    'Every SLA alert raised: at most one per application, cycle, level and deadline.';
comment on column sla_alerts.raised_on is 'The day (as of) on which the alert job found it due.';
comment on column sla_alerts.idempotency_key is
    'Sent with every delivery attempt (Idempotency-Key header) so a receiver can drop re-sends.';

create index sla_alerts_unacknowledged_idx on sla_alerts (level) where acknowledged_at is null;

create table alert_deliveries (
    alert_id         bigint not null references sla_alerts (id),
    channel_id       bigint not null references alert_channels (id),
    status           text not null default 'pending' check (status in ('pending', 'delivered')),
    attempts         integer not null default 0,
    next_attempt_at  timestamptz not null default now(),
    last_error       text,
    delivered_at     timestamptz,
    primary key (alert_id, channel_id)
);

comment on table alert_deliveries is
    'One row per alert and channel: pending until delivered; failed attempts back off and are retried.';

-- The delivery loop claims pending rows in this order, one at a time (LIMIT 1 ... SKIP LOCKED).
create index alert_deliveries_pending_idx
    on alert_deliveries (next_attempt_at, alert_id, channel_id) where status = 'pending';


-- Raising ------------------------------------------------------------------------------------

-- Raises the alerts that have fallen due and queues their deliveries; returns the new alerts.
--
-- Reads only the clocks whose next_alert_on has come (a partial index), and touches each of them
-- by primary key, so its cost grows with the number of clocks due, not with the number of
-- applications. Without p_as_of each clock is judged on today in its authority's time zone.
-- Clocks locked by a concurrent run are skipped; that run raises them.
create function alerts_raise(p_as_of date default null)
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

    if v_application_ids is null then
        return;
    end if;

    -- 2. Mark them on the clocks (by primary key), so the next alert is judged from here.
    update application_clocks k set
        warned_deadline = u.deadline,
        breached_deadline = case when u.level = 'breached' then u.deadline else k.breached_deadline end,
        next_alert_on = clock_next_alert_on(
            k.started_on, k.ended_on, k.pause_open_since, k.deadline, k.warn_on, u.deadline,
            case when u.level = 'breached' then u.deadline else k.breached_deadline end)
    from unnest(v_application_ids, v_cycles, v_levels, v_deadlines)
         as u(application_id, cycle, level, deadline)
    where k.application_id = u.application_id and k.cycle = u.cycle;

    -- 3. Raise each alert once, queue a delivery per matching channel, and return the new alerts.
    return query
    with raised as (
        insert into sla_alerts (application_id, cycle, level, deadline, authority, raised_on)
        select u.application_id, u.cycle, u.level, u.deadline, u.authority, u.as_of
        from unnest(v_application_ids, v_cycles, v_levels, v_deadlines, v_authorities, v_as_of)
             as u(application_id, cycle, level, deadline, authority, as_of)
        on conflict on constraint sla_alerts_once do nothing
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
    'Raises every due_soon or breached alert that has fallen due (as of p_as_of, or today in each '
    'authority''s time zone), once, and queues a delivery per matching channel. Returns the new alerts.';


-- Delivering ---------------------------------------------------------------------------------

-- What every channel receives for an alert: one JSON object, keys in this order.
create function alert_payload(p_alert_id bigint)
returns json
language sql stable as $$
    select json_build_object(
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
    from sla_alerts al
    join applications a on a.id = al.application_id
    where al.id = p_alert_id
$$;

comment on function alert_payload(bigint) is
    'The JSON document delivered for an alert (webhook body, JSON-lines record, e-mail attachment).';

-- Marks a delivery attempt that failed: it stays pending and is retried after a back-off that
-- doubles with each attempt (30 s, 1 min, 2 min, ... at most 1 hour).
create function alert_delivery_failed(p_alert_id bigint, p_channel_id bigint, p_error text)
returns void
language sql as $$
    update alert_deliveries
    set attempts = attempts + 1,
        last_error = left(p_error, 500),
        next_attempt_at = clock_timestamp() + least(interval '1 hour', interval '30 seconds' * power(2, attempts))
    where alert_id = p_alert_id and channel_id = p_channel_id and status = 'pending'
$$;

-- Marks a delivery done.
create function alert_delivery_succeeded(p_alert_id bigint, p_channel_id bigint)
returns void
language sql as $$
    update alert_deliveries
    set attempts = attempts + 1, status = 'delivered', delivered_at = now(), last_error = null
    where alert_id = p_alert_id and channel_id = p_channel_id and status = 'pending'
$$;
