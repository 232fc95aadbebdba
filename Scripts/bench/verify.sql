-- Scripts/bench/verify.sql: checks the generated fixture against the workflow rules.
--
--   psql -v sample=200 -v full_check=1 -f verify.sql
--
-- 1. (full_check=1) Set-based checks over the whole event log: seq 1..n without gaps, each
--    event's from_status is the previous event's to_status, dates never decrease, every
--    (event, from_status) is an allowed transition leading to to_status, and each application's
--    status, last_event_seq, last_event_on and status_since match its log; and every hash chain
--    is intact (audit_verify(), 0021).
--    (The other stored facts of 0018 are compared by the replay below.)
-- 2. Replays `sample` applications through the real triggers (session_replication_role = origin),
--    event by event, inside a transaction that is rolled back, and compares the application row,
--    every event and the SLA clocks the triggers compute with the generated ones; the original's
--    hash chain and the replayed one (hashed by the trigger) must both verify.
-- Prints the counts; every one must be 0. Fails (psql exit status 3) otherwise.

\set ON_ERROR_STOP on
\if :{?sample}
\else
    \set sample 200
\endif
\if :{?full_check}
\else
    \set full_check 0
\endif

\if :full_check
select count(*) filter (where e.seq = 1 and (e.event <> 'create' or e.from_status is not null or e.to_status <> 'draft'))
           as bad_create,
       count(*) filter (where e.seq > 1 and e.prev_seq is distinct from e.seq - 1) as seq_gaps,
       count(*) filter (where e.seq > 1 and e.from_status is distinct from e.prev_to) as broken_chain,
       count(*) filter (where e.occurred_on < e.prev_on) as dates_backwards,
       count(*) filter (where e.seq > 1 and (t.event is null
                                              or (t.to_status is not null and t.to_status <> e.to_status)
                                              or (t.to_status is null and e.to_status is distinct from e.prev_from)))
           as illegal_transitions
from (select e.*,
             lag(e.seq) over w as prev_seq,
             lag(e.to_status) over w as prev_to,
             lag(e.from_status) over w as prev_from,
             lag(e.occurred_on) over w as prev_on
      from application_events e
      window w as (partition by e.application_id order by e.seq)) e
left join workflow_transitions t on t.event = e.event and t.from_status = e.from_status
\gset v_
\echo 'whole log: bad_create' :v_bad_create 'seq_gaps' :v_seq_gaps 'broken_chain' :v_broken_chain 'dates_backwards' :v_dates_backwards 'illegal_transitions' :v_illegal_transitions

select count(*) filter (where e.seq is null) as missing_last,
       count(*) filter (where e.to_status is distinct from a.status) as bad_status,
       count(*) filter (where e.occurred_on is distinct from a.last_event_on) as bad_last_on,
       count(*) filter (where n.application_id is not null) as events_after_last,
       (select count(*) from application_events) - (select sum(last_event_seq) from applications) as count_mismatch
from applications a
left join application_events e on e.application_id = a.id and e.seq = a.last_event_seq
left join application_events n on n.application_id = a.id and n.seq = a.last_event_seq + 1
\gset w_
\echo 'applications: missing_last' :w_missing_last 'bad_status' :w_bad_status 'bad_last_on' :w_bad_last_on 'events_after_last' :w_events_after_last 'count_mismatch' :w_count_mismatch
-- The hash chains (0021): every event's hash, recomputed, and every link.
select count(*) as broken from audit_verify(null)
\gset x_
\echo 'hash chains: broken events' :x_broken

select (:x_broken + :v_bad_create + :v_seq_gaps + :v_broken_chain + :v_dates_backwards + :v_illegal_transitions
        + :w_missing_last + :w_bad_status + :w_bad_last_on + :w_events_after_last + :w_count_mismatch) = 0 as ok
\gset full_
\if :full_ok
\else
    do $$ begin raise exception 'verify.sql: the generated log breaks the workflow rules'; end $$;
\endif
\endif

begin;
set local session_replication_role = origin;
-- Results do not depend on it; it only keeps each trigger's clock refresh from JIT-compiling.
set local jit = off;
select set_config('bench.sample', :'sample', true) as sample_setting \gset
create temp table replay_result (
    original     bigint,
    copy         bigint,
    app_diffs    integer,
    event_diffs  integer,
    clock_diffs  integer,
    chain_diffs  integer
) on commit drop;

