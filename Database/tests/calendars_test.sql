-- Assertions for Database/migrations/0003_calendars.sql (working-day calendars).
--
-- Run with psql on a database where the migration has been applied (NOT with --single-transaction:
-- the import tests run in their own transaction and roll it back, leaving the data unchanged):
--
--   psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -f Database/tests/calendars_test.sql
--
-- Every check raises an exception on mismatch, so psql stops with a non-zero exit status at the
-- first failure. Each block is self-contained, to be ported to Swift tests one by one.

\set ON_ERROR_STOP on
set client_min_messages = warning;

-- expect(label, got, want): raise unless got is not distinct from want.
create function pg_temp.expect(p_label text, p_got anycompatible, p_want anycompatible)
returns void
language plpgsql
as $$
begin
    if p_got is distinct from p_want then
        raise exception 'FAILED %: got %, want %', p_label, coalesce(p_got::text, 'NULL'), coalesce(p_want::text, 'NULL');
    end if;
end;
$$;

-- expect_error(label, sql, sqlstate, message fragment): the statement must fail that way.
create function pg_temp.expect_error(p_label text, p_sql text, p_state text, p_fragment text)
returns void
language plpgsql
as $$
begin
    begin
        execute p_sql;
    exception
        when others then
            if sqlstate <> p_state or position(p_fragment in sqlerrm) = 0 then
                raise exception 'FAILED %: got error % "%", want % containing "%"',
                    p_label, sqlstate, sqlerrm, p_state, p_fragment;
            end if;
            return;
    end;
    raise exception 'FAILED %: no error, want % containing "%"', p_label, p_state, p_fragment;
end;
$$;

\echo 'seed: calendars, years, every day, index'
do $$
begin
    perform pg_temp.expect('calendars',
        (select string_agg(code || '=' || time_zone, ' ' order by code) from calendars),
        'CN=Asia/Shanghai DE=Europe/Berlin GB-ENG=Europe/London US=America/New_York');
    perform pg_temp.expect('calendar years loaded',
        (select count(*) from calendar_years where year between 2024 and 2027)::int, 16);
    perform pg_temp.expect('only CN 2027 is provisional',
        (select string_agg(calendar_code || ' ' || year, ',') from calendar_years where provisional),
        'CN 2027');
    perform pg_temp.expect('CN 2027 source says estimated',
        (select source ilike '%estimated%' from calendar_years where calendar_code = 'CN' and year = 2027),
        true);
    -- Every day of every loaded year, and nothing else.
    perform pg_temp.expect('days of loaded years',
        (select count(*) from calendar_days)::int,
        (select sum(make_date(year + 1, 1, 1) - make_date(year, 1, 1)) from calendar_years)::int);
    perform pg_temp.expect('no day outside a loaded year',
        (select count(*) from calendar_days d
          where not exists (select 1 from calendar_years y
                             where y.calendar_code = d.calendar_code
                               and y.year = extract(year from d.day)))::int, 0);
    -- The running index is exactly the window count.
    perform pg_temp.expect('working_day_index is the running count',
        (select count(*) from (
            select working_day_index,
                   count(*) filter (where is_working_day) over (partition by calendar_code order by day) as want
              from calendar_days) as x
          where working_day_index <> want)::int, 0);
    perform pg_temp.expect('reindex of a consistent calendar changes nothing', calendar_reindex('CN'), 0);
    -- Working-day totals per calendar over 2024-2027.
    perform pg_temp.expect('working days 2024-2027',
        (select string_agg(calendar_code || '=' || n, ' ' order by calendar_code)
           from (select calendar_code, count(*) filter (where is_working_day) as n
                   from calendar_days group by calendar_code) as t),
        'CN=995 DE=1015 GB-ENG=1013 US=1000');
    -- Weekdays default to working, weekends to not; the exceptions are named.
    perform pg_temp.expect('every non-working day has a name',
        (select count(*) from calendar_days where not is_working_day and name is null)::int, 0);
    perform pg_temp.expect('only CN has weekend working days',
        (select string_agg(distinct calendar_code, ',') from calendar_days
          where is_working_day and extract(isodow from day) >= 6), 'CN');
end;
$$;

