-- Scripts/bench/alerts-arm.sql: puts the "N alerts due" state of Scripts/bench.sh back before a run.
--
--   psql -v as_of=2026-11-28 -v baseline=12345 -f alerts-arm.sql
--
-- Deletes the alerts (and their deliveries) raised after alert id `baseline`, and makes the clocks
-- listed in bench.due_clocks due on `as_of` again, as if their warn day had come and no alert had
-- been raised for their deadline. Benchmark fixture only.
\set ON_ERROR_STOP on
begin;
delete from alert_deliveries where alert_id > :baseline;
delete from sla_alerts where id > :baseline;
update application_clocks k
set warned_deadline = null, breached_deadline = null, next_alert_on = :'as_of'
from bench.due_clocks d
where k.application_id = d.application_id and k.cycle = d.cycle;
commit;
