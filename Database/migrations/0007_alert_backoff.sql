-- 0007_alert_backoff.sql
--
-- The back-off of a failed delivery no longer overflows.
--
-- 0005 computed least(interval '1 hour', interval '30 seconds' * power(2, attempts)). least()
-- evaluates both arguments, so once a delivery had failed 39 times (about a day and a half of a
-- dead receiver) the product left the range of interval and recording its next failure raised
-- "interval out of range". That delivery, the oldest due one, was claimed first by every later
-- run, which then failed: one dead channel stopped every delivery to every channel.
--
-- Same signature, same schedule (Docs/alerts-delivery.md): the exponent is capped at 7 before
-- multiplying, since 30 s x 2^7 is already past the hour.


-- Delivering ---------------------------------------------------------------------------------

-- Marks a delivery attempt that failed: it stays pending and is retried after a back-off that
-- doubles with each attempt (30 s, 1 min, 2 min, ... at most 1 hour), for any number of attempts.
create or replace function alert_delivery_failed(p_alert_id bigint, p_channel_id bigint, p_error text)
returns void
language sql as $$
    update alert_deliveries
    set attempts = attempts + 1,
        last_error = left(p_error, 500),
        next_attempt_at = clock_timestamp()
            + least(interval '1 hour', interval '30 seconds' * power(2, least(attempts, 7)))
    where alert_id = p_alert_id and channel_id = p_channel_id and status = 'pending'
$$;
