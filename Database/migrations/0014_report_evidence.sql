-- 0014_report_evidence.sql
--
-- What `lictrack report evidence ID...` needs to document a delay for an escalation through an
-- embassy, a chamber of commerce or a trade body (Docs/reports.md): one set-based statement that
-- gives, per application and event up to a day,
--
--   * the event as recorded (day, what happened, the authority's reference, the reason of a delay,
--     the note, a stock record);
--   * the clock as of that event's day, from sla_clocks_as_of() (the one implementation of the
--     as-of rules, migration 0009; no counting rule is restated here);
--   * for a request for information, the day it was answered (the first provide-info after it) and
--     the calendar days taken, or the days it has been open;
--   * per application (repeated on each of its rows): the authority's full name, the destination's
--     name, the legal basis of the clock (sla_policies.basis) and the outlook as of the report day
--     (application_outlook(): the clock, the units overdue, the forecast and the stock record).
--
-- The wording is the command's (Swift presentation); every figure comes from here.


create function report_evidence(p_application_ids bigint[], p_as_of date)
returns table (
    application_ordinal   bigint,
    application_id        bigint,
    as_of                 date,
    authority             text,
    authority_name        text,
    authority_reference   text,
    applicant             text,
    destination           text,
    destination_name      text,
    basis                 text,
    seq                   integer,
    event                 text,
    occurred_on           date,
    from_status           text,
    to_status             text,
    event_reference       text,
    licence_number        text,
    delay_reason          text,
    extend_by             integer,
    note                  text,
    event_runs_out        date,
    event_feeds           text,
    clock_cycle           integer,
    clock_elapsed         integer,
    clock_target          integer,
    clock_unit            text,
    clock_deadline        date,
    clock_remaining       integer,
    clock_state           text,
    clock_provisional     boolean,
    answered_on           date,
    days_to_answer        integer,
    now_status            text,
    now_elapsed           integer,
    now_target            integer,
    now_unit              text,
    now_deadline          date,
    now_state             text,
    now_provisional       boolean,
    overdue               integer,
    forecast_p90          date,
    stock_runs_out        date,
    stock_feeds           text,
    supply_days_short     integer
)
language sql stable as $$
with asked as (
    -- The applications in the order asked (first occurrence), each with its report day.
    select a.id, a.authority, a.authority_reference, a.applicant, a.destination, a.licence_type, d.as_of,
           min(u.n) as ordinal
    from unnest(p_application_ids) with ordinality as u(id, n)
    join applications a on a.id = u.id
    join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
      on d.code = a.authority
    group by a.id, a.authority, a.authority_reference, a.applicant, a.destination, a.licence_type, d.as_of
),
events as (
    -- The log up to the report day.
    select q.id as application_id, e.seq, e.event, e.occurred_on, e.from_status, e.to_status,
           e.authority_reference, e.licence_number, e.reason, e.extend_by, e.note, e.stock_runs_out, e.feeds
    from asked q
    join application_events e on e.application_id = q.id and e.occurred_on <= q.as_of
),
event_days as (
    -- Every day on which something happened, with the applications it happened to, once.
    select e.occurred_on as day, array_agg(distinct e.application_id) as ids
    from events e
    group by e.occurred_on
),
clocks_then as (
    -- The clock of each application as of each of its event days.
    select d.day, c.*
    from event_days d
    cross join lateral sla_clocks_as_of(d.ids, d.day) c
),
answers as (
    -- Each request for information with the first provide-info after it.
    select r.application_id, r.seq, min(p.occurred_on) as answered_on
    from events r
    left join events p on p.application_id = r.application_id and p.event = 'provide-info' and p.seq > r.seq
    where r.event = 'request-info'
    group by r.application_id, r.seq
),
outlook as (
    -- Each application once (application_outlook() gives a row per element it is given).
    select * from application_outlook(array(select q.id from asked q), p_as_of)
)
select q.ordinal, q.id, q.as_of, q.authority, au.name, q.authority_reference, q.applicant, q.destination,
       co.name, pol.basis,
       e.seq, e.event, e.occurred_on, e.from_status, e.to_status, e.authority_reference, e.licence_number,
       e.reason, e.extend_by, e.note, e.stock_runs_out, e.feeds,
       ct.cycle, ct.elapsed, ct.target, ct.unit, ct.deadline, ct.remaining, ct.state, ct.provisional,
       an.answered_on,
       case when e.event = 'request-info' then coalesce(an.answered_on, q.as_of) - e.occurred_on end,
       o.status, o.elapsed, o.target, o.unit, o.deadline, o.state, o.provisional, o.overdue, o.forecast_p90,
       o.stock_runs_out, o.stock_feeds, o.supply_days_short
from asked q
join authorities au on au.code = q.authority
join countries co on co.code = q.destination
left join lateral sla_policy_for(q.authority, q.licence_type) pol on true
left join outlook o on o.application_id = q.id
left join events e on e.application_id = q.id
left join clocks_then ct on ct.application_id = q.id and ct.day = e.occurred_on
left join answers an on an.application_id = q.id and an.seq = e.seq
order by q.ordinal, e.seq
$$;

comment on function report_evidence(bigint[], date) is
    'lictrack report evidence: per application (in the order given) and event up to a day, the event, '
    'the clock as of its day, the answer to a request for information, and the application''s authority, '
    'legal basis, clock, units overdue and stock record as of the day.';

do $$
begin
    -- As for the other report functions (0009): no JIT for these short reads.
    alter function report_evidence(bigint[], date) set jit = off;
end;
$$;