\echo 'worked examples (Docs/regimes.md)'
do $$
begin
    -- MOFCOM clock starting Monday 2025-04-07: 45th working day.
    perform pg_temp.expect('CN 2025-04-07 + 45', add_working_days('CN', '2025-04-07', 45), date '2025-06-12');
    -- Paused from 2025-04-21 to 2025-05-06: working days in (04-21, 05-06] do not count.
    perform pg_temp.expect('CN pause (2025-04-21, 2025-05-06]',
        working_days_between('CN', '2025-04-21', '2025-05-06'), 9);
    perform pg_temp.expect('the 9 paused days',
        (select string_agg(to_char(day, 'MM-DD'), ' ' order by day) from calendar_days
          where calendar_code = 'CN' and day > '2025-04-21' and day <= '2025-05-06' and is_working_day),
        '04-22 04-23 04-24 04-25 04-27 04-28 04-29 04-30 05-06');
    perform pg_temp.expect('CN 2025-04-07 + 45 + 9', add_working_days('CN', '2025-04-07', 45 + 9), date '2025-06-25');
    -- Elapsed as of the deadline is the target.
    perform pg_temp.expect('elapsed at the deadline', working_days_between('CN', '2025-04-07', '2025-06-12'), 45);
end;
$$;

\echo 'particular days'
do $$
begin
    perform pg_temp.expect('CN Sat 2025-02-08 make-up day works', is_working_day('CN', '2025-02-08'), true);
    perform pg_temp.expect('CN Sun 2025-01-26 make-up day works', is_working_day('CN', '2025-01-26'), true);
    perform pg_temp.expect('CN Sun 2025-04-27 make-up day works', is_working_day('CN', '2025-04-27'), true);
    perform pg_temp.expect('CN Mon 2025-02-03 is off', is_working_day('CN', '2025-02-03'), false);
    perform pg_temp.expect('CN Wed 2025-10-08 is off', is_working_day('CN', '2025-10-08'), false);
    perform pg_temp.expect('CN Sat 2025-10-11 works', is_working_day('CN', '2025-10-11'), true);
    perform pg_temp.expect('CN Sun 2024-02-04 works', is_working_day('CN', '2024-02-04'), true);
    perform pg_temp.expect('CN Sat 2026-02-28 works', is_working_day('CN', '2026-02-28'), true);
    perform pg_temp.expect('CN Mon 2026-02-23 is off', is_working_day('CN', '2026-02-23'), false);
    perform pg_temp.expect('CN ordinary Sat 2025-03-01 is off', is_working_day('CN', '2025-03-01'), false);
    perform pg_temp.expect('CN ordinary Tue 2025-03-04 works', is_working_day('CN', '2025-03-04'), true);
    perform pg_temp.expect('CN 2025-01-26 name',
        (select name from calendar_days where calendar_code = 'CN' and day = '2025-01-26'),
        'Spring Festival make-up working day');
    perform pg_temp.expect('GB-ENG 2026-12-28 substitute day', is_working_day('GB-ENG', '2026-12-28'), false);
    perform pg_temp.expect('GB-ENG 2027-12-27 substitute day', is_working_day('GB-ENG', '2027-12-27'), false);
    perform pg_temp.expect('GB-ENG 2025-04-18 Good Friday', is_working_day('GB-ENG', '2025-04-18'), false);
    perform pg_temp.expect('GB-ENG 2025-05-01 works', is_working_day('GB-ENG', '2025-05-01'), true);
    perform pg_temp.expect('US 2025-07-04', is_working_day('US', '2025-07-04'), false);
    perform pg_temp.expect('US Fri 2026-07-03 observed', is_working_day('US', '2026-07-03'), false);
    perform pg_temp.expect('US Fri 2027-12-31 observed New Year 2028', is_working_day('US', '2027-12-31'), false);
    perform pg_temp.expect('US 2025-11-27 Thanksgiving', is_working_day('US', '2025-11-27'), false);
    perform pg_temp.expect('US 2025-12-26 works', is_working_day('US', '2025-12-26'), true);
    perform pg_temp.expect('DE 2025-04-18 Good Friday', is_working_day('DE', '2025-04-18'), false);
    perform pg_temp.expect('DE 2025-06-09 Whit Monday', is_working_day('DE', '2025-06-09'), false);
    perform pg_temp.expect('DE 2025-10-03 Unity Day', is_working_day('DE', '2025-10-03'), false);
    perform pg_temp.expect('DE 2025-10-31 (state holiday only) works', is_working_day('DE', '2025-10-31'), true);
    perform pg_temp.expect('outside loaded range', is_working_day('CN', '2028-01-03'), null::boolean);
    perform pg_temp.expect('unknown calendar', is_working_day('XX', '2025-01-02'), null::boolean);
end;
$$;

