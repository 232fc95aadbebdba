-- 0021_audit_chain.sql
--
-- Tamper evidence for the event log (issue 9): each application's events form a hash chain, so
-- that an event changed, removed, inserted or moved by someone who got round the append-only
-- triggers (a superuser with session_replication_role = replica, or the owner disabling them) is
-- found by `lictrack audit verify`, and a history rewritten consistently from its first event is
-- found against an anchor kept outside the database (`lictrack audit anchor`). Docs/operations.md
-- says what this proves and what it does not.
--
--   application_events.previous_hash  the hash of the event before (seq - 1) in the same
--                                     application; for seq 1 the genesis hash, 32 zero bytes
--   application_events.hash           sha256(previous_hash || the event's canonical content)
--
-- The canonical content (application_event_content) is the event's row as a JSON object, exactly
-- as PostgreSQL's jsonb writes it as text, encoded in UTF-8:
--   * every column except hash and previous_hash, keyed by column name, so that a column added
--     later is covered without a change here;
--   * a NULL column has no key (so NULL and '' differ, and a column added later, NULL on the
--     events before it, leaves their hashes as they were: a column added with a non-NULL value
--     for old events must re-chain them in its migration);
--   * recorded_at is written in UTC to the microsecond, "YYYY-MM-DDTHH:MM:SS.ffffffZ", so that
--     the session's TimeZone does not matter (dates are written "YYYY-MM-DD" whatever DateStyle);
--   * jsonb orders keys by length, then byte by byte, and writes `{"k": v, "k2": v2}` with one
--     space after each colon and comma; text is JSON-escaped; numbers are written in full.
-- Both hashes are stored, so that each event can be checked on its own (its content against its
-- hash) and against its neighbour (its previous_hash against the hash of the event before).
--
-- The hash is computed by the database, in the last BEFORE INSERT trigger on application_events
-- (application_events_zz_hash: triggers of one kind fire in name order, and any trigger after it
-- could change the row after it was hashed). It reads the previous event by primary key.
--
-- audit_verify(application) recomputes the chains, set-based, and returns each broken event;
-- audit_chain_heads() lists the head of every chain for an anchor; audit_check_anchor() compares
-- anchored heads with the chains as they are now.


-- The chain ----------------------------------------------------------------------------------

alter table application_events
    add column previous_hash bytea,
    add column hash bytea;

comment on column application_events.previous_hash is
    'The hash of the previous event (seq - 1) of the same application; 32 zero bytes for seq 1. '
    'Set by the database (0021); NULL only on a row that did not go through the insert trigger.';
comment on column application_events.hash is
    'SHA-256 of previous_hash followed by application_event_content(): the event''s link in its '
    'application''s hash chain, set by the database (0021). lictrack audit verify checks it.';

-- The previous_hash of every application's first event.
create function audit_genesis_hash() returns bytea
language sql immutable parallel safe as $$
    select '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
$$;

-- The canonical content of an event, as hashed: see the head of this file.
create function application_event_content(p_event application_events) returns text
language sql stable parallel safe as $$
    select (jsonb_strip_nulls(to_jsonb(p_event) - 'hash' - 'previous_hash' - 'recorded_at')
            || jsonb_strip_nulls(jsonb_build_object(
                   'recorded_at',
                   to_char(p_event.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))))::text
$$;

comment on function application_event_content(application_events) is
    'The canonical content of an event: its columns but hash and previous_hash as a JSON object, '
    'NULL columns left out, recorded_at in UTC. What application_event_hash() hashes.';

-- The hash of an event that follows p_previous: the one definition, used by the insert trigger,
-- the backfill below, audit_verify() and the benchmark fixture (Scripts/bench/generate.sql).
create function application_event_hash(p_event application_events, p_previous bytea) returns bytea
language sql stable parallel safe as $$
    select sha256(p_previous || convert_to(application_event_content(p_event), 'UTF8'))
$$;

comment on function application_event_hash(application_events, bytea) is
    'sha256(p_previous || UTF-8 of application_event_content(p_event)): an event''s hash in its chain.';


-- Existing events ----------------------------------------------------------------------------

-- Chains every application's events in seq order, each to the one before it (the latest earlier
-- one, should a seq be missing), one level of every application per step of the recursion. The
-- append-only guard is off for this one UPDATE only.
alter table application_events disable trigger application_events_append_only;

with recursive chain as (
    select e.application_id, e.seq, audit_genesis_hash() as previous_hash,
           application_event_hash(e, audit_genesis_hash()) as hash
    from application_events e
    where not exists (select 1 from application_events p
                      where p.application_id = e.application_id and p.seq < e.seq)
    union all
    select (n.event).application_id, (n.event).seq, c.hash, application_event_hash(n.event, c.hash)
    from chain c
    cross join lateral (select x as event
                        from application_events x
                        where x.application_id = c.application_id and x.seq > c.seq
                        order by x.seq
                        limit 1) n
)
update application_events e
set previous_hash = c.previous_hash,
    hash = c.hash
