-- Scripts/bench/alerts-floor.sql: the floor for `lictrack alerts run` in Scripts/bench.sh.
--
--   psql -v as_of=2026-11-28 -v jsonl=/tmp/alerts.jsonl -f alerts-floor.sql
--
-- The same work done set-based: raise and queue in one committed statement (the outbox), then in
-- a second transaction write every pending delivery's payload (alert_payload) to the JSON-lines
-- file, one line each, and mark them delivered.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
select count(*) as raised from alerts_raise(:'as_of') \gset
begin;
select alert_payload(d.alert_id)::text
from alert_deliveries d
join alert_channels c on c.id = d.channel_id
where d.status = 'pending' and d.next_attempt_at <= now() and c.enabled and c.kind = 'jsonl'
order by d.next_attempt_at, d.alert_id, d.channel_id
\g :jsonl
update alert_deliveries d
set attempts = d.attempts + 1, status = 'delivered', delivered_at = now(), last_error = null
from alert_channels c
where c.id = d.channel_id and d.status = 'pending' and d.next_attempt_at <= now() and c.enabled
  and c.kind = 'jsonl';
commit;
