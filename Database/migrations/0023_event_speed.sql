-- 0023_event_speed.sql
--
-- What one event verb costs on a fresh connection (issue 10):
--   * sla_clock_stored(): the clock an event verb prints is the one the event trigger has just
--     stored, projected onto the day. sla_clock_as_of() would plan sla_compute() a second time
--     (its log branch is planned even when the stored clock is current) for the same answer;
--     the stored clock was computed by the same statement, so it is current. A test compares the
--     two over random histories, as of each event's day and as of today;
--   * calendar_certainty: a table kept by the calendar triggers instead of a view of three
--     aggregates, so that every plan that joins it (sla_compute in the event trigger, the
--     projections) reads a row instead of planning subqueries.


-- The stored clock on a day -------------------------------------------------------------------

-- The current cycle's stored clock (application_clocks), projected onto a day by
-- sla_clocks_project(): the columns of sla_clock_as_of(). Equal to it whenever the stored clock
-- is current, which it is right after any event (the event trigger stores it).
create function sla_clock_stored(p_application_id bigint, p_as_of date)
returns table (
    cycle        integer,
    target       integer,
    extension    integer,
    unit         text,
    calendar     text,
    started_on   date,
    deadline     date,
    elapsed      integer,
    remaining    integer,
    paused       integer,
    state        text,
    provisional  boolean
)
language sql stable as $$
    select k.cycle, p.target, k.extension, k.unit, k.calendar, k.started_on, p.deadline, p.elapsed,
           p.remaining, p.paused, p.state::text, p.provisional
    from (
        select c.*
        from application_clocks c
        where c.application_id = p_application_id
        order by c.cycle desc
        limit 1
    ) k
    cross join lateral sla_clocks_project(
        array[row(k.application_id, k.cycle, k.authority, k.unit, k.calendar, k.target, k.extension,
                  k.started_on, k.ended_on, k.end_event, k.paused_units, k.pause_open_since, k.deadline,
                  k.warn_on, k.provisional)::sla_cycle_clock],
        p_as_of) p
$$;

comment on function sla_clock_stored(bigint, date) is
    'The current cycle''s stored clock projected onto a day: sla_clock_as_of() without replaying the log, '
    'for the verbs that have just recorded an event (which stored the clock).';


-- Calendar certainty, kept ----------------------------------------------------------------------

-- 0004's view, as a table with the same name and columns, so that the functions that join it
-- (sla_compute, sla_clocks_project, the reports) read one row per calendar.
drop view calendar_certainty;

create table calendar_certainty (
    calendar        text primary key references calendars (code) on delete cascade,
    loaded_from     date,
    uncertain_from  date
);

comment on table calendar_certainty is
    'Per calendar: the first loaded day, and the first day that is provisional or not loaded. Kept by '
    'the triggers on calendars, calendar_days and calendar_years from calendar_certainty_bounds().';

-- The definition (0004's view): per calendar, the first loaded day, and the first day that is
-- provisional (the first day of its first provisional year) or not loaded.
create function calendar_certainty_bounds()
returns table (calendar text, loaded_from date, uncertain_from date)
language sql stable as $$
    select c.code,
           (select min(d.day) from calendar_days d where d.calendar_code = c.code),
           least((select make_date(min(y.year), 1, 1) from calendar_years y
                  where y.calendar_code = c.code and y.provisional),
                 (select max(d.day) + 1 from calendar_days d where d.calendar_code = c.code))
    from calendars c
$$;

-- Writes the bounds of every calendar that changed. Statement-level: a calendar import of 365
-- days recomputes once.
create function calendar_certainty_refresh() returns trigger
language plpgsql as $$
begin
    insert into calendar_certainty as cc (calendar, loaded_from, uncertain_from)
    select b.calendar, b.loaded_from, b.uncertain_from
    from calendar_certainty_bounds() b
    on conflict (calendar) do update
        set loaded_from = excluded.loaded_from, uncertain_from = excluded.uncertain_from
        where (cc.loaded_from, cc.uncertain_from) is distinct from (excluded.loaded_from, excluded.uncertain_from);
    return null;
end;
$$;

create trigger calendars_certainty
    after insert or update on calendars
    for each statement execute function calendar_certainty_refresh();
create trigger calendar_days_certainty
    after insert or update or delete or truncate on calendar_days
    for each statement execute function calendar_certainty_refresh();
create trigger calendar_years_certainty
    after insert or update or delete or truncate on calendar_years
    for each statement execute function calendar_certainty_refresh();

do $$
begin
    -- Whoever may change a calendar keeps its certainty too, without rights on this table.
    execute format('alter function calendar_certainty_refresh() security definer set search_path = %I, pg_temp',
                   current_schema());
end;
$$;

-- The bounds of today's calendars.
insert into calendar_certainty (calendar, loaded_from, uncertain_from)
select b.calendar, b.loaded_from, b.uncertain_from from calendar_certainty_bounds() b;
