-- 0017_time_zone_names.sql
--
-- One rule for time zones, in the database, for authorities and calendars alike.
--
-- Before: authorities were checked with `now() at time zone NEW.time_zone`, which accepts any POSIX
-- time zone spec, so 'UTC+100' (a 100-hour offset) was taken; calendars had no check in SQL at all
-- (the CLI asked PostgreSQL in a query of its own, and psql users were not checked). Now both take
-- only a name PostgreSQL lists in pg_timezone_names (the IANA names such as Europe/Berlin, plus
-- UTC), checked by one function from one trigger function on each table.


-- Whether a time zone name is one PostgreSQL knows by name (IANA, or UTC).
create function time_zone_is_known(p_name text) returns boolean
language sql stable as $$
    select exists (select 1 from pg_timezone_names where name = p_name)
$$;

comment on function time_zone_is_known(text) is
    'True for a time zone name listed in pg_timezone_names (IANA names such as Europe/Berlin, and UTC).';

-- Refuses an unknown time zone name on the row being written (authorities, calendars).
create or replace function authorities_check_time_zone() returns trigger
language plpgsql as $$
begin
    if not time_zone_is_known(new.time_zone) then
        raise exception 'unknown time zone "%"', left(new.time_zone, 60)
            using errcode = '22023',
                  hint = 'use an IANA time zone name such as Europe/Berlin or Asia/Shanghai';
    end if;
    return new;
end;
$$;

comment on function authorities_check_time_zone() is
    'Trigger: the row''s time_zone must be a name in pg_timezone_names (authorities and calendars).';

create trigger calendars_check_time_zone
    before insert or update of time_zone on calendars
    for each row execute function authorities_check_time_zone();
