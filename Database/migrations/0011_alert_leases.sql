-- 0011_alert_leases.sql
--
-- Alert delivery by leases and batches, so that no transaction stays open while a channel sends
-- (Docs/alerts-delivery.md).
--
-- Until now each delivery was sent while its row was locked FOR UPDATE, inside the transaction
-- that then recorded the outcome: a slow receiver kept that transaction (and its locks) open for
-- the whole send. Now a delivery goes through three steps, none of which holds a transaction open
-- while anything is sent:
--   1. claim (alert_deliveries_claim, one statement): up to K due deliveries of one channel become
--      'sending', leased to one run (lease_token) until a time; the statement returns them with
--      their payloads. Rows another run is claiming at that moment are skipped (SKIP LOCKED), and
--      a leased row is not due, so two runs never send the same delivery at the same time.
--   2. send: the alert job sends the batch outside any transaction.
--   3. record (alert_deliveries_record, one statement): the whole batch is marked delivered,
--      failed (it backs off, as before) or released (not sent after all: due again at once).
-- A run killed between 1 and 3 leaves its batch 'sending'. Once the lease expires, the rows are
-- due again and the next run sends them, with the same idempotency key: delivery stays at least
-- once, and only that batch can be sent twice.
--
-- While a delivery is 'sending', next_attempt_at is its lease's expiry (lease_until shows it), so
-- that one index serves every claim: due deliveries and expired leases alike, in one order.


-- Deliveries: the lease, and since when a delivery has been failing -----------------------------

alter table alert_deliveries drop constraint alert_deliveries_status_check;

alter table alert_deliveries
    add constraint alert_deliveries_status_check check (status in ('pending', 'sending', 'delivered')),
    add column lease_token uuid,
    add column leased_by text,
    add column lease_until timestamptz
        generated always as (case when status = 'sending' then next_attempt_at end) stored,
    add column failing_since timestamptz,
    add column last_attempt_at timestamptz,
    add constraint alert_deliveries_lease_matches_status
        check ((status = 'sending') = (lease_token is not null));

comment on column alert_deliveries.status is
    'pending (waiting to be sent), sending (leased to a run until lease_until) or delivered.';
comment on column alert_deliveries.next_attempt_at is
    'When a pending delivery is due; for a sending one, when its lease expires and it is due again.';
comment on column alert_deliveries.lease_token is 'The run that holds the lease of a sending delivery.';
comment on column alert_deliveries.leased_by is 'Who holds the lease, for people: host and process id.';
comment on column alert_deliveries.lease_until is 'When the lease of a sending delivery expires.';
comment on column alert_deliveries.failing_since is
    'When the first of the failed attempts since the last success was made (NULL: not failing).';
comment on column alert_deliveries.last_attempt_at is 'When the last attempt was recorded.';

-- Deliveries that had failed before this migration: failing since at least now.
update alert_deliveries
set failing_since = now()
where status = 'pending' and attempts > 0;

-- Claims take one channel's due rows in this order (due time, then the oldest alert).
drop index alert_deliveries_pending_idx;
create index alert_deliveries_due_idx
    on alert_deliveries (channel_id, next_attempt_at, alert_id) where status in ('pending', 'sending');


-- Channels: a target for every kind but stdout; headers whose values come from the environment --

-- Whether every element is NAME=VARIABLE: an HTTP header name (RFC 9110 token characters) and an
-- environment variable name.
create function alert_header_env_valid(p_headers text[])
returns boolean
language sql immutable parallel safe as $$
    select coalesce(bool_and(h ~ '^[A-Za-z0-9!#$%&''*+.^_`|~-]+=[A-Za-z_][A-Za-z0-9_]*$'), true)
    from unnest(p_headers) as h
$$;

-- 0005's channel_target_matches_kind let a jsonl, webhook or email channel without a target
-- through (the check is NULL then). Now one is refused; a row that a psql user may already have
-- added that way is left alone (NOT VALID), and its deliveries fail with a clear error.
alter table alert_channels
    add constraint channel_target_required check (kind = 'stdout' or target is not null) not valid;

