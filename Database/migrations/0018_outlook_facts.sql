-- 0018_outlook_facts.sql
--
-- What a delay report and `app show` say about an application's log, kept on the application row
-- by the event trigger, so that a report over 100,000 open applications no longer replays 100,000
-- logs; and a status event may now be dated before a note, a stock record or an added item.
--
--   applications.last_event          the kind of the latest event (by date, then seq)
--   applications.status_event_on     the day of the latest status event (workflow_events.changes_status)
--   applications.cycle_rfis          requests for information since the latest submit
--   applications.stock_runs_out,
--               .stock_feeds,
--               .stock_recorded_on   the latest stock record (by date, then seq)
--   applications.control_family      the control-code family of the first item (by line) with a
--                                    control code; copied onto application_clocks, so that the
--                                    sample of a forecast is one index range
--
-- application_log_facts(ids, as_of) derives the same facts from the log, as of any day: it is the
-- definition, and the trigger keeps the stored copy of it for today (a test compares the two).
-- application_outlook() reads the stored facts when no event is dated after the as-of day, and the
-- log otherwise; the forecast's decisions read the stored elapsed_at_end (0012), as `report
-- authority` does, instead of projecting 300,000 closed clocks again.
--
-- Dates (issue 8: "a note blocks backdating"): an event is never dated before the latest STATUS
-- event. A note, a stock record or an added item no longer blocks a status event dated before it.
-- Status events stay in date order, so the status as of a day is still that of the latest event
-- (by seq) on or before it.


-- The facts ----------------------------------------------------------------------------------

alter table applications
    add column last_event         text,
    add column status_event_on    date,
    add column cycle_rfis         integer not null default 0,
    add column stock_runs_out     date,
    add column stock_feeds        text,
    add column stock_recorded_on  date,
    add column control_family     text;

comment on column applications.last_event is
    'The kind of the latest event (latest by occurred_on, then seq); last_event_on is its day.';
comment on column applications.status_event_on is
    'The day of the latest status event (workflow_events.changes_status): no event may be dated before it.';
comment on column applications.cycle_rfis is 'Requests for information (request-info) since the latest submit.';
comment on column applications.stock_runs_out is 'The latest stock record''s runs-out day (latest by date, then seq).';
comment on column applications.stock_feeds is 'What the latest stock record says the material feeds.';
comment on column applications.stock_recorded_on is 'The day of the latest stock record.';
comment on column applications.control_family is
    'control_code_family() of the first item (by line) with a control code: the forecast''s family.';

alter table application_clocks add column control_family text;

comment on column application_clocks.control_family is
    'The application''s control_family, copied when the clock is stored and when it is first set.';


-- The facts from the log ---------------------------------------------------------------------

-- Every application's log summarised as of a day (NULL: all of it): the one definition of the
-- stored facts above, and of what application_outlook() says of a day before the latest event.
--   * status: that of the latest event (by seq) on or before the day; status events are in date
--     order, and an event that changes no status carries the status it was recorded in;
--   * status_since: the day of the latest event that changed the status;
--   * the latest event and the latest stock record: by date, then seq;
--   * requests for information since the latest submit (by seq).
create function application_log_facts(p_application_ids bigint[], p_as_of date)
returns table (
    application_id     bigint,
    status             text,
    status_since       date,
    status_event_on    date,
    last_event         text,
    last_event_on      date,
    last_event_seq     integer,
    cycle_rfis         integer,
    stock_runs_out     date,
    stock_feeds        text,
    stock_recorded_on  date
)
language sql stable as $$
    select u.id, h.*
    from unnest(p_application_ids) as u(id)
    cross join lateral (
        -- Plain aggregates over the rows of one index scan: the values of the latest event and of
        -- the latest stock record are picked by their seq, so no aggregate sorts its input.
        select max(x.to_status) filter (where x.seq = x.last_seq),
               max(x.occurred_on) filter (where x.to_status is distinct from x.from_status),
               max(x.occurred_on) filter (where x.changes_status),
               max(x.event) filter (where x.seq = x.latest_seq),
               max(x.occurred_on),
               max(x.seq)::integer,
               (count(*) filter (where x.event = 'request-info' and x.seq > x.last_submit_seq))::integer,
               max(x.stock_runs_out) filter (where x.seq = x.stock_seq),
               max(x.feeds) filter (where x.seq = x.stock_seq),
               max(x.occurred_on) filter (where x.seq = x.stock_seq)
        from (
            select e.seq, e.event, e.from_status, e.to_status, e.occurred_on, e.stock_runs_out, e.feeds,
                   w.changes_status,
                   max(e.seq) over () as last_seq,
                   (max(array[e.occurred_on - date '2000-01-01', e.seq]) over ())[2] as latest_seq,
                   (max(array[e.occurred_on - date '2000-01-01', e.seq]) filter (where e.event = 'stock')
                        over ())[2] as stock_seq,
                   coalesce(max(e.seq) filter (where e.event = 'submit') over (), 0) as last_submit_seq
            from application_events e
            join workflow_events w on w.event = e.event
            where e.application_id = u.id and (p_as_of is null or e.occurred_on <= p_as_of)
        ) x
        having count(*) > 0
    ) h
$$;

comment on function application_log_facts(bigint[], date) is
    'Each application''s log summarised as of a day (NULL: all of it): status, status_since, the '
    'latest status event''s day, the latest event, requests for information since the latest submit, '
    'the latest stock record. The definition of the facts the event trigger stores on applications.';


-- Backfill, with the guard that refuses UPDATEs of applications set aside for the migration.
alter table applications disable trigger applications_guard;

update applications a
set last_event = f.last_event,
    status_event_on = f.status_event_on,
    cycle_rfis = f.cycle_rfis,
    stock_runs_out = f.stock_runs_out,
    stock_feeds = f.stock_feeds,
    stock_recorded_on = f.stock_recorded_on
from application_log_facts(array(select id from applications), null) f
where f.application_id = a.id;

update applications a
set control_family = f.family
from (
    select distinct on (i.application_id) i.application_id, control_code_family(i.control_code) as family
    from application_items i
    where i.control_code is not null
    order by i.application_id, i.line_no
) f
where f.application_id = a.id;

alter table applications enable trigger applications_guard;

update application_clocks k
set control_family = a.control_family
from applications a
where a.id = k.application_id and a.control_family is not null;

-- The control-code family of an application, now the stored one.
create or replace function application_control_family(p_application_id bigint)
returns table (family text)
language sql stable parallel safe as $$
    select a.control_family from applications a where a.id = p_application_id and a.control_family is not null
$$;

comment on function application_control_family(bigint) is
    'The control-code family (control_code_family) of an application''s first item with a control code '
    '(applications.control_family).';

-- Forecasts read one authority's decisions of a year in one unit: an index-only range scan.
drop index application_clocks_decisions_idx;
create index application_clocks_decisions_idx
    on application_clocks (authority, unit, ended_on) include (elapsed_at_end, control_family)
    where end_event in ('approve', 'deny') and started_on is not null;


-- The event trigger --------------------------------------------------------------------------

-- application_events_apply() as in 0002, with two changes:
--   * an event may not be dated before the latest STATUS event (it was: before the latest event),
--     so that a note, a stock record or an added item does not block a status event dated before
--     it; status events stay in date order;
--   * it keeps the facts above (last_event, status_event_on, cycle_rfis, the latest stock record)
--     as application_log_facts() defines them, and last_event_on is the latest day of any event.
create or replace function application_events_apply() returns trigger
language plpgsql as $$
declare
    app              applications%rowtype;
    v_to             text;
    v_today          date;
    v_allowed        text;
    v_status_event   boolean;
    v_latest         boolean;
begin
    select * into app from applications where id = new.application_id for update;
    if not found then
        raise exception 'application % does not exist', new.application_id
            using errcode = 'LT404';
    end if;

    -- Where does this event lead from the current status?
    if new.event = 'create' then
        if app.last_event_seq <> 0 then
            raise exception 'application % already has a create event', app.id
                using errcode = 'LT001';
        end if;
        v_to := 'draft';
        app.status := null;
    else
        select t.to_status into v_to
        from workflow_transitions t
        where t.event = new.event and t.from_status = app.status;

        if not found then
            select string_agg(t.event, ', ' order by e.sort_order) into v_allowed
            from workflow_transitions t join workflow_events e using (event)
            where t.from_status = app.status and e.changes_status;

            raise exception 'cannot % application %: it is %', new.event, app.id, app.status
                using errcode = 'LT001',
                      detail = format('event=%s status=%s', new.event, app.status),
                      hint = case when v_allowed is null
                                  then format('%s is final; no further status changes are allowed', app.status)
                                  else format('allowed from %s: %s', app.status, v_allowed) end;
        end if;

        -- A NULL target means "back where it was before the current status".
        if v_to is null then
            v_to := application_status_before(app.id, app.status);
        end if;
    end if;

    -- Dates: backdating is fine, but never before the previous status event and never in the future.
    v_today := authority_today(app.authority);
    new.occurred_on := coalesce(new.occurred_on, v_today);
    if new.occurred_on > v_today then
        raise exception '% is in the future: today is % in % (%)',
            new.occurred_on, v_today, app.authority,
            (select time_zone from authorities where code = app.authority)
            using errcode = 'LT003';
    end if;
    select w.changes_status into v_status_event from workflow_events w where w.event = new.event;
    if new.occurred_on < app.status_event_on then
        raise exception '% is before the previous status event of application % (on %)',
            new.occurred_on, app.id, app.status_event_on
            using errcode = 'LT002',
                  hint = 'status events are recorded in the order they happened; a later correction is a new event';
    end if;

    -- Details that belong to particular events.
    if new.event = 'delay' and new.reason is null then
        raise exception 'a delay needs a reason: extension, referral, hold, backlog or other'
            using errcode = 'LT004';
    end if;
    if new.event <> 'delay' and new.reason is not null then
        raise exception 'only a delay takes a reason' using errcode = 'LT004';
    end if;
    if new.event <> 'approve' and (new.licence_number is not null or new.valid_until is not null) then
        raise exception 'only an approval takes a licence number or validity date' using errcode = 'LT004';
    end if;
    if new.valid_until is not null and new.valid_until < new.occurred_on then
        raise exception 'the licence cannot expire (%) before it was granted (%)',
            new.valid_until, new.occurred_on
            using errcode = 'LT004';
    end if;
    if new.event = 'note' and coalesce(btrim(new.note), '') = '' then
        raise exception 'a note needs text' using errcode = 'LT004';
    end if;

    -- What the database knows better than the caller.
    new.seq := app.last_event_seq + 1;
    new.from_status := app.status;
    new.to_status := v_to;
    new.recorded_at := now();
    new.recorded_by := session_user;
    new.actor := coalesce(nullif(btrim(new.actor), ''),
                          nullif(current_setting('lictrack.actor', true), ''));

    -- The latest event is the latest by date, then seq: a status event may be dated before a note.
    v_latest := app.last_event_on is null or new.occurred_on >= app.last_event_on;

    update applications set
        status              = v_to,
        status_since        = case when v_to is distinct from app.status
                                   then new.occurred_on else status_since end,
        status_event_on     = case when v_status_event then new.occurred_on else status_event_on end,
        last_event_seq      = new.seq,
        last_event_on       = greatest(last_event_on, new.occurred_on),
        last_event          = case when v_latest then new.event else last_event end,
        cycle_rfis          = case new.event when 'submit' then 0
                                             when 'request-info' then cycle_rfis + 1
                                             else cycle_rfis end,
        stock_runs_out      = case when new.event = 'stock' and (stock_recorded_on is null
                                                                 or new.occurred_on >= stock_recorded_on)
                                   then new.stock_runs_out else stock_runs_out end,
        stock_feeds         = case when new.event = 'stock' and (stock_recorded_on is null
                                                                 or new.occurred_on >= stock_recorded_on)
                                   then new.feeds else stock_feeds end,
        stock_recorded_on   = case when new.event = 'stock' and (stock_recorded_on is null
                                                                 or new.occurred_on >= stock_recorded_on)
                                   then new.occurred_on else stock_recorded_on end,
        authority_reference = coalesce(new.authority_reference, authority_reference),
        licence_number      = coalesce(new.licence_number, licence_number),
        licence_valid_until = coalesce(new.valid_until, licence_valid_until)
    where id = app.id;

    return new;
end;
$$;


-- The control-code family --------------------------------------------------------------------

-- Sets the application's control_family (and its clocks') when an item brings the first control
-- code. Items are numbered in the order they are added (application_items_before_insert), so a
-- later item never comes before one that has a control code.
create function application_items_set_family() returns trigger
language plpgsql as $$
begin
    if new.control_code is not null then
        update applications
        set control_family = control_code_family(new.control_code)
        where id = new.application_id and control_family is null;
        if found then
            update application_clocks
            set control_family = control_code_family(new.control_code)
            where application_id = new.application_id;
        end if;
    end if;
    return null;
end;
$$;

create trigger application_items_set_family
    after insert on application_items
    for each row execute function application_items_set_family();

-- Copies the application's control_family onto a new clock.
create function application_clocks_set_family() returns trigger
language plpgsql as $$
begin
    new.control_family := (select a.control_family from applications a where a.id = new.application_id);
    return new;
end;
$$;

create trigger application_clocks_set_family
    before insert on application_clocks
    for each row execute function application_clocks_set_family();

-- CREATE OR REPLACE reset application_events_apply's rights: like the other triggers that move an
-- application, these run with the owner's rights on a pinned search_path (0002).
do $$
begin
    execute format('alter function application_events_apply() security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function application_items_set_family() security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function application_clocks_set_family() security definer set search_path = %I, pg_temp',
                   current_schema());
end;
$$;


-- An application as of a day -----------------------------------------------------------------

-- application_outlook() as in 0016 (its definitions are 0009's, listed there), reading:
--   * the stored facts of the application row where no event is dated after the as-of day, and
--     application_log_facts() up to the as-of day otherwise;
--   * the stored control-code family;
--   * the decisions' stored elapsed_at_end, from one index-only range per authority and unit.
create or replace function application_outlook(p_application_ids bigint[], p_as_of date)
returns table (
    application_id        bigint,
    as_of                 date,
    authority             text,
    authority_reference   text,
    status                text,
    status_since          date,
    days_in_status        integer,
    destination           text,
    applicant             text,
    owner                 text,
    cycle                 integer,
    target                integer,
    extension             integer,
    unit                  text,
    calendar              text,
    started_on            date,
    deadline              date,
    elapsed               integer,
    remaining             integer,
    paused                integer,
    state                 text,
    provisional           boolean,
    overdue               integer,
    rfis                  integer,
    last_event            text,
    last_event_on         date,
    forecast_sample       integer,
    forecast_p50          date,
    forecast_p90          date,
    forecast_p50_elapsed  integer,
    forecast_p90_elapsed  integer,
    forecast_reason       text,
    forecast_provisional  boolean,
    stock_runs_out        date,
    stock_feeds           text,
    stock_recorded_on     date,
    supply_days_short     integer
)
language sql stable as $$
with asked as materialized (
    select a.id, a.authority, a.authority_reference, a.destination, a.applicant, a.owner, a.status,
           a.status_since, a.last_event, a.last_event_on, a.cycle_rfis, a.stock_runs_out, a.stock_feeds,
           a.stock_recorded_on, a.control_family, d.as_of,
           coalesce(a.last_event_on <= d.as_of, false) as facts_are_current
    from unnest(p_application_ids) as u(id)
    join applications a on a.id = u.id
    join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
      on d.code = a.authority
),
history as materialized (
    -- The stored facts (0018) where no event is dated after the as-of day; else the log up to it.
    select q.id as application_id, q.status, q.status_since, q.last_event, q.last_event_on,
           q.cycle_rfis as rfis, q.stock_runs_out, q.stock_feeds, q.stock_recorded_on
    from asked q
    where q.facts_are_current
    union all
    select f.application_id, f.status, f.status_since, f.last_event, f.last_event_on, f.cycle_rfis,
           f.stock_runs_out, f.stock_feeds, f.stock_recorded_on
    from (select q.as_of, array_agg(q.id) as ids from asked q where not q.facts_are_current group by q.as_of) d
    cross join lateral application_log_facts(d.ids, d.as_of) f
),
clocks as materialized (
    select * from sla_clocks_as_of(p_application_ids, p_as_of)
),
asof_days as (
    -- The unit index of each as-of day, once per unit, calendar and day.
    select w.unit, w.calendar, w.as_of, di.idx as asof_idx
    from (select distinct c.unit, c.calendar, c.as_of from clocks c) w
    cross join lateral clock_index(w.unit, w.calendar, w.as_of) di
),
running as materialized (
    -- Clocks that are running on the as-of day, with the unit index of that day and the family.
    select c.application_id, c.as_of, c.authority, c.unit, c.calendar, c.started_on, c.elapsed,
           ad.asof_idx, q.control_family as family
    from clocks c
    join asked q on q.id = c.application_id
    join asof_days ad
      on ad.unit = c.unit and coalesce(ad.calendar, '') = coalesce(c.calendar, '') and ad.as_of = c.as_of
    where c.started_on is not null and c.ended_on is null and c.elapsed is not null and ad.asof_idx is not null
),
decisions as materialized (
    -- The decisions (approve, deny) a forecast may rest on: same authority and unit, dated in the
    -- 365 days up to the as-of day, each with the clock's elapsed at the decision (elapsed_at_end,
    -- 0012: units in (start, decision] less the paused units, as `report authority` reads it) and
    -- the application's control-code family (0018). One index-only range per authority and unit.
    select w.as_of, w.authority, w.unit, k.family, k.elapsed_at_decision
    from (select distinct r.as_of, r.authority, r.unit from running r) w
    cross join lateral (
        select k.control_family as family, k.elapsed_at_end as elapsed_at_decision
        from application_clocks k
        where k.authority = w.authority
          and k.unit = w.unit
          and k.end_event in ('approve', 'deny')
          and k.started_on is not null
          and k.ended_on > w.as_of - 365 and k.ended_on <= w.as_of
          and k.elapsed_at_end is not null
        -- Not pulled up into a join, so that each range is an index-only scan.
        offset 0
    ) k
),
families as (
    select d.as_of, d.authority, d.unit, d.family, count(*) as decided
    from decisions d
    where d.family is not null
    group by d.as_of, d.authority, d.unit, d.family
),
keyed as materialized (
    -- Each running clock's sample: its family's decisions when there are at least 20, else its
    -- authority's ('*').
    select r.*, coalesce(r.calendar, '') as calendar_key,
           case when fm.decided >= 20 then r.family else '*' end as sample_key
    from running r
    left join families fm
           on (fm.as_of, fm.authority, fm.unit, fm.family) = (r.as_of, r.authority, r.unit, r.family)
),
distribution as materialized (
    -- Each sample's elapsed values, a count per value, cumulated in ascending order: cum is the
    -- number of values at or below v, total the sample's size. Only the samples that are used.
    select g.*,
           sum(g.cnt) over (partition by g.as_of, g.authority, g.unit, g.sample_key order by g.v) as cum,
           sum(g.cnt) over (partition by g.as_of, g.authority, g.unit, g.sample_key) as total
    from (
        select s.as_of, s.authority, s.unit, s.sample_key, s.v, count(*) as cnt
        from (
            select d.as_of, d.authority, d.unit, '*' as sample_key, d.elapsed_at_decision as v
            from decisions d
            union all
            select d.as_of, d.authority, d.unit, d.family, d.elapsed_at_decision
            from decisions d
            where (d.as_of, d.authority, d.unit, d.family)
                  in (select k.as_of, k.authority, k.unit, k.sample_key from keyed k where k.sample_key <> '*')
        ) s
        group by s.as_of, s.authority, s.unit, s.sample_key, s.v
    ) g
),
asked_forecasts as materialized (
    -- The distinct forecasts to make: a few thousand, however many applications share them.
    select distinct k.as_of, k.authority, k.unit, k.calendar, k.calendar_key, k.sample_key, k.elapsed,
           k.asof_idx
    from keyed k
),
conditioned as materialized (
    -- For each elapsed value e asked about: n, the sample's size, and c, its values at or below e.
    -- Those still undecided at e are the m = n - c values above it, the sample's ranks c + 1 .. n.
    select e.as_of, e.authority, e.unit, e.sample_key, e.elapsed,
           coalesce(max(b.total), 0) as n,
           coalesce(max(b.cum) filter (where b.v <= e.elapsed), 0) as c
    from (select distinct f.as_of, f.authority, f.unit, f.sample_key, f.elapsed from asked_forecasts f) e
    left join distribution b
           on (b.as_of, b.authority, b.unit, b.sample_key) = (e.as_of, e.authority, e.unit, e.sample_key)
    group by e.as_of, e.authority, e.unit, e.sample_key, e.elapsed
),
quantiles as materialized (
    -- percentile_disc(p) of m sorted values is the value at rank ceil(p * m) among them, which is
    -- rank c + ceil(p * m) of the whole sample: the value whose cumulative count first reaches it
    -- (cum - cnt < rank <= cum), at least 5 of them.
    select q.as_of, q.authority, q.unit, q.sample_key, q.elapsed, (q.n - q.c)::integer as sample,
           r50.v as p50, r90.v as p90
    from conditioned q
    left join distribution r50
           on q.n - q.c >= 5
          and (r50.as_of, r50.authority, r50.unit, r50.sample_key) = (q.as_of, q.authority, q.unit, q.sample_key)
          and r50.cum >= q.c + ceil(0.5::float8 * (q.n - q.c))::bigint
          and r50.cum - r50.cnt < q.c + ceil(0.5::float8 * (q.n - q.c))::bigint
    left join distribution r90
           on q.n - q.c >= 5
          and (r90.as_of, r90.authority, r90.unit, r90.sample_key) = (q.as_of, q.authority, q.unit, q.sample_key)
          and r90.cum >= q.c + ceil(0.9::float8 * (q.n - q.c))::bigint
          and r90.cum - r90.cnt < q.c + ceil(0.9::float8 * (q.n - q.c))::bigint
),
dated as materialized (
    -- The percentiles placed on the calendar, once per distinct forecast: a clock at elapsed e on
    -- the as-of day (index i) reaches elapsed p on the day with index i + (p - e).
    select w.*, qn.sample, qn.p50, qn.p90, d50.day as p50_on, d90.day as p90_on
    from asked_forecasts w
    join quantiles qn
      on (qn.as_of, qn.authority, qn.unit, qn.sample_key, qn.elapsed)
         = (w.as_of, w.authority, w.unit, w.sample_key, w.elapsed)
    left join lateral clock_day(w.unit, w.calendar, w.asof_idx + qn.p50 - w.elapsed) d50 on qn.p50 is not null
    left join lateral clock_day(w.unit, w.calendar, w.asof_idx + qn.p90 - w.elapsed) d90 on qn.p90 is not null
),
forecasts as (
    select k.application_id, dt.sample, dt.p50, dt.p90, dt.p50_on, dt.p90_on,
           k.unit = 'working_days'
               and (dt.p90_on is null or dt.p90_on >= cc.uncertain_from or k.started_on < cc.loaded_from)
               as provisional
    from keyed k
    join dated dt
      on (dt.as_of, dt.authority, dt.unit, dt.calendar_key, dt.sample_key, dt.elapsed)
         = (k.as_of, k.authority, k.unit, k.calendar_key, k.sample_key, k.elapsed)
    left join calendar_certainty cc on cc.calendar = k.calendar
)
select q.id, q.as_of, q.authority, q.authority_reference, h.status, h.status_since,
       q.as_of - h.status_since, q.destination, q.applicant, q.owner,
       c.cycle, c.target, c.extension, c.unit, c.calendar, c.started_on, c.deadline, c.elapsed, c.remaining,
       c.paused, coalesce(c.state, 'not_started'), coalesce(c.provisional, false), coalesce(c.overdue, 0),
       coalesce(h.rfis, 0), h.last_event, h.last_event_on,
       f.sample, f.p50_on, f.p90_on, f.p50, f.p90,
       case when f.sample < 5 then 'too few decided applications'
            when f.application_id is not null and f.p90_on is null then 'beyond the loaded calendar'
       end,
       case when f.sample < 5 then false else f.provisional end,
       h.stock_runs_out, h.stock_feeds, h.stock_recorded_on,
       case when h.stock_runs_out is not null
                 and not st.is_final
                 and c.started_on is not null and c.ended_on is null
                 and coalesce(f.p90_on, c.deadline) > h.stock_runs_out
            then coalesce(f.p90_on, c.deadline) - h.stock_runs_out
       end
from asked q
left join history h on h.application_id = q.id
left join application_statuses st on st.status = h.status
left join clocks c on c.application_id = q.id
left join forecasts f on f.application_id = q.id
$$;


comment on function application_outlook(bigint[], date) is
    'Everything a delay report says about each application as of a day: status and days in it, clock, '
    'days overdue, requests for information, last event, decision forecast (p50, p90) and supply risk.';


-- The delays report --------------------------------------------------------------------------

-- report_delays() as in 0009, with p_at_supply_risk: only the open applications at supply risk
-- (the "Supply risk" section of `lictrack report delays`), in the same order. Only applications
-- with a stock record can be at risk, so those are the only ones whose outlook it computes.
drop function report_delays(date, text[], text[], text[], text[]);

create function report_delays(
    p_as_of date, p_authorities text[], p_destinations text[], p_control_codes text[], p_owners text[],
    p_at_supply_risk boolean default false)
returns table (
    ordinal               bigint,
    application_id        bigint,
    as_of                 date,
    authority             text,
    authority_reference   text,
    status                text,
    status_since          date,
    days_in_status        integer,
    destination           text,
    applicant             text,
    owner                 text,
    cycle                 integer,
    target                integer,
    extension             integer,
    unit                  text,
    calendar              text,
    started_on            date,
    deadline              date,
    elapsed               integer,
    remaining             integer,
    paused                integer,
    state                 text,
    provisional           boolean,
    overdue               integer,
    rfis                  integer,
    last_event            text,
    last_event_on         date,
    forecast_sample       integer,
    forecast_p50          date,
    forecast_p90          date,
    forecast_p50_elapsed  integer,
    forecast_p90_elapsed  integer,
    forecast_reason       text,
    forecast_provisional  boolean,
    stock_runs_out        date,
    stock_feeds           text,
    stock_recorded_on     date,
    supply_days_short     integer
)
language sql stable as $$
    select row_number() over (
               order by o.state = 'breached' desc,
                        o.overdue desc,
                        case when o.state in ('on_track', 'due_soon', 'breached', 'paused') then o.remaining end
                            asc nulls last,
                        o.days_in_status desc nulls last,
                        o.application_id),
           o.*
    from application_outlook(array(
             -- Candidates: open now, or with events after the as-of day (perhaps open then); in
             -- scope (without a filter every application is, and report_scope is not joined).
             select a.id
             from applications a
             join application_statuses s on s.status = a.status
             join (select x.code, coalesce(p_as_of, authority_today(x.code)) as as_of from authorities x offset 0) d
               on d.code = a.authority
             where a.created_on <= d.as_of
               and (not s.is_final or a.last_event_on > d.as_of)
               and (not p_at_supply_risk or a.stock_recorded_on is not null)
               and (not report_filtered(p_authorities, p_destinations, p_control_codes, p_owners)
                    or a.id in (select r.application_id
                                from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) r))),
           p_as_of) o
    join application_statuses s on s.status = o.status
    where not s.is_final
      and (not p_at_supply_risk or o.supply_days_short is not null)
    order by 1
$$;

comment on function report_delays(date, text[], text[], text[], text[], boolean) is
    'lictrack report delays: every open application in scope as of a day (or only those at supply risk), '
    'most urgent first, with its clock, days overdue, requests for information, last event, forecast and '
    'supply risk.';


-- The open backlog over the last weeks (the chart of `report delays --format html`) -----------

-- report_open_backlog_weekly() as in 0013, with the same definition of "open at the end of a day",
-- reading the cycles from the stored clocks (report_cycles, 0012) as report throughput does,
-- instead of pairing every submit with its decision over the whole event log (7 s of the 12 s that
-- the HTML report took at 1,000,000 applications). A cycle submitted and decided by the end of the
-- oldest week adds +1 and -1 to the same week, so only the others are read.
create or replace function report_open_backlog_weekly(
    p_as_of date, p_weeks integer,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (
    week_end   date,
    authority  text,
    open       integer
)
language plpgsql stable as $$
#variable_conflict use_column
declare
    v_oldest_end  date;
    v_filtered    boolean;
    v_unclocked   bigint[];
begin
    if p_as_of is null then
        raise exception 'report_open_backlog_weekly needs a day' using errcode = '22023';
    end if;
    if p_weeks is null or p_weeks < 1 or p_weeks > 1000 then
        raise exception 'report_open_backlog_weekly over % weeks: expected 1 to 1000', coalesce(p_weeks::text, 'NULL')
            using errcode = '22023';
    end if;
    v_oldest_end := p_as_of - 7 * (p_weeks - 1);
    v_filtered := report_filtered(p_authorities, p_destinations, p_control_codes, p_owners);
    v_unclocked := report_unclocked(p_authorities, p_destinations, p_control_codes, p_owners);

    return query
    with authorities_in_scope as (
        -- Every authority with applications in scope (from the authorities when nothing is filtered).
        select distinct a.authority
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
        where v_filtered
        union all
        select au.code
        from authorities au
        where not v_filtered
          and exists (select 1 from applications a where a.authority = au.code)
    ),
    cycles as materialized (
        select c.authority, c.submitted_on, c.decided_on
        from report_cycles(v_unclocked) c
        where c.submitted_on <= p_as_of
          and (c.decided_on is null or c.decided_on > v_oldest_end)
          and (not v_filtered
               or c.application_id in (select sc.application_id
                                       from report_scope(p_authorities, p_destinations, p_control_codes,
                                                         p_owners) sc))
    ),
    moves as (
        -- +1 on the submit's day, -1 on the decision's day; nothing after p_as_of counts.
        select c.authority, c.submitted_on as day, 1 as delta
        from cycles c
        union all
        select c.authority, c.decided_on, -1
        from cycles c
        where c.decided_on <= p_as_of
    ),
    per_week as (
        -- The latest week whose end the move counts in (p_weeks - 1 for moves before the oldest).
        select m.authority, least((p_as_of - m.day) / 7, p_weeks - 1) as week, sum(m.delta) as delta
        from moves m
        group by 1, 2
    )
    select p_as_of - 7 * w.week,
           au.authority,
           coalesce(sum(pw.delta) over (partition by au.authority order by w.week desc), 0)::integer
    from authorities_in_scope au
    cross join generate_series(0, p_weeks - 1) as w(week)
    left join per_week pw on pw.authority = au.authority and pw.week = w.week
    order by 1, 2;
end;
$$;

comment on function report_open_backlog_weekly(date, integer, text[], text[], text[], text[]) is
    'report delays chart: per authority, the cycles open at the end of each of the p_weeks weeks ending on '
    'p_as_of (week ends p_as_of - 7k), counted as report_throughput counts its open backlog.';


-- Settings -----------------------------------------------------------------------------------

do $$
begin
    -- As in 0009 and 0016 (CREATE OR REPLACE reset them).
    alter function application_outlook(bigint[], date) set jit = off;
    alter function application_outlook(bigint[], date) set work_mem = '64MB';
    alter function report_delays(date, text[], text[], text[], text[], boolean) set jit = off;
    alter function report_delays(date, text[], text[], text[], text[], boolean) set enable_nestloop = off;
    alter function report_open_backlog_weekly(date, integer, text[], text[], text[], text[]) set jit = off;
end;
$$;
