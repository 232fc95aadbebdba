-- Scripts/bench/generate.sql: the benchmark fixture for Scripts/bench.sh.
--
--   psql -v n_apps=1000000 -v n_open=100000 -v n_events=10000000 -v today=2026-11-28 -f generate.sql
--
-- Generates n_apps applications (n_open of them open) with exactly n_events events, set-based,
-- spread over MOFCOM, BIS, ECJU and BAFA, with dates from 2024-01-01 up to two days before today.
--
-- BENCHMARK FIXTURE ONLY: it runs as the superuser with session_replication_role = replica, which
-- switches off the row triggers (application_events_apply, the append-only guards, the clock
-- refresh) and the foreign-key checks, and writes applications and application_events directly
-- with the status, seq, status_since and last_event_* the triggers would have produced. The load
-- truncates the (empty) workflow tables in the same transaction, so with wal_level = minimal the
-- bulk insert skips the WAL. Never point this at a database that holds real data.
--
-- Every application's events follow the status machine (workflow_transitions): create, submit,
-- sometimes return and resubmit, sometimes a request-info/provide-info pair before acceptance,
-- accept, 0-3 request-info/provide-info pairs, sometimes delay (with a reason, sometimes a formal
-- extension) and resume, and a final approve, deny or withdraw; notes are recorded after the
-- acceptance (or after the last event while not yet accepted). An open application stops part way
-- through that life. Seq runs 1..n without gaps and dates never decrease. Each event is chained
-- by the real hash trigger (application_events_zz_hash, 0021), switched on for that INSERT.
--
-- The SLA clocks are then built by one set-based sla_refresh_open() (timed by the caller), see
-- Scripts/bench.sh.

\set ON_ERROR_STOP on
\if :{?n_apps}
\else
    \echo 'generate.sql: set -v n_apps, n_open, n_events and today'
    \quit
\endif

set session_replication_role = replica;

create schema if not exists bench;

-- A deterministic pseudo-random number in [0, 1) for (i, salt).
create or replace function bench.u(p_i bigint, p_salt bigint) returns float8
language sql immutable parallel safe as $$
    select (hashint8extended(p_i, p_salt) & 2147483647)::float8 / 2147483648.0
$$;

-- The event of a template letter.
create or replace function bench.kind(p_code text) returns text
language sql immutable parallel safe as $$
    select case p_code
               when 'C' then 'create' when 'S' then 'submit' when 'R' then 'return'
               when 'Q' then 'request-info' when 'P' then 'provide-info' when 'A' then 'accept'
               when 'D' then 'delay' when 'U' then 'resume' when 'Y' then 'approve'
               when 'N' then 'deny' when 'W' then 'withdraw'
           end
$$;

-- The status of a status letter.
create or replace function bench.status(p_code text) returns text
language sql immutable parallel safe as $$
    select case p_code
               when 'd' then 'draft' when 's' then 'submitted' when 'u' then 'under_review'
               when 'i' then 'info_requested' when 'l' then 'delayed' when 'r' then 'returned'
               when 'a' then 'approved' when 'n' then 'denied' when 'w' then 'withdrawn'
           end
$$;

-- The date of event seq of n, spread over (created_on, created_on + span): nondecreasing in seq.
create or replace function bench.ev_date(p_id bigint, p_seq integer, p_n integer, p_created date, p_span integer)
returns date
language sql immutable parallel safe as $$
    select case when p_seq = 1 then p_created
                else p_created + floor(p_span * (p_seq - 1 + bench.u(p_id, 1000 + p_seq)) / p_n)::integer
           end
$$;

-- Template position of event seq (notes sit after position j and map to it).
create or replace function bench.tpos(p_seq integer, p_j integer, p_m integer) returns integer
language sql immutable parallel safe as $$
    select case when p_seq <= p_j then p_seq when p_seq <= p_j + p_m then p_j else p_seq - p_m end
$$;

-- The control code of an application's one item: five per authority, in four or five families.
create or replace function bench.item_code(p_id bigint, p_authority text) returns text
language sql immutable parallel safe as $$
    select (case p_authority
                when 'MOFCOM' then array['1C902.a', '1C902.b', '1C904.a', '1B901', '1E902']
                when 'BIS' then array['5A002.a', '3A001.a', '6A003.b', '2B001.b', '1C010.a']
                when 'ECJU' then array['ML11', '5A002', '6A003', '2B001', 'PL5017']
                else array['5A002', '2B001', '3A001', '6A003', '1C010']
            end)[1 + floor(bench.u(p_id, 19) * 5)::integer]
$$;

drop table if exists bench.plan;