alter table alert_channels
    add column headers_from_env text[],
    add constraint channel_headers_from_env_webhook_only
        check (headers_from_env is null or kind = 'webhook'),
    add constraint channel_headers_from_env_format
        check (headers_from_env is null or alert_header_env_valid(headers_from_env));

comment on column alert_channels.headers_from_env is
    'Webhook headers as NAME=VARIABLE: the header''s value is read from the environment variable of '
    'that name when the alert job sends (a secret such as Authorization stays out of the database).';


-- The back-off, once -------------------------------------------------------------------------

-- How long a delivery waits after a failure, given the attempts that had failed before it:
-- 30 s, 1 min, 2 min, ... at most 1 hour (the exponent is capped, so it never overflows).
create function alert_backoff(p_failed_before integer)
returns interval
language sql immutable parallel safe as $$
    select least(interval '1 hour', interval '30 seconds' * power(2, least(greatest(p_failed_before, 0), 7)))
$$;

comment on function alert_backoff(integer) is
    'The wait after a failed delivery attempt, given the failures before it: 30 s doubling to 1 hour at most.';

-- Marks a delivery attempt that failed: it stays pending and is retried after alert_backoff().
-- (Same signature and schedule as 0007; now also records failing_since and last_attempt_at.)
create or replace function alert_delivery_failed(p_alert_id bigint, p_channel_id bigint, p_error text)
returns void
language sql as $$
    update alert_deliveries
    set attempts = attempts + 1,
        last_error = left(p_error, 500),
        failing_since = coalesce(failing_since, clock_timestamp()),
        last_attempt_at = clock_timestamp(),
        next_attempt_at = clock_timestamp() + alert_backoff(attempts)
    where alert_id = p_alert_id and channel_id = p_channel_id and status = 'pending'
$$;

-- Marks a delivery done. (Same signature as 0005; now also clears failing_since.)
create or replace function alert_delivery_succeeded(p_alert_id bigint, p_channel_id bigint)
returns void
language sql as $$
    update alert_deliveries
    set attempts = attempts + 1, status = 'delivered', delivered_at = now(), last_error = null,
        failing_since = null, last_attempt_at = clock_timestamp()
    where alert_id = p_alert_id and channel_id = p_channel_id and status = 'pending'
$$;


-- Claiming and recording ---------------------------------------------------------------------

-- Claims up to p_limit deliveries of one channel that are due by p_due_by (pending ones whose
-- time has come, and sending ones whose lease has expired), oldest due first. They become
-- 'sending', leased to p_token until now + p_lease. Returns them, oldest alert first, with what
-- the channels need (the payload, and the fields the e-mail is written from).
--
-- One statement, so one short transaction: rows locked by a concurrent claim are skipped, and
-- once this commits, the leased rows are not due for anyone else until the lease expires.
create function alert_deliveries_claim(
    p_channel_id bigint, p_limit integer, p_due_by timestamptz, p_lease interval, p_token uuid,
    p_leased_by text)
returns table (
    alert_id bigint, attempts integer, level text, application_id bigint, cycle integer,
    authority text, authority_reference text, applicant text, destination text, owner text,
    status text, deadline date, raised_on date, idempotency_key uuid, payload text)
language sql as $$
    with picked as (
        select d.alert_id
        from alert_deliveries d
        where d.channel_id = p_channel_id
          and d.status in ('pending', 'sending')
          and d.next_attempt_at <= p_due_by
        order by d.next_attempt_at, d.alert_id
        limit p_limit
        for update of d skip locked
    ),
    claimed as (
        update alert_deliveries d
        set status = 'sending',
            next_attempt_at = clock_timestamp() + p_lease,
            lease_token = p_token,
            leased_by = p_leased_by
        from picked p
        where d.channel_id = p_channel_id and d.alert_id = p.alert_id
        returning d.alert_id, d.attempts
    )
    select c.alert_id, c.attempts, al.level, al.application_id, al.cycle, al.authority,
           a.authority_reference, a.applicant, a.destination, a.owner, a.status, al.deadline,
           al.raised_on, al.idempotency_key, alert_payload(c.alert_id)::text
    from claimed c
    join sla_alerts al on al.id = c.alert_id
    join applications a on a.id = al.application_id
    order by c.alert_id
$$;

