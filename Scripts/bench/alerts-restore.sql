-- Scripts/bench/alerts-restore.sql: undoes alerts-arm.sql (Scripts/bench.sh, after the alert runs).
--
--   psql -v baseline=12345 -f alerts-restore.sql
\set ON_ERROR_STOP on
begin;
delete from alert_deliveries where alert_id > :baseline;
delete from sla_alerts where id > :baseline;
update application_clocks k
set warned_deadline = d.original_warned_deadline, breached_deadline = d.original_breached_deadline,
    next_alert_on = d.original_next_alert_on
from bench.due_clocks d
where k.application_id = d.application_id and k.cycle = d.cycle;
-- The backlog alerts of those clocks, set aside by Scripts/bench.sh, come back as they were.
insert into sla_alerts overriding system value select * from bench.due_alerts;
-- (alert_deliveries has generated columns, which take no value: the stored ones are listed.)
do $$
declare
    v_columns text;
begin
    select string_agg(quote_ident(a.attname), ', ' order by a.attnum) into v_columns
    from pg_attribute a
    where a.attrelid = 'alert_deliveries'::regclass and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = '';
    execute format('insert into alert_deliveries (%1$s) select %1$s from bench.due_deliveries', v_columns);
end;
$$;
commit;
