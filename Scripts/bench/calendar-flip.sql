-- Scripts/bench/calendar-flip.sql: a hand edit of the calendars for Scripts/bench.sh, before each
-- timed `select sla_refresh_open()`: Monday 4 January 2027 flips between working and not working
-- on CN, GB-ENG and DE, and the calendars are reindexed; the clocks are left stale, as after any
-- hand edit. With -v restore=1 the day gets its original values back.
--
--   psql [-v restore=1] -f calendar-flip.sql
\set ON_ERROR_STOP on
begin;
create table if not exists bench.flip_original as
select calendar_code, day, is_working_day, name
from calendar_days
where day = date '2027-01-04' and calendar_code in ('CN', 'GB-ENG', 'DE');
\if :{?restore}
update calendar_days d
set is_working_day = o.is_working_day, name = o.name
from bench.flip_original o
where d.calendar_code = o.calendar_code and d.day = o.day;
\else
update calendar_days
set is_working_day = not is_working_day,
    name = case when is_working_day then 'Bench: flipped' end
where day = date '2027-01-04' and calendar_code in ('CN', 'GB-ENG', 'DE');
\endif
select calendar_reindex(code) from unnest(array['CN', 'GB-ENG', 'DE']) as code;
commit;