-- One row per application: its life as a template of event letters (tpl) with the status after
-- each (sts), how much of it happened (p), and how many notes (m) follow position j.
create unlogged table bench.plan as
with lives as (
    select i as id,
           (i > :n_apps - 2 * :n_open and (:n_apps - i) % 2 = 0) as is_open,
           case when bench.u(i, 1) < 0.40 then 'MOFCOM'
                when bench.u(i, 1) < 0.65 then 'BIS'
                when bench.u(i, 1) < 0.85 then 'ECJU'
                else 'BAFA' end as authority,
           bench.u(i, 3) < 0.06 as ret,
           bench.u(i, 4) < 0.15 as pre,
           floor(power(bench.u(i, 5), 1.3) * 4)::integer as k,
           bench.u(i, 6) < 0.20 as dly,
           case when bench.u(i, 7) < 0.80 then 'Ya' when bench.u(i, 7) < 0.91 then 'Nn' else 'Ww' end as fin,
           -- created_on increases with the id over 2024-01-01 .. today - 32.
           date '2024-01-01'
               + floor((i - 1)::float8 / :n_apps * ((:'today'::date - 32) - date '2024-01-01'))::integer
               as created_on
    from generate_series(1, :n_apps) as i
),
templates as (
    select l.*,
           'CS' || case when ret then 'RS' else '' end || case when pre then 'QP' else '' end || 'A'
               || repeat('QP', k) || case when dly then 'DU' else '' end || left(fin, 1) as tpl,
           'ds' || case when ret then 'rs' else '' end || case when pre then 'is' else '' end || 'u'
               || repeat('iu', k) || case when dly then 'lu' else '' end || right(fin, 1) as sts
    from lives l
),
cut as (
    select t.*,
           -- An open application stopped part way (more often late than early).
           case when t.is_open then 1 + floor(power(bench.u(t.id, 8), 0.6) * (length(t.tpl) - 1))::integer
                else length(t.tpl) end as p,
           position('A' in t.tpl) as a,
           0.5 + bench.u(t.id, 9) as w
    from templates t
),
weighted as (
    select c.*,
           sum(c.w) over (order by c.id) as cum_w,
           sum(c.w) over () as total_w,
           :n_events - sum(c.p) over () as notes_total
    from cut c
)
select w.id, w.is_open, w.authority, w.tpl, w.sts, w.p, w.created_on,
       least(w.a, w.p) as j,
       (floor(w.notes_total * w.cum_w / w.total_w) - floor(w.notes_total * (w.cum_w - w.w) / w.total_w))::integer
           as m,
       w.notes_total
from weighted w;

do $$
begin
    if (select min(notes_total) from bench.plan) < 0 then
        raise exception 'n_events is too small for n_apps: the lives need % events',
            (select sum(p) from bench.plan);
    end if;
end;
$$;

alter table bench.plan add column n integer, add column span integer;
update bench.plan set
    n = p + m,
    -- Spread over up to 300 days; open ones end at least 2 days before today.
    span = case when is_open then greatest(1, floor((:'today'::date - 2 - created_on) * (0.3 + 0.7 * bench.u(id, 10))))::integer
                else least(20 + floor(bench.u(id, 10) * 280)::integer, :'today'::date - 2 - created_on) end;
alter table bench.plan add primary key (id);

begin;

-- New, empty relfilenodes: with wal_level = minimal the load below writes no WAL.
truncate alert_deliveries, sla_alerts, unclocked_applications, application_clocks, application_items,
         application_events, applications;

insert into applications (
    id, authority, licence_type, applicant, exporter, consignee, end_user, end_use, destination,
    authority_reference, owner, created_on, status, status_since, licence_number, licence_valid_until,
    last_event_seq, last_event_on, created_at, created_by, last_event, status_event_on, cycle_rfis,
    control_family)