comment on function alert_deliveries_claim(bigint, integer, timestamptz, interval, uuid, text) is
    'Leases up to p_limit due deliveries of a channel to the run p_token and returns them with their payloads.';

-- Records what happened to a claimed batch, in one statement: p_delivered were delivered;
-- p_failed failed with p_errors (same order; they stay pending and back off); p_released were not
-- sent after all (the run's share of time ran out first) and are due again at once, with no
-- attempt counted. Only rows still leased to p_token change: a lease that expired and was taken
-- by another run is that run's to record. Returns how many rows were recorded.
create function alert_deliveries_record(
    p_channel_id bigint, p_token uuid, p_delivered bigint[], p_failed bigint[], p_errors text[],
    p_released bigint[])
returns integer
language sql as $$
    with clock as (
        -- One time for the whole batch: its attempt times, back-offs and failing_since agree.
        select clock_timestamp() as t
    ),
    outcome as (
        select u.alert_id, 'delivered' as outcome, null::text as error
        from unnest(p_delivered) as u(alert_id)
        union all
        select f.alert_id, 'failed', f.error
        from unnest(p_failed, p_errors) as f(alert_id, error)
        union all
        select r.alert_id, 'released', null
        from unnest(p_released) as r(alert_id)
    ),
    recorded as (
        update alert_deliveries d
        set status = case o.outcome when 'delivered' then 'delivered' else 'pending' end,
            attempts = d.attempts + case o.outcome when 'released' then 0 else 1 end,
            delivered_at = case o.outcome when 'delivered' then k.t end,
            last_error = case o.outcome
                             when 'delivered' then null
                             when 'failed' then left(coalesce(o.error, 'failed'), 500)
                             else d.last_error end,
            failing_since = case o.outcome
                                when 'delivered' then null
                                when 'failed' then coalesce(d.failing_since, k.t)
                                else d.failing_since end,
            last_attempt_at = case o.outcome when 'released' then d.last_attempt_at else k.t end,
            next_attempt_at = case o.outcome when 'failed' then k.t + alert_backoff(d.attempts) else k.t end,
            lease_token = null,
            leased_by = null
        from outcome o, clock k
        where d.channel_id = p_channel_id
          and d.alert_id = o.alert_id
          and d.status = 'sending'
          and d.lease_token = p_token
        returning 1
    )
    select count(*)::integer from recorded
$$;

comment on function alert_deliveries_record(bigint, uuid, bigint[], bigint[], text[], bigint[]) is
    'Marks a claimed batch delivered, failed (with a back-off) or released, for the run that leased it.';


-- Seeing what is stuck -------------------------------------------------------------------------

-- Makes one channel's failing deliveries (pending after at least one failed attempt) due now,
-- for after a receiver is fixed. Returns how many. Leased rows are left to their run.
create function alert_deliveries_retry(p_channel_id bigint)
returns integer
language sql as $$
    with due as (
        update alert_deliveries
        set next_attempt_at = now()
        where channel_id = p_channel_id and status = 'pending' and attempts > 0
        returning 1
    )
    select count(*)::integer from due
$$;

comment on function alert_deliveries_retry(bigint) is
    'Makes a channel''s failing deliveries due now (lictrack alerts retry --channel NAME).';

-- Enabled channels with deliveries that have been failing for longer than p_stale_after: how
-- many, since when, and the most recent error. Disabled channels are left out (their deliveries
-- wait on purpose).
create function alert_deliveries_stale(p_stale_after interval)
returns table (channel text, kind text, deliveries integer, failing_since timestamptz, last_error text)
language sql stable as $$
    select c.name, c.kind, count(*)::integer, min(d.failing_since),
           (array_agg(d.last_error order by d.last_attempt_at desc nulls last, d.alert_id desc))[1]
    from alert_deliveries d
    join alert_channels c on c.id = d.channel_id
    where d.status in ('pending', 'sending')
      and d.attempts > 0
      and d.failing_since <= now() - p_stale_after
      and c.enabled
    group by c.name, c.kind
    order by c.name
$$;

comment on function alert_deliveries_stale(interval) is
    'Per enabled channel, the deliveries failing for longer than p_stale_after (lictrack alerts check).';
