-- 0018_single_clock_plans.sql
--
-- One application's clock and outlook are planned for one application again.
--
-- 0009 gave sla_clocks_as_of() and sla_clocks_project() `enable_nestloop = off`, so that the
-- reports over 100,000 open applications hash-join instead of nesting loops on estimates that
-- arrays make wrong. But sla_clock_as_of(), which `app show` and every event verb call for ONE
-- application, runs through both: measured at full scale (1,000,000 applications), it hashed whole
-- tables and took 0.4 to 0.65 s where an index lookup takes a few milliseconds, so `lictrack app
-- accept` went from about 31 ms to 596 ms (Scripts/bench.sh, section 1).
--
-- The bulk callers keep the setting instead: a function's SET clause holds for everything it calls,
-- so report_delays() and application_outlook() (which has it already) still hash-join inside.
-- `app list` over every open application runs the projection with nested loops now: about 1.5 s
-- instead of 0.8 s for 92,000 open clocks, against 60 times faster single lookups.

alter function sla_clocks_as_of(bigint[], date) reset enable_nestloop;
alter function sla_clocks_project(sla_cycle_clock[], date) reset enable_nestloop;
alter function report_delays(date, text[], text[], text[], text[]) set enable_nestloop = off;

-- The same for one application's outlook (its forecast and supply risk): `app show` took 10.9 s at
-- full scale (Scripts/bench.sh, section 1). report_delays() calls it for every open application
-- and carries the setting; alerts_raise() and report_evidence() call it for a few.
alter function application_outlook(bigint[], date) reset enable_nestloop;