overriding system value
select p.id, p.authority,
       case when bench.u(p.id, 11) < 0.85 then 'single' when bench.u(p.id, 11) < 0.97 then 'general' else 'other' end,
       format('Exporter %s', 1 + floor(bench.u(p.id, 12) * 20000)::integer),
       case when bench.u(p.id, 13) < 0.3 then format('Supplier %s', 1 + floor(bench.u(p.id, 13) * 100000)::integer) end,
       format('Consignee %s', 1 + floor(bench.u(p.id, 14) * 50000)::integer),
       format('End user %s', 1 + floor(bench.u(p.id, 15) * 50000)::integer),
       (array['Civil manufacturing', 'Research and development', 'Telecommunications infrastructure',
              'Medical equipment', 'Automotive production', 'Energy'])[1 + floor(bench.u(p.id, 16) * 6)::integer],
       (array['DE', 'FR', 'US', 'JP', 'KR', 'IN', 'BR', 'AE', 'SG', 'VN', 'MX', 'TR', 'ZA', 'AU', 'CA',
              'GB', 'NL', 'IT', 'ES', 'TH'])[1 + floor(bench.u(p.id, 17) * 20)::integer],
       case when p.p >= 2 then format('%s-%s-%s', p.authority, extract(year from p.created_on), lpad(p.id::text, 7, '0')) end,
       format('team-%s', p.id % 12),
       p.created_on,
       bench.status(substr(p.sts, p.p, 1)),
       bench.ev_date(p.id, case when p.p = p.j then p.j else p.n end, p.n, p.created_on, p.span),
       case when substr(p.sts, p.p, 1) = 'a' then format('LIC-%s-%s', p.authority, p.id) end,
       case when substr(p.sts, p.p, 1) = 'a' then bench.ev_date(p.id, p.n, p.n, p.created_on, p.span) + 730 end,
       p.n,
       bench.ev_date(p.id, p.n, p.n, p.created_on, p.span),
       p.created_on + time '09:00',
       'bench',
       -- The facts the event trigger keeps (0018): the last event (seq n: dates never decrease), the
       -- day of the last status event (every template event changes the status), the requests for
       -- information after the last submit, and the family of the one item's control code.
       case when p.p = p.j and p.m > 0 then 'note' else bench.kind(substr(p.tpl, p.p, 1)) end,
       bench.ev_date(p.id, case when p.p = p.j then p.j else p.n end, p.n, p.created_on, p.span),
       (select length(x) - length(replace(x, 'Q', ''))
        from (select substr(left(p.tpl, p.p), p.p - position('S' in reverse(left(p.tpl, p.p))) + 2) as x) r),
       control_code_family(bench.item_code(p.id, p.authority))
from bench.plan p;

-- One item per application, with a control code (the creation's: no add-item event).
insert into application_items (application_id, line_no, description, control_code, quantity, unit, added_at, added_by)
select p.id, 1, format('Controlled item %s', bench.item_code(p.id, p.authority)), bench.item_code(p.id, p.authority),
       1 + floor(bench.u(p.id, 20) * 500)::integer, 'kg', p.created_on + time '09:00', 'bench'
from bench.plan p;

-- The hash chain (0021): the load runs with session_replication_role = replica, so the hash trigger
-- is made to fire ALWAYS for this one INSERT. It chains each event to the one before it, which
-- this same statement inserted just before (the rows come in application and seq order), exactly
-- as it does for an event recorded by a clerk; verify.sql checks every chain with audit_verify().
alter table application_events enable always trigger application_events_zz_hash;

insert into application_events (
    application_id, seq, event, from_status, to_status, occurred_on, recorded_at, recorded_by, actor,
    note, authority_reference, licence_number, valid_until, reason, extend_by)
select p.id, s.seq, e.event,
       case when s.seq > 1 then bench.status(substr(p.sts, bench.tpos(s.seq - 1, p.j, p.m), 1)) end,
       bench.status(substr(p.sts, x.t, 1)),
       x.occurred_on,
       x.occurred_on + time '10:00',
       'bench',
       case when s.seq % 3 = 0 then 'clerk' || (p.id % 40) end,
       case when e.event = 'note' then 'Call with the case officer about the application' end,
       case when not x.is_note and x.t = 2 then format('%s-%s-%s', p.authority, extract(year from p.created_on), lpad(p.id::text, 7, '0')) end,
       case when e.event = 'approve' then format('LIC-%s-%s', p.authority, p.id) end,
       case when e.event = 'approve' then x.occurred_on + 730 end,
       case when e.event = 'delay'
            then (array['extension', 'referral', 'hold', 'backlog', 'other'])[1 + floor(bench.u(p.id, 18) * 5)::integer] end,
       case when e.event = 'delay' and bench.u(p.id, 18) < 0.2 then 10 end
from bench.plan p
cross join lateral generate_series(1, p.n) as s(seq)
cross join lateral (
    select bench.tpos(s.seq, p.j, p.m) as t,
           s.seq > p.j and s.seq <= p.j + p.m as is_note,
           bench.ev_date(p.id, s.seq, p.n, p.created_on, p.span) as occurred_on
) x
cross join lateral (
    select case when x.is_note then 'note' else bench.kind(substr(p.tpl, x.t, 1)) end as event
) e
order by p.id, s.seq;

alter table application_events enable trigger application_events_zz_hash;

select setval(pg_get_serial_sequence('applications', 'id'), (select max(id) from applications));

commit;