from chain c
where e.application_id = c.application_id and e.seq = c.seq;

alter table application_events enable trigger application_events_append_only;

alter table application_events alter column hash set not null;


-- New events ---------------------------------------------------------------------------------

-- Chains a new event to the one before it. Runs BEFORE INSERT after every other such trigger
-- (application_events_apply numbers the event and sets recorded_at, recorded_by and the statuses;
-- application_events_check_stock trims feeds), so it hashes the row as it will be stored. Whatever
-- the INSERT said about hash and previous_hash is replaced.
--
-- The previous event is read by primary key: the latest one before this seq, which is seq - 1
-- unless someone removed it, in which case the new event is chained to the latest one left and
-- audit_verify() still reports the removal.
create function application_events_hash() returns trigger
language plpgsql as $$
begin
    new.previous_hash := coalesce((select e.hash
                                   from application_events e
                                   where e.application_id = new.application_id and e.seq < new.seq
                                   order by e.seq desc
                                   limit 1),
                                  audit_genesis_hash());
    new.hash := application_event_hash(new, new.previous_hash);
    return new;
end;
$$;

create trigger application_events_zz_hash
    before insert on application_events
    for each row execute function application_events_hash();


-- Verifying ----------------------------------------------------------------------------------

-- Every broken event of one application's chain (p_application_id), or of all of them (NULL), by
-- application and seq. problem is one of:
--   changed       its content no longer matches its hash: edited after it was recorded
--   removed       the seq is missing: between two events, or after the last one while the
--                 application row says it was recorded (applications.last_event_seq)
--   inserted      not recorded through the trigger: after the application's last recorded event,
--                 or without a previous_hash
--   reordered     its content matches its hash at another seq: moved from there
--   chain_broken  its content matches its hash, but its previous_hash is not the hash of the event
--                 before it (nor of any other event): that event (or this one) was rewritten and
--                 its hash recomputed; for seq 1, it does not start from the genesis hash
-- An event after a removed one is checked against its own hash only; an event whose predecessor
-- moved is not reported (the moved event is). detail says it in words. Reordering is searched for
-- only among broken events, over the seqs the application has.
create function audit_verify(p_application_id bigint)
returns table (application_id bigint, seq integer, problem text, detail text)
language plpgsql stable
-- The gap and reorder branches are estimated at millions of rows, which would JIT-compile the
-- whole query for a second or more on every call; they are empty but for a tampered log.
set jit = off
-- PL/pgSQL with a custom plan, so that "p_application_id is null or e.application_id = ..." is
-- folded with the argument's value: one application's chain is an index range, not a scan of
-- the whole log (a SQL function is planned without its arguments).
set plan_cache_mode = force_custom_plan
as $$
#variable_conflict use_column
begin
    return query
    with events as (
        select e.application_id, e.seq, e.hash, e.previous_hash,
               e.hash is not distinct from application_event_hash(e, e.previous_hash) as content_ok,
               lag(e.seq) over w as prev_seq,
               lag(e.hash) over w as prev_hash,
               lead(e.seq) over w as next_seq,
               a.last_event_seq
        from application_events e
        left join applications a on a.id = e.application_id
        where p_application_id is null or e.application_id = p_application_id
        window w as (partition by e.application_id order by e.seq)
    ),
    checked as (
        select v.*,
               case when v.seq = 1 then v.previous_hash = audit_genesis_hash()
                    when v.prev_seq = v.seq - 1 then v.previous_hash is not distinct from v.prev_hash
               end as link_ok,
               coalesce(v.seq > v.last_event_seq, false) as beyond_last
        from events v
    ),
    problems as (
        -- Events beyond the last one the trigger recorded, or written without it.
        select c.application_id, c.seq, 'inserted' as problem,
               case when c.beyond_last
                    then format('not recorded through the event trigger: the application''s last recorded event is %s',
                                c.last_event_seq)
                    else 'not recorded through the event trigger: it has no previous hash'
               end as detail
        from checked c
        where c.beyond_last or c.previous_hash is null
        union all
        -- Events whose content does not match their hash: moved, or changed.
        select c.application_id, c.seq,
               case when m.t is null then 'changed' else 'reordered' end,
               case when m.t is null
                    then 'its content no longer matches its hash: changed after it was recorded'
                    else format('recorded as event %s, now at seq %s', m.t, c.seq)
               end
        from checked c
        join application_events r on r.application_id = c.application_id and r.seq = c.seq
        left join lateral (
            select t.t
            from generate_series(1, greatest(c.last_event_seq,
                                             (select max(x.seq) from application_events x
                                              where x.application_id = c.application_id))) as t (t)
            where t.t <> c.seq
              and application_event_hash(jsonb_populate_record(r, jsonb_build_object('seq', t.t)),
                                         c.previous_hash) = c.hash
            limit 1
        ) m on true
        where not c.content_ok
          and c.previous_hash is not null
          and not c.beyond_last
        union all
        -- Events that match their hash but not the hash of the event before them.
        select c.application_id, c.seq, 'chain_broken',
               case when c.seq = 1
                    then 'the first event does not start from the genesis hash'
                    else format('its previous hash is not the hash of event %s: event %s (or this one) '
                                'was rewritten and its hash recomputed', c.seq - 1, c.seq - 1)
               end
        from checked c
        where c.content_ok
          and not c.link_ok
          and not c.beyond_last
          and not exists (select 1 from application_events q
                          where q.application_id = c.application_id
                            and q.hash = c.previous_hash
                            and q.seq <> c.seq)
        union all
        -- Missing seqs: before an event, and after the last one.
        select c.application_id, s.seq, 'removed',
               'missing: removed after it was recorded'
        from checked c
        cross join lateral generate_series(coalesce(c.prev_seq, 0) + 1, c.seq - 1) as s (seq)
        where c.seq > coalesce(c.prev_seq, 0) + 1
        union all
        select c.application_id, s.seq, 'removed',
               format('missing: the application''s last recorded event is %s', c.last_event_seq)
        from checked c
        cross join lateral generate_series(c.seq + 1, c.last_event_seq) as s (seq)
        where c.next_seq is null and c.seq < c.last_event_seq
        union all
        select a.id, s.seq, 'removed',
               format('missing: the application''s last recorded event is %s', a.last_event_seq)
        from applications a
        cross join lateral generate_series(1, a.last_event_seq) as s (seq)
        where (p_application_id is null or a.id = p_application_id)
          and a.last_event_seq > 0
          and not exists (select 1 from application_events x where x.application_id = a.id)
    )
    select p.application_id, p.seq, p.problem, p.detail
    from problems p
    order by p.application_id, p.seq, p.problem;