\echo 'working_days_between'
do $$
begin
    perform pg_temp.expect('same day', working_days_between('CN', '2025-04-07', '2025-04-07'), 0);
    perform pg_temp.expect('same non-working day', working_days_between('CN', '2025-10-01', '2025-10-01'), 0);
    perform pg_temp.expect('negative direction', working_days_between('CN', '2025-05-06', '2025-04-21'), -9);
    perform pg_temp.expect('negative of 45', working_days_between('CN', '2025-06-12', '2025-04-07'), -45);
    perform pg_temp.expect('next day', working_days_between('US', '2025-07-03', '2025-07-04'), 0);
    perform pg_temp.expect('over a weekend', working_days_between('GB-ENG', '2025-01-03', '2025-01-06'), 1);
    perform pg_temp.expect('from a holiday', working_days_between('CN', '2025-10-01', '2025-10-09'), 1);
    perform pg_temp.expect('whole CN 2025',
        working_days_between('CN', '2024-12-31', '2025-12-31'),
        (select count(*)::int from calendar_days
          where calendar_code = 'CN' and is_working_day and day between '2025-01-01' and '2025-12-31'));
    perform pg_temp.expect('first loaded day', working_days_between('DE', '2024-01-01', '2024-01-02'), 1);
    perform pg_temp.expect('to outside range', working_days_between('CN', '2025-01-01', '2028-01-01'), null::int);
    perform pg_temp.expect('from outside range', working_days_between('CN', '2023-12-31', '2024-01-05'), null::int);
    perform pg_temp.expect('unknown calendar', working_days_between('XX', '2025-01-01', '2025-01-05'), null::int);
    perform pg_temp.expect('null date', working_days_between('CN', null, '2025-01-05'), null::int);
end;
$$;

\echo 'add_working_days'
do $$
begin
    perform pg_temp.expect('0 days is the start', add_working_days('CN', '2025-04-07', 0), date '2025-04-07');
    perform pg_temp.expect('0 days from a holiday is the holiday', add_working_days('CN', '2025-10-01', 0), date '2025-10-01');
    perform pg_temp.expect('1 day from a holiday', add_working_days('CN', '2025-10-01', 1), date '2025-10-09');
    perform pg_temp.expect('1 day before make-up Sat', add_working_days('CN', '2025-02-07', 1), date '2025-02-08');
    perform pg_temp.expect('1 day from Fri before GB bank holiday', add_working_days('GB-ENG', '2025-08-22', 1), date '2025-08-26');
    perform pg_temp.expect('ECJU 20 days', add_working_days('GB-ENG', '2025-12-15', 20), date '2026-01-15');
    perform pg_temp.expect('across a year end', add_working_days('US', '2025-12-31', 1), date '2026-01-02');
    perform pg_temp.expect('last loaded working day', add_working_days('DE', '2027-12-29', 2), date '2027-12-31');
    perform pg_temp.expect('beyond loaded data', add_working_days('DE', '2027-12-29', 3), null::date);
    perform pg_temp.expect('start outside loaded data', add_working_days('CN', '2028-01-03', 1), null::date);
    perform pg_temp.expect('start outside loaded data, 0 days', add_working_days('CN', '2028-01-03', 0), null::date);
    perform pg_temp.expect('unknown calendar', add_working_days('XX', '2025-01-02', 1), null::date);
    -- Negative: the n-th working day before.
    perform pg_temp.expect('-45', add_working_days('CN', '2025-06-12', -45), date '2025-04-07');
    perform pg_temp.expect('-1 from a working day', add_working_days('CN', '2025-02-05', -1), date '2025-01-27');
    perform pg_temp.expect('-1 from a holiday', add_working_days('CN', '2025-10-05', -1), date '2025-09-30');
    perform pg_temp.expect('before loaded data', add_working_days('CN', '2024-01-03', -2), null::date);
end;
$$;

\echo 'arithmetic agrees with counting, on random samples'
do $$
declare
    v_bad integer;
