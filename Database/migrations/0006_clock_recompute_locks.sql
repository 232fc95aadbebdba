-- 0006_clock_recompute_locks.sql
--
-- Closes a race between a clock recompute and a concurrent event (Docs/sla.md, "Concurrency").
--
-- Before this migration, sla_refresh_open() (run by every policy change and calendar import)
-- locked nothing before computing. Whichever of the two transactions took its snapshot before
-- the other committed stored a clock computed without the other's work:
--   * an event committed while the recompute ran: the recompute overwrote the event's clock with
--     values from its older snapshot (a reply that ended a pause was forgotten, so a breach alert
--     was never raised, or a paused application was reported breached);
--   * a rule change committed while the event ran: the event stored a clock counted under the
--     old policy or calendar.
--
-- The rule now: the authority row is the lock that orders clock recomputes.
--   * Every recompute (sla_refresh) first takes FOR SHARE on the authorities of the applications
--     it recomputes, in code order, and only then, in a new statement (a new snapshot under READ
--     COMMITTED), reads the log and the rules. Events on one authority share the lock, so they
--     never wait for each other here.
--   * Every rule change (sla_refresh_open: policy changes, calendar imports) first UPDATEs the
--     rows of the authorities it covers (rules_version + 1), in code order, and only then takes
--     its snapshot. The update waits for every event already holding the share lock, and every
--     later event waits for the rule change to commit.
--   Under REPEATABLE READ or SERIALIZABLE, the event's share lock on an authority row that a
--   committed rule change updated fails with a serialization failure (40001), which the CLI
--   retries; under READ COMMITTED it waits and then sees the new rules.
--   Lock order everywhere: the application row (events), then authority rows, then clock rows.
--
-- It also stops a read-only role from holding clock locks: sla_refresh and sla_refresh_open are
-- no longer executable by PUBLIC (grant them to the roles that change policies and calendars,
-- Docs/operations.md). The event trigger calls sla_refresh with the owner's rights.


-- The lock anchor -----------------------------------------------------------------------------

alter table authorities add column rules_version bigint not null default 0;

comment on column authorities.rules_version is
    'Counts changes to the authority''s clock rules (its policies, the calendars they use). A rule '
    'change updates it before recomputing clocks, so recomputes and events on the authority are '
    'serialised (migration 0006).';


-- Recompute of given applications ----------------------------------------------------------------

-- Stores the clocks of the given applications as sla_compute gives them now. The caller holds
-- the authority locks (see sla_refresh); not callable by PUBLIC.
create function sla_store_clocks(p_application_ids bigint[]) returns integer
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

comment on function sla_store_clocks(bigint[]) is
    'Stores the clocks sla_compute gives for the applications (set-based); the caller must hold '
    'the authority locks that sla_refresh takes. Returns rows changed.';

-- Recomputes and stores the clocks of the given applications (what every event runs).
create or replace function sla_refresh(p_application_ids bigint[]) returns integer
language plpgsql as $$
begin
    -- 1. Share-lock the authorities whose rules are about to be read, in a fixed order. This
    --    waits for a rule change in progress on any of them to commit.
    perform 1
    from authorities a
    where a.code in (select ap.authority from applications ap where ap.id = any (p_application_ids))
    order by a.code
    for share;
    -- 2. Compute and store, in a new statement: under READ COMMITTED a new snapshot, which sees
    --    whatever rule change the lock above waited for.
    return sla_store_clocks(p_application_ids);
end;
$$;

comment on function sla_refresh(bigint[]) is
    'Recomputes and stores the clocks of the given applications (set-based) after share-locking '
    'their authorities. Returns rows changed.';

-- Recomputes the clocks of every open application (optionally only those whose authority counts
-- on one calendar, or of one authority): what a policy change or a calendar import runs.
drop function sla_refresh_open(text, text);

create function sla_refresh_open(p_calendar text default null, p_authority text default null)
returns integer
language plpgsql as $$
declare
    v_authorities text[];
begin
    -- 1. Mark the rule change on every authority it covers, in a fixed order. The update waits
    --    for events that hold the share lock (sla_refresh), and makes later ones wait for us.
    with covered as (
        select x.code
        from authorities x
        where (p_authority is null or x.code = p_authority)
          and (p_calendar is null
               or exists (select 1 from sla_policies p where p.authority = x.code and p.calendar = p_calendar))
        order by x.code
        for no key update
    ),
    marked as (
        update authorities a set rules_version = a.rules_version + 1
        from covered c
        where a.code = c.code
        returning a.code
    )
    select coalesce(array_agg(m.code), '{}') into v_authorities from marked m;

    -- 2. Recompute in a new statement (a new snapshot), which sees every event committed before
    --    the locks were granted.
    return sla_store_clocks(array(
        select ap.id
        from applications ap
        join application_statuses s on s.status = ap.status
        where not s.is_final
          and ap.authority = any (v_authorities)));
end;
$$;

comment on function sla_refresh_open(text, text) is
    'Recomputes the clocks of all open applications, or of those whose authority counts on p_calendar, '
    'or of one authority, after marking the rule change on those authorities (rules_version). Run '
    'after editing calendar_days by hand.';

-- The policy triggers recompute per changed authority, in code order so that two multi-authority
-- changes lock alike.
create or replace function sla_policies_refresh_clocks() returns trigger
language plpgsql as $$
begin
    perform sla_refresh_open(p_authority => c.authority)
    from (select distinct authority from changed_policies order by 1) c;
    return null;
end;
$$;


-- Rights ---------------------------------------------------------------------------------------

-- The event trigger and the policy triggers recompute with the owner's rights, so the roles that
-- record events or change policies need no EXECUTE on the recompute functions, and no other role
-- gets it: a read-only role cannot take clock or authority locks and hold them in an open
-- transaction. calendar_import() runs with its caller's rights and needs EXECUTE on
-- sla_refresh_open (Docs/operations.md grants it to lictrack_admin).
do $$
begin
    execute format('alter function sla_store_clocks(bigint[]) security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function sla_refresh(bigint[]) security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function sla_refresh_open(text, text) security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function application_events_refresh_clock() security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function sla_policies_refresh_clocks() security definer set search_path = %I, pg_temp',
                   current_schema());
    -- sla_compute's row estimates are loose; JIT would compile every recompute (0004).
    alter function sla_store_clocks(bigint[]) set jit = off;
    alter function sla_refresh(bigint[]) set jit = off;
    alter function sla_refresh_open(text, text) set jit = off;
end;
$$;

revoke execute on function sla_store_clocks(bigint[]) from public;
revoke execute on function sla_refresh(bigint[]) from public;
revoke execute on function sla_refresh_open(text, text) from public;
