-- Scripts/bench/calendar-import.sql: the floor for `lictrack calendar import CN FILE` in
-- Scripts/bench.sh: the same function call with the same days (stored in bench.calendar_payloads
-- under `name`).
--
--   psql -v name=official [-v nojit=1] -f calendar-import.sql
\set ON_ERROR_STOP on
\if :{?nojit}
set jit = off;
\endif
select * from calendar_import('CN', (select days from bench.calendar_payloads where name = :'name'),
                              'bench: ' || :'name');