begin
    perform setseed(0.42);
    create temporary table samples on commit drop as
    select c.code as calendar_code,
           date '2024-01-01' + (random() * 1400)::int as from_day,
           (random() * 60)::int - 5 as n
      from generate_series(1, 2000)
     cross join lateral (select code from calendars order by random() limit 1) as c;

    -- working_days_between = count of working days in (from, to], either direction; NULL outside.
    select count(*) into v_bad
      from samples as s
     cross join lateral (select s.from_day + s.n * 2 as to_day) as t
     where working_days_between(s.calendar_code, s.from_day, t.to_day) is distinct from
           (select case when t.to_day not between min(d.day) and max(d.day) then null
                        when t.to_day >= s.from_day
                        then count(*) filter (where d.is_working_day and d.day > s.from_day and d.day <= t.to_day)
                        else -count(*) filter (where d.is_working_day and d.day > t.to_day and d.day <= s.from_day) end::int
              from calendar_days as d
             where d.calendar_code = s.calendar_code);
    perform pg_temp.expect('working_days_between = brute-force count', v_bad, 0);

    -- add_working_days(from, n), n > 0: a working day, with exactly n working days in (from, result].
    select count(*) into v_bad
      from samples as s
     cross join lateral (select add_working_days(s.calendar_code, s.from_day, s.n) as r) as a
     where s.n > 0
       and (case when a.r is null
                 -- NULL only when the loaded days run out first.
                 then (select count(*) from calendar_days as d
                        where d.calendar_code = s.calendar_code and d.is_working_day
                          and d.day > s.from_day) >= s.n
                 else not is_working_day(s.calendar_code, a.r)
                      or working_days_between(s.calendar_code, s.from_day, a.r) <> s.n
            end);
    perform pg_temp.expect('add_working_days is the n-th working day after', v_bad, 0);

    -- n < 0: a working day before from, with |n| - 1 working days strictly between it and from.
    select count(*) into v_bad
      from samples as s
     cross join lateral (select add_working_days(s.calendar_code, s.from_day, s.n) as r) as a
     where s.n < 0
       and a.r is not null
       and (not is_working_day(s.calendar_code, a.r)
            or a.r >= s.from_day
            or (select count(*) from calendar_days as d
                 where d.calendar_code = s.calendar_code and d.is_working_day
                   and d.day > a.r and d.day < s.from_day) <> -s.n - 1);
    perform pg_temp.expect('add_working_days(-n) is the n-th working day before', v_bad, 0);
end;
$$;

\echo 'calendar_is_provisional'
do $$
begin
    perform pg_temp.expect('2025 only', calendar_is_provisional('CN', '2025-04-07', '2025-06-12'), false);
    perform pg_temp.expect('crosses into CN 2027', calendar_is_provisional('CN', '2026-11-20', '2027-01-20'), true);
    perform pg_temp.expect('reversed order', calendar_is_provisional('CN', '2027-01-20', '2026-11-20'), true);
    perform pg_temp.expect('GB-ENG 2027 is official', calendar_is_provisional('GB-ENG', '2026-11-20', '2027-01-20'), false);
    perform pg_temp.expect('year not loaded', calendar_is_provisional('US', '2027-12-01', '2028-01-10'), true);
    perform pg_temp.expect('unknown calendar', calendar_is_provisional('XX', '2025-01-01', '2025-01-02'), true);
end;
$$;

\echo 'calendar_replace_days (in a transaction that is rolled back)'
begin;

do $$
declare
    v_2027 jsonb;
