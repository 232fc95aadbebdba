-- 0008_report_scope.sql
--
-- The one definition of which applications a report covers (lictrack report NAME, Docs/reports.md).
-- Every report function selects its applications through report_scope(), so the filters mean the
-- same in every report and for a psql user.


-- Which applications a report covers: the filters are ANDed; within one filter the values are
-- ORed; an empty or NULL array does not filter.
--   p_authorities    authority codes, as stored (upper case)
--   p_destinations   ISO 3166-1 alpha-2 destination codes (upper case)
--   p_control_codes  control-code prefixes: an application matches when one of its items' control
--                    codes starts with one of them, ignoring case (1C902 matches 1C902.a)
--   p_owners         internal owners, compared ignoring case
-- A set-returning SQL function, so PostgreSQL inlines it into the calling report.
create function report_scope(
    p_authorities text[], p_destinations text[], p_control_codes text[], p_owners text[])
returns table (application_id bigint)
language sql stable parallel safe as $$
    select a.id
    from applications a
    where (coalesce(cardinality(p_authorities), 0) = 0 or a.authority = any (p_authorities))
      and (coalesce(cardinality(p_destinations), 0) = 0 or a.destination = any (p_destinations))
      and (coalesce(cardinality(p_owners), 0) = 0
           or lower(a.owner) = any (select lower(o) from unnest(p_owners) o))
      and (coalesce(cardinality(p_control_codes), 0) = 0
           or exists (select 1
                      from application_items i
                      join unnest(p_control_codes) c(prefix)
                        on lower(i.control_code) like lower(replace(replace(replace(c.prefix, '\', '\\'), '%', '\%'), '_', '\_')) || '%'
                      where i.application_id = a.id))
$$;

comment on function report_scope(text[], text[], text[], text[]) is
    'The applications a report covers: authorities, destinations, control-code prefixes (any item, '
    'ignoring case) and owners (ignoring case); empty arrays do not filter.';

-- The control-code family used to group and narrow reports and forecasts: the first 3 characters
-- of the control code, upper case (1C902.a -> 1C9).
create function control_code_family(p_control_code text) returns text
language sql immutable parallel safe as $$
    select upper(left(p_control_code, 3))
$$;

comment on function control_code_family(text) is
    'The first 3 characters of a control code, upper case: the family reports group by.';
