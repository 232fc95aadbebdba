-- 0013_report_charts.sql
--
-- Figures that a report draws as a chart but does not list in its table (Docs/reports.md). Like
-- the reports themselves, each is one set-based statement taking its own parameters followed by
-- the four filter arrays of report_scope() (0008), and it reuses the definitions of 0010: cycles
-- from report_cycle_spans, and "open on a day D" exactly as report_throughput counts it (a cycle
-- submitted on or before D and not decided by the end of D; drafts and returned applications are
-- not with the authority, so not open).
--
-- Errors: 22023 (invalid_parameter_value) for a missing day or a number of weeks out of range.


-- report delays: the open backlog over the last weeks ----------------------------------------

-- The open backlog per authority at the end of each of the p_weeks weeks that end on p_as_of:
-- week k (0 = the latest) ends on p_as_of - 7k, and its row counts the cycles open at the end of
-- that day. One row per week and authority of the applications in scope (zeros included), oldest
-- week first; none when nothing is in scope.
-- Each submit adds 1 and each decision takes 1 away from every week ending on or after its day:
-- week k includes a move on day d when d <= p_as_of - 7k, that is when (p_as_of - d) / 7 >= k
-- (integer division). Moves before the oldest week are folded into it, and the open count is the
-- running sum from the oldest week on, so the log is read once however many weeks are asked for.
create function report_open_backlog_weekly(
    p_as_of date, p_weeks integer,
    p_authorities text[] default null, p_destinations text[] default null,
    p_control_codes text[] default null, p_owners text[] default null)
returns table (
    week_end   date,
    authority  text,
    open       integer
)
language plpgsql stable as $$
#variable_conflict use_column
begin
    if p_as_of is null then
        raise exception 'report_open_backlog_weekly needs a day' using errcode = '22023';
    end if;
    if p_weeks is null or p_weeks < 1 or p_weeks > 1000 then
        raise exception 'report_open_backlog_weekly over % weeks: expected 1 to 1000', coalesce(p_weeks::text, 'NULL')
            using errcode = '22023';
    end if;

    return query
    with scope as (
        select a.id as application_id, a.authority
        from report_scope(p_authorities, p_destinations, p_control_codes, p_owners) sc
        join applications a on a.id = sc.application_id
    ),
    moves as (
        -- +1 on the submit's day, -1 on the decision's day; nothing after p_as_of counts.
        select s.authority, cs.submitted_on as day, 1 as delta
        from scope s join report_cycle_spans cs on cs.application_id = s.application_id
        where cs.submitted_on <= p_as_of
        union all
        select s.authority, cs.decided_on, -1
        from scope s join report_cycle_spans cs on cs.application_id = s.application_id
        where cs.decided_on <= p_as_of
    ),
    per_week as (
        -- The latest week whose end the move counts in (p_weeks - 1 for moves before the oldest).
        select m.authority, least((p_as_of - m.day) / 7, p_weeks - 1) as week, sum(m.delta) as delta
        from moves m
        group by 1, 2
    )
    select p_as_of - 7 * w.week,
           au.authority,
           coalesce(sum(pw.delta) over (partition by au.authority order by w.week desc), 0)::integer
    from (select distinct s.authority from scope s) au
    cross join generate_series(0, p_weeks - 1) as w(week)
    left join per_week pw on pw.authority = au.authority and pw.week = w.week
    order by 1, 2;
end;
$$;

comment on function report_open_backlog_weekly(date, integer, text[], text[], text[], text[]) is
    'report delays chart: per authority, the cycles open at the end of each of the p_weeks weeks ending on '
    'p_as_of (week ends p_as_of - 7k), counted as report_throughput counts its open backlog.';

-- The report's row estimates are loose (window functions over the log); see 0010.
alter function report_open_backlog_weekly(date, integer, text[], text[], text[], text[]) set jit = off;