end;
$$;

comment on function audit_verify(bigint) is
    'Recomputes the hash chain of one application''s events (NULL: of all) and returns each broken '
    'event: changed, removed, inserted, reordered or chain_broken, with a detail in words.';

-- The head of every chain (its last event), by application: what an anchor records.
create function audit_chain_heads() returns table (application_id bigint, seq integer, hash bytea)
language sql stable as $$
    select a.id, h.seq, h.hash
    from applications a
    cross join lateral (select e.seq, e.hash
                        from application_events e
                        where e.application_id = a.id
                        order by e.seq desc
                        limit 1) h
    order by a.id
$$;

comment on function audit_chain_heads() is
    'The last event (seq and hash) of every application''s chain: what lictrack audit anchor writes.';

-- Anchored heads (application, seq, hash: parallel arrays) that the chains no longer have:
--   rewritten  the event at that seq has another hash now: it, or an event before it, was
--              rewritten since the anchor, even if the chain is consistent again
--   removed    the event at that seq is gone
-- Events after an anchored head are not the anchor's business.
create function audit_check_anchor(p_application_ids bigint[], p_seqs integer[], p_hashes bytea[])
returns table (application_id bigint, seq integer, problem text, detail text)
language sql stable as $$
    select h.application_id, h.seq,
           case when e.seq is null then 'removed' else 'rewritten' end,
           case when e.seq is null
                then format('anchored with hash %s, no longer in the log', encode(h.hash, 'hex'))
                else format('anchored with hash %s, now %s: the history up to this event was rewritten',
                            encode(h.hash, 'hex'), encode(e.hash, 'hex'))
           end
    from unnest(p_application_ids, p_seqs, p_hashes) as h (application_id, seq, hash)
    left join application_events e on e.application_id = h.application_id and e.seq = h.seq
    where e.hash is distinct from h.hash
    order by h.application_id, h.seq
$$;

comment on function audit_check_anchor(bigint[], integer[], bytea[]) is
    'The anchored chain heads (parallel arrays) whose event is gone or has another hash now.';


-- Privileges ---------------------------------------------------------------------------------
--
-- Like the other triggers on the log (0002, 0018), the hash trigger runs with its owner's rights
-- on a pinned search_path, so that no temporary object can stand in for application_events.
do $$
begin
    execute format('alter function application_events_hash() security definer set search_path = %I, pg_temp',
                   current_schema());
end;
$$;