do $$
declare
    v_sample integer := current_setting('bench.sample')::integer;
    r        applications;
    ev       application_events;
    v_copy   bigint;
begin
    for r in
        select * from applications
        where id in (select id from applications
                     order by hashint8extended(id, 42)
                     limit v_sample)
           or id in (select id from applications a
                     where status not in ('approved', 'denied', 'withdrawn')
                     order by hashint8extended(id, 43)
                     limit v_sample / 2)
        order by id
    loop
        insert into applications (authority, licence_type, applicant, exporter, consignee, end_user, end_use,
                                  destination, owner, created_on)
        values (r.authority, r.licence_type, r.applicant, r.exporter, r.consignee, r.end_user, r.end_use,
                r.destination, r.owner, r.created_on)
        returning id into v_copy;
        insert into application_items (application_id, description, control_code, quantity, unit)
        select v_copy, i.description, i.control_code, i.quantity, i.unit
        from application_items i where i.application_id = r.id order by i.line_no;
        for ev in select * from application_events where application_id = r.id and seq > 1 order by seq loop
            insert into application_events (application_id, event, occurred_on, actor, note, authority_reference,
                                            licence_number, valid_until, reason, extend_by)
            -- The copy's reference is the original's plus '/replay': references are unique per
            -- authority (0020), and the original keeps its own.
            values (v_copy, ev.event, ev.occurred_on, ev.actor, ev.note, ev.authority_reference || '/replay',
                    ev.licence_number, ev.valid_until, ev.reason, ev.extend_by);
        end loop;
        insert into replay_result
        select r.id, v_copy,
               (select count(*) from applications c
                where c.id = v_copy
                  and (c.status, c.status_since, c.last_event_seq, c.last_event_on, c.authority_reference,
                       c.licence_number, c.licence_valid_until, c.last_event, c.status_event_on, c.cycle_rfis,
                       c.stock_runs_out, c.stock_feeds, c.stock_recorded_on, c.control_family)
                      is distinct from
                      (r.status, r.status_since, r.last_event_seq, r.last_event_on, r.authority_reference || '/replay',
                       r.licence_number, r.licence_valid_until, r.last_event, r.status_event_on, r.cycle_rfis,
                       r.stock_runs_out, r.stock_feeds, r.stock_recorded_on, r.control_family)),
               (select count(*)
                from (select * from application_events where application_id = r.id) o
                full join (select * from application_events where application_id = v_copy) c using (seq)
                where (o.event, o.from_status, o.to_status, o.occurred_on, o.authority_reference || '/replay', o.reason,
                       o.extend_by)
                      is distinct from
                      (c.event, c.from_status, c.to_status, c.occurred_on, c.authority_reference, c.reason,
                       c.extend_by)),
               (select count(*)
                from (select * from application_clocks where application_id = r.id) o
                full join (select * from application_clocks where application_id = v_copy) c using (cycle)
                where (o.policy_id, o.started_on, o.ended_on, o.end_event, o.paused_units, o.pause_open_since,
                       o.deadline, o.warn_on, o.provisional, o.extension, o.control_family)
                      is distinct from
                      (c.policy_id, c.started_on, c.ended_on, c.end_event, c.paused_units, c.pause_open_since,
                       c.deadline, c.warn_on, c.provisional, c.extension, c.control_family)),
               (select count(*) from audit_verify(r.id)) + (select count(*) from audit_verify(v_copy));
    end loop;
end;
$$;

select count(*) as replayed,
       sum(app_diffs) as app_diffs,
       sum(event_diffs) as event_diffs,
       sum(clock_diffs) as clock_diffs,
       sum(chain_diffs) as chain_diffs,
       coalesce(sum(app_diffs + event_diffs + clock_diffs + chain_diffs), 0) = 0 as ok
from replay_result
\gset r_
rollback;
\echo 'replayed through the triggers:' :r_replayed 'applications; differences: applications' :r_app_diffs 'events' :r_event_diffs 'clocks' :r_clock_diffs 'hash chains' :r_chain_diffs
\if :r_ok
\else
    do $$ begin raise exception 'verify.sql: replaying the generated histories through the triggers gives different results'; end $$;
\endif