begin
    -- Validation: each error is SQLSTATE 22023 and names the problem.
    perform pg_temp.expect_error('duplicate date',
        $q$select calendar_replace_days('CN', '[{"date":"2025-01-01","working":false,"name":"x"},
                                              {"date":"2025-01-02","working":true},
                                              {"date":"2025-01-02","working":true}]', 'test')$q$,
        '22023', 'date 2025-01-02 appears more than once');
    perform pg_temp.expect_error('missing date',
        $q$select calendar_replace_days('CN', '[{"date":"2025-01-01","working":false,"name":"x"},
                                              {"date":"2025-01-02","working":true},
                                              {"date":"2025-01-04","working":false}]', 'test')$q$,
        '22023', 'date 2025-01-03 is missing');
    perform pg_temp.expect_error('gap after the loaded days',
        $q$select calendar_replace_days('CN', '[{"date":"2029-01-01","working":false}]', 'test')$q$,
        '22023', 'would leave a gap');
    perform pg_temp.expect_error('unknown calendar',
        $q$select calendar_replace_days('XX', '[{"date":"2025-01-01","working":false}]', 'test')$q$,
        '22023', 'unknown calendar');
    perform pg_temp.expect_error('not an array',
        $q$select calendar_replace_days('CN', '{"date":"2025-01-01"}', 'test')$q$,
        '22023', 'non-empty JSON array');
    perform pg_temp.expect_error('empty array',
        $q$select calendar_replace_days('CN', '[]', 'test')$q$,
        '22023', 'non-empty JSON array');
    perform pg_temp.expect_error('working not a boolean',
        $q$select calendar_replace_days('CN', '[{"date":"2025-01-01","working":"no"}]', 'test')$q$,
        '22023', 'calendar day 1');
    perform pg_temp.expect_error('impossible date',
        $q$select calendar_replace_days('CN', '[{"date":"2025-02-30","working":true}]', 'test')$q$,
        '22023', '2025-02-30');
    perform pg_temp.expect_error('no source',
        $q$select calendar_replace_days('CN', '[{"date":"2025-01-02","working":true}]', ' ')$q$,
        '22023', 'needs a source');
    perform pg_temp.expect('nothing changed by the failures',
        (select count(*) from calendar_days where calendar_code = 'CN')::int, 1461);

    -- "Publishing" CN 2027: the same days with one fake swap (Fri 2027-02-12 off, Sat 2027-02-20 working).
    select jsonb_agg(jsonb_build_object(
               'date', day,
               'working', case day when '2027-02-12' then false when '2027-02-20' then true else is_working_day end,
               'name', case day when '2027-02-12' then 'Spring Festival holiday'
                                when '2027-02-20' then 'Spring Festival make-up working day' else name end)
               order by day)
      into v_2027
      from calendar_days
     where calendar_code = 'CN' and day between '2027-01-01' and '2027-12-31';
    perform pg_temp.expect('deadline before publishing', add_working_days('CN', '2027-02-01', 10), date '2027-02-19');
    perform pg_temp.expect('loaded 365 days', calendar_replace_days('CN', v_2027, 'State Council notice 2027 (test)'), 365);
    perform pg_temp.expect('2027 now official',
        (select (not provisional) and source = 'State Council notice 2027 (test)'
           from calendar_years where calendar_code = 'CN' and year = 2027), true);
    perform pg_temp.expect('provisional no more', calendar_is_provisional('CN', '2026-11-20', '2027-03-01'), false);
    perform pg_temp.expect('deadline moved', add_working_days('CN', '2027-02-01', 10), date '2027-02-20');
    perform pg_temp.expect('make-up Saturday works', is_working_day('CN', '2027-02-20'), true);
    perform pg_temp.expect('index consistent after import',
        (select count(*) from (
            select working_day_index,
                   count(*) filter (where is_working_day) over (order by day) as want
              from calendar_days where calendar_code = 'CN') as x
          where working_day_index <> want)::int, 0);
    perform pg_temp.expect('later deadlines unchanged in count', add_working_days('CN', '2027-03-01', 10), date '2027-03-15');

    -- A partial year replaces those days only and leaves the year's status alone.
    perform pg_temp.expect('partial load',
        calendar_replace_days('US', '[{"date":"2025-12-26","working":false,"name":"Christmas Eve order (test)"},
                                      {"date":"2025-12-27","working":false,"name":"Weekend"}]', 'test'), 2);
    perform pg_temp.expect('partial load: day changed', is_working_day('US', '2025-12-26'), false);
    perform pg_temp.expect('partial load: source unchanged',
        (select source not like 'test%' from calendar_years where calendar_code = 'US' and year = 2025), true);
    perform pg_temp.expect('partial load: arithmetic follows', add_working_days('US', '2025-12-24', 1), date '2025-12-29');

    -- Appending the next year (adjacent, no gap) loads it as official.
    perform pg_temp.expect('append GB-ENG 2028',
        calendar_replace_days('GB-ENG',
            (select jsonb_agg(jsonb_build_object('date', d::date, 'working', extract(isodow from d) < 6,
                                                 'name', case when extract(isodow from d) >= 6 then 'Weekend' else '' end)
                              order by d)
               from generate_series(date '2028-01-01', date '2028-12-31', interval '1 day') as d),
            'GOV.UK bank holidays 2028 (test)'), 366);
    perform pg_temp.expect('GB-ENG 2028 year row',
        (select provisional from calendar_years where calendar_code = 'GB-ENG' and year = 2028), false);
    perform pg_temp.expect('empty name stored as NULL',
        (select name from calendar_days where calendar_code = 'GB-ENG' and day = '2028-01-03'), null::text);
    perform pg_temp.expect('across the appended year end', add_working_days('GB-ENG', '2027-12-24', 4), date '2028-01-03');
    perform pg_temp.expect('between across years', working_days_between('GB-ENG', '2027-12-24', '2028-01-04'), 5);
end;
$$;

rollback;

\echo 'calendars_test: all assertions passed'
