-- 0022_import.sql
--
-- Bulk import (issue 9): `lictrack app import FILE` for teams moving off a spreadsheet, and the
-- rows `lictrack app export` writes. PostgreSQL parses the file (COPY ... FROM STDIN, CSV or one
-- JSON document per line) into a temporary staging table of text columns; everything else is
-- here, set-based:
--
--   1. import_begin() creates the session's staging tables (dropped at commit or rollback);
--   2. the client COPYs the CSV into import_rows, or the JSON lines into import_lines and calls
--      import_stage_jsonl(), which flattens them into import_rows;
--   3. import_check(lines) returns every bad row as line, column, value and reason, and keeps
--      them in import_errors;
--   4. import_apply() inserts the applications without errors through the normal tables, so the
--      same triggers check them as check a clerk's work (the status machine, the dates, the
--      numbering of items and events), and their clocks are computed before it returns.
--
-- The staging rows (Docs/cli.md, "app import"): one row per record. The first row of an
-- application carries its fields; a row may also carry one item (item_*) and one event (event,
-- event_*), in the order they happened. Rows with the same `application` key belong to the same
-- application; a row without a key is an application of its own. JSON lines have the shape of
-- `app create --from-file` plus "events": one line, one application.
--
-- Clocks, in bulk: every event recomputes its application's clock (0004), which costs a
-- sla_compute() per row. While the setting lictrack.clocks_per_statement is on (import_apply sets
-- it for its own transaction), the row trigger leaves that to two statement triggers added here,
-- which recompute every application the statement touched in one sla_refresh(). The clocks are
-- still current when the statement ends, whoever sets the setting.


-- Clocks per statement -------------------------------------------------------------------------

-- Whether clock recomputes wait for the end of the inserting statement.
create function clocks_per_statement() returns boolean
language sql stable as $$
    select coalesce(current_setting('lictrack.clocks_per_statement', true), '') = 'on'
$$;

-- Every event recomputes its application's clock, unless the statement will (below).
create or replace function application_events_refresh_clock() returns trigger
language plpgsql as $$
begin
    if not clocks_per_statement() then
        perform sla_refresh(array[new.application_id]);
    end if;
    return null;
end;
$$;

-- Recomputes, once, the clocks of every application whose events the statement inserted. A
-- create event inserted by applications_after_insert (trigger depth above 1) is left to the
-- statement that inserted the applications.
create function application_events_refresh_clocks_batch() returns trigger
language plpgsql as $$
begin
    if clocks_per_statement() and pg_trigger_depth() = 1 then
        perform sla_refresh(array(select distinct n.application_id from new_events n order by 1));
    end if;
    return null;
end;
$$;

create trigger application_events_refresh_clocks_batch
    after insert on application_events
    referencing new table as new_events
    for each statement execute function application_events_refresh_clocks_batch();

-- Recomputes, once, the clocks of every application the statement inserted (their create events).
create function applications_refresh_clocks_batch() returns trigger
language plpgsql as $$
begin
    if clocks_per_statement() then
        perform sla_refresh(array(select n.id from new_applications n order by 1));
    end if;
    return null;
end;
$$;

create trigger applications_refresh_clocks_batch
    after insert on applications
    referencing new table as new_applications
    for each statement execute function applications_refresh_clocks_batch();


-- Parsing text without raising --------------------------------------------------------------

-- A YYYY-MM-DD date, or NULL when the text is not one (2025-02-30 is not). One expression, so
-- that PostgreSQL inlines it: it runs for every date of a file.
create function import_date(p_text text) returns date
language sql immutable as $$
    select case
        when btrim(p_text) !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' then null
        when substr(btrim(p_text), 1, 4)::int = 0 then null
        when substr(btrim(p_text), 9, 2)::int > case
                 when substr(btrim(p_text), 6, 2)::int in (4, 6, 9, 11) then 30
                 when substr(btrim(p_text), 6, 2)::int <> 2 then 31
                 when substr(btrim(p_text), 1, 4)::int % 4 = 0
                      and (substr(btrim(p_text), 1, 4)::int % 100 <> 0
                           or substr(btrim(p_text), 1, 4)::int % 400 = 0) then 29
                 else 28 end
        then null
        else btrim(p_text)::date
    end
$$;

-- An exact decimal (2400, 12.50, -3), or NULL when the text is not one. The scale is kept.
create function import_decimal(p_text text) returns numeric
language sql immutable as $$
    select case when btrim(p_text) ~ '^-?[0-9]{1,40}(\.[0-9]{1,40})?$' then btrim(p_text)::numeric end
$$;

-- A whole number from 1 to 999,999,999, or NULL.
create function import_positive_integer(p_text text) returns integer
language sql immutable as $$
    select case when btrim(p_text) ~ '^0*[1-9][0-9]{0,8}$' then btrim(p_text)::integer end
$$;

-- The text with surrounding white space removed, or NULL when nothing is left.
create function import_text(p_text text) returns text
language sql immutable as $$
    select nullif(btrim(p_text), '')
$$;

-- The text as a JSON document, or NULL when it is not valid JSON.
create function import_jsonb(p_text text) returns jsonb
language plpgsql immutable as $$
begin
    return p_text::jsonb;
exception when others then
    return null;
end;
$$;


-- Staging ------------------------------------------------------------------------------------

-- The columns of the CSV header, in the order `app export --format csv` writes them. The client
-- checks a header against this list before it names any column in a COPY.
create function import_csv_columns() returns text[]
language sql immutable as $$
    select array[
        'application', 'authority', 'licence_type', 'applicant', 'exporter', 'consignee', 'end_user',
        'end_use', 'destination', 'authority_reference', 'owner', 'created_on',
        'item_description', 'item_control_code', 'item_hs_code', 'item_quantity', 'item_unit',
        'item_value', 'item_currency',
        'event', 'event_on', 'event_actor', 'event_note', 'event_authority_reference',
        'event_licence_number', 'event_valid_until', 'event_reason', 'event_extend_by',
        'event_stock_runs_out', 'event_feeds']
$$;

comment on function import_csv_columns() is
    'The columns `lictrack app import` accepts in a CSV header (any order, any subset with the '
    'required ones) and `app export --format csv` writes, in this order.';

-- Creates this transaction's staging tables. import_rows holds one record per row: the CSV's
-- columns as text, in file order (rec), plus where a JSON line's values came from (src_line and
-- the labels that name its keys in a report: items[0].control_code rather than item_control_code).
create function import_begin() returns void
language plpgsql as $$
begin
    drop table if exists pg_temp.import_rows, pg_temp.import_lines, pg_temp.import_errors;
    create temp table import_rows (
        rec                        bigint generated always as identity primary key,
        src_line                   integer,
        lbl_item                   text not null default 'item_',
        lbl_event                  text not null default 'event_',
        lbl_event_kind             text not null default 'event',
        application                text,
        authority                  text,
        licence_type               text,
        applicant                  text,
        exporter                   text,
        consignee                  text,
        end_user                   text,
        end_use                    text,
        destination                text,
        authority_reference        text,
        owner                      text,
        created_on                 text,
        item_description           text,
        item_control_code          text,
        item_hs_code               text,
        item_quantity              text,
        item_unit                  text,
        item_value                 text,
        item_currency              text,
        event                      text,
        event_on                   text,
        event_actor                text,
        event_note                 text,
        event_authority_reference  text,
        event_licence_number       text,
        event_valid_until          text,
        event_reason               text,
        event_extend_by            text,
        event_stock_runs_out       text,
        event_feeds                text
    ) on commit drop;
    create temp table import_lines (
        rec   bigint generated always as identity primary key,
        doc   text
    ) on commit drop;
    create temp table import_errors (
        rec           bigint,
        application   text,
        line          integer not null,
        "column"      text not null,
        value         text,
        reason        text not null
    ) on commit drop;
end;
$$;

-- Flattens the JSON lines COPYed into import_lines into import_rows: for each line, a row with
-- the application, then one per item, then a stock record (stock_runs_out and feeds, as `app
-- create --from-file` reads them), then one per event. A line that is not a JSON object, a key
-- lictrack does not know, or a value of the wrong JSON type is recorded in import_errors.
create function import_stage_jsonl() returns void
language plpgsql as $$
declare
    v_app_keys   constant text[] := array['authority', 'licence_type', 'applicant', 'exporter', 'consignee',
                                          'end_user', 'end_use', 'destination', 'authority_reference', 'owner',
                                          'created_on', 'stock_runs_out', 'feeds', 'items', 'events'];
    v_item_keys  constant text[] := array['description', 'control_code', 'hs_code', 'quantity', 'unit', 'value',
                                          'currency'];
    v_event_keys constant text[] := array['event', 'on', 'actor', 'note', 'authority_reference',
                                          'licence_number', 'valid_until', 'reason', 'extend_by',
                                          'stock_runs_out', 'feeds'];
begin
    create temp table import_docs on commit drop as
    select l.rec::integer as line, l.doc, import_jsonb(l.doc) as d
    from import_lines l
    where btrim(l.doc, E' \t\r') <> '';

    -- Lines that are not JSON objects.
    insert into import_errors (rec, application, line, "column", value, reason)
    select null, 'line:' || x.line, x.line, '', x.doc,
           case when x.d is null then 'not valid JSON' else 'not a JSON object: one application per line' end
    from import_docs x
    where x.d is null or jsonb_typeof(x.d) <> 'object';
    delete from import_docs x where x.d is null or jsonb_typeof(x.d) <> 'object';

    -- Keys and types: every key known, every value a string or null, items and events arrays of objects.
    insert into import_errors (rec, application, line, "column", value, reason)
    select null, 'line:' || x.line, x.line, f.label, f.value #>> '{}', f.reason
    from import_docs x
    cross join lateral (
        select k.key as label, k.value,
               case when k.key <> all (v_app_keys) then 'unknown key (expected ' || array_to_string(v_app_keys, ', ') || ')'
                    when k.key in ('items', 'events') and jsonb_typeof(k.value) not in ('array', 'null')
                    then 'expected an array of objects'
                    when k.key not in ('items', 'events') and jsonb_typeof(k.value) not in ('string', 'null')
                    then 'expected a JSON string or null'
               end as reason
        from jsonb_each(x.d) k
        union all
        select format('%s[%s]', a.key, e.ord - 1), e.value,
               case when jsonb_typeof(e.value) <> 'object' then 'expected an object' end
        from jsonb_each(x.d) a
        cross join lateral jsonb_array_elements(case when jsonb_typeof(a.value) = 'array' then a.value end)
                           with ordinality e(value, ord)
        where a.key in ('items', 'events')
        union all
        select format('%s[%s].%s', a.key, e.ord - 1, f.key), f.value,
               case when f.key <> all (case a.key when 'items' then v_item_keys else v_event_keys end)
                    then 'unknown key (expected '
                         || array_to_string(case a.key when 'items' then v_item_keys else v_event_keys end, ', ') || ')'
                    when jsonb_typeof(f.value) not in ('string', 'null')
                         and not (f.key = 'extend_by' and jsonb_typeof(f.value) = 'number')
                    then case when f.key in ('quantity', 'value')
                              then 'expected a JSON string such as "12.50", so that no digit is lost'
                              else 'expected a JSON string or null' end
               end
        from jsonb_each(x.d) a
        cross join lateral jsonb_array_elements(case when jsonb_typeof(a.value) = 'array' then a.value end)
                           with ordinality e(value, ord)
        cross join lateral jsonb_each(case when jsonb_typeof(e.value) = 'object' then e.value end) f
        where a.key in ('items', 'events')
    ) f
    where f.reason is not null;

    insert into import_rows (
        src_line, lbl_item, lbl_event, lbl_event_kind, application, authority, licence_type, applicant,
        exporter, consignee, end_user, end_use, destination, authority_reference, owner, created_on,
        item_description, item_control_code, item_hs_code, item_quantity, item_unit, item_value, item_currency,
        event, event_on, event_actor, event_note, event_authority_reference, event_licence_number,
        event_valid_until, event_reason, event_extend_by, event_stock_runs_out, event_feeds)
    select r.line, r.lbl_item, r.lbl_event, r.lbl_event_kind, 'line:' || r.line,
           r.a ->> 'authority', r.a ->> 'licence_type', r.a ->> 'applicant', r.a ->> 'exporter',
           r.a ->> 'consignee', r.a ->> 'end_user', r.a ->> 'end_use', r.a ->> 'destination',
           r.a ->> 'authority_reference', r.a ->> 'owner', r.a ->> 'created_on',
           r.i ->> 'description', r.i ->> 'control_code', r.i ->> 'hs_code', r.i ->> 'quantity',
           r.i ->> 'unit', r.i ->> 'value', r.i ->> 'currency',
           r.e ->> 'event', r.e ->> 'on', r.e ->> 'actor', r.e ->> 'note', r.e ->> 'authority_reference',
           r.e ->> 'licence_number', r.e ->> 'valid_until', r.e ->> 'reason', r.e ->> 'extend_by',
           r.e ->> 'stock_runs_out', r.e ->> 'feeds'
    from (
        -- The application itself (string values only: a wrong type is already reported).
        select x.line, 0 as part, 0::bigint as ord, 'item_' as lbl_item, 'event_' as lbl_event,
               'event' as lbl_event_kind,
               (select jsonb_object_agg(k.key, k.value) from jsonb_each(x.d) k
                where jsonb_typeof(k.value) = 'string') as a,
               null::jsonb as i, null::jsonb as e
        from import_docs x
        union all
        select x.line, 1, it.ord, format('items[%s].', it.ord - 1), 'event_', 'event', null, it.value, null
        from import_docs x
        cross join lateral jsonb_array_elements(case when jsonb_typeof(x.d -> 'items') = 'array'
                                                     then x.d -> 'items' end) with ordinality it(value, ord)
        where jsonb_typeof(it.value) = 'object'
        union all
        select x.line, 2, 0, 'item_', '', 'stock_runs_out', null, null,
               jsonb_build_object('event', 'stock', 'on', x.d ->> 'created_on',
                                  'stock_runs_out', x.d ->> 'stock_runs_out', 'feeds', x.d ->> 'feeds')
        from import_docs x
        where x.d ->> 'stock_runs_out' is not null or x.d ->> 'feeds' is not null
        union all
        select x.line, 3, ev.ord, 'item_', format('events[%s].', ev.ord - 1), format('events[%s].event', ev.ord - 1),
               null, null, ev.value
        from import_docs x
        cross join lateral jsonb_array_elements(case when jsonb_typeof(x.d -> 'events') = 'array'
                                                     then x.d -> 'events' end) with ordinality ev(value, ord)
        where jsonb_typeof(ev.value) = 'object'
    ) r
    order by r.line, r.part, r.ord;

    drop table import_docs;
end;
$$;


-- Checking ---------------------------------------------------------------------------------------

-- The delay reasons application_events accepts, read from its check constraint so that the list
-- exists once.
create function import_delay_reasons() returns text[]
language sql stable as $$
    select array(select m[1]
                 from pg_constraint c
                 cross join lateral regexp_matches(pg_get_constraintdef(c.oid), '''([^'']+)''', 'g') as m
                 where c.conrelid = 'application_events'::regclass and c.conname = 'application_events_reason_check')
$$;

-- Checks the staged rows and returns every bad one: its line (p_lines[rec + 1] when the client
-- counted the CSV records' first lines, header first; a JSON line's number; else the row number with the header
-- as 1), the column as the file names it, the value as given and the reason. The errors are also
-- kept in import_errors, so that import_apply() leaves out every application with one.
--
-- What it checks: what the tables' constraints and the workflow triggers would refuse, so that
-- import_apply() inserts only rows they accept: required fields, codes that exist, dates,
-- decimals, each event's details, references used twice (in the file or already in the
-- database), and the order of each application's events through the status machine
-- (workflow_transitions) with the date rules of application_events_apply().
create function import_check(p_lines integer[] default null)
returns table (line integer, "column" text, value text, reason text)
language plpgsql as $$
declare
    v_reasons  constant text[] := import_delay_reasons();
    v_events   text;
begin
    select string_agg(w.event, ', ' order by w.sort_order) into v_events
    from workflow_events w where w.event not in ('create', 'add-item');

    drop table if exists pg_temp.import_prep, pg_temp.import_apps, pg_temp.import_ids;
    create temp table import_prep on commit drop as
    select r.*,
           coalesce(r.src_line, p_lines[r.rec + 1], (r.rec + 1)::integer) as line_no,
           coalesce(import_text(r.application), 'row:' || r.rec) as app_key,
           coalesce(import_text(r.item_description), import_text(r.item_control_code), import_text(r.item_hs_code),
                    import_text(r.item_quantity), import_text(r.item_unit), import_text(r.item_value),
                    import_text(r.item_currency)) is not null as is_item,
           coalesce(import_text(r.event), import_text(r.event_on), import_text(r.event_actor),
                    import_text(r.event_note), import_text(r.event_authority_reference),
                    import_text(r.event_licence_number), import_text(r.event_valid_until),
                    import_text(r.event_reason), import_text(r.event_extend_by),
                    import_text(r.event_stock_runs_out), import_text(r.event_feeds)) is not null as is_event,
           lower(import_text(r.event)) as ev,
           -- Each date parsed once.
           import_date(import_text(r.created_on)) as created_d,
           import_date(import_text(r.event_on)) as on_d,
           import_date(import_text(r.event_valid_until)) as valid_d,
           import_date(import_text(r.event_stock_runs_out)) as stock_d
    from import_rows r;
    create index on import_prep (app_key, rec);

    -- Each application, from its first row.
    create temp table import_apps on commit drop as
    select distinct on (p.app_key)
           p.app_key, p.rec as first_rec, p.line_no as first_line,
           upper(import_text(p.authority)) as authority,
           coalesce(lower(import_text(p.licence_type)), 'single') as licence_type,
           case when import_text(p.applicant) is not null then p.applicant end as applicant,
           case when import_text(p.exporter) is not null then p.exporter end as exporter,
           case when import_text(p.consignee) is not null then p.consignee end as consignee,
           case when import_text(p.end_user) is not null then p.end_user end as end_user,
           case when import_text(p.end_use) is not null then p.end_use end as end_use,
           upper(import_text(p.destination)) as destination,
           import_text(p.authority_reference) as authority_reference,
           case when import_text(p.owner) is not null then p.owner end as owner,
           p.created_d as created_date,
           authority_today(upper(import_text(p.authority))) as today
    from import_prep p
    order by p.app_key, p.rec;
    alter table import_apps add primary key (app_key);

    -- Row by row: the application's fields on its first row, an item's, an event's.
    insert into import_errors (rec, application, line, "column", value, reason)
    select p.rec, p.app_key, p.line_no, c.col, c.val, c.reason
    from import_prep p
    join import_apps a using (app_key)
    cross join lateral (values
        ('authority', p.authority,
         case when p.rec <> a.first_rec then null
              when a.authority is null then 'required: an authority code such as MOFCOM'
              when a.today is null then 'unknown authority (see ''lictrack authority list'')' end),
        ('licence_type', p.licence_type,
         case when p.rec = a.first_rec and a.licence_type not in ('single', 'general', 'other')
              then 'expected single, general or other' end),
        ('applicant', p.applicant,
         case when p.rec = a.first_rec and a.applicant is null then 'required: the applicant' end),
        ('destination', p.destination,
         case when p.rec <> a.first_rec then null
              when a.destination is null then 'required: the destination country, such as DE'
              when not exists (select 1 from countries k where k.code = a.destination)
              then 'unknown country: use an ISO 3166-1 alpha-2 code such as DE' end),
        ('created_on', p.created_on,
         case when p.rec <> a.first_rec or import_text(p.created_on) is null then null
              when a.created_date is null then 'not a date (expected YYYY-MM-DD)'
              when a.created_date > a.today
              then format('in the future: today is %s in %s', a.today, a.authority) end),
        (p.lbl_item || 'description', p.item_description,
         case when p.is_item and import_text(p.item_description) is null
              then 'required: an item needs a description' end),
        (p.lbl_item || 'control_code', p.item_control_code,
         case when import_text(p.item_control_code) !~ '^[A-Za-z0-9][A-Za-z0-9.\-/]{0,31}$'
              then 'not a control code: up to 32 letters, digits, dots, dashes or slashes, such as 1C902.a or EAR99' end),
        (p.lbl_item || 'hs_code', p.item_hs_code,
         case when regexp_replace(import_text(p.item_hs_code), '[.\s]', '', 'g') !~ '^[0-9]{4,12}$'
              then 'not an HS code: 4 to 12 digits (dots and spaces are removed), such as 8505.11.10' end),
        (p.lbl_item || 'quantity', p.item_quantity,
         case when import_text(p.item_quantity) is null then null
              when import_decimal(p.item_quantity) is null then 'not a decimal number such as 2400 or 12.5 (a dot, no thousands separator)'
              when import_decimal(p.item_quantity) <= 0 then 'must be greater than 0' end),
        (p.lbl_item || 'unit', p.item_unit,
         case when import_text(p.item_quantity) is not null and import_text(p.item_unit) is null
              then 'required with a quantity, such as kg or pcs' end),
        (p.lbl_item || 'value', p.item_value,
         case when import_text(p.item_value) is null then
                  case when import_text(p.item_currency) is not null then 'required with a currency' end
              when import_decimal(p.item_value) is null then 'not a decimal number such as 312000.00 (a dot, no thousands separator)'
              when import_decimal(p.item_value) < 0 then 'must not be negative' end),
        (p.lbl_item || 'currency', p.item_currency,
         case when import_text(p.item_currency) is null then
                  case when import_text(p.item_value) is not null then 'required with a value: an ISO 4217 code such as USD' end
              when not exists (select 1 from currencies k where k.code = upper(import_text(p.item_currency)))
              then 'unknown currency: use an ISO 4217 code such as USD' end),
        (p.lbl_event_kind, p.event,
         case when not p.is_event then null
              when p.ev is null then 'required: the event fields need an event, such as submit'
              when p.ev in ('create', 'add-item')
              then 'not imported: the create event comes from created_on, and items are item rows'
              when not exists (select 1 from workflow_events w where w.event = p.ev)
              then 'unknown event (expected one of: ' || v_events || ')' end),
        (p.lbl_event || 'on', p.event_on,
         case when not p.is_event or p.lbl_event = '' then null
              when import_text(p.event_on) is null then 'required: the day it happened (YYYY-MM-DD)'
              when p.on_d is null then 'not a date (expected YYYY-MM-DD)'
              when p.on_d > a.today
              then format('in the future: today is %s in %s', a.today, a.authority) end),
        (p.lbl_event || 'reason', p.event_reason,
         case when not p.is_event then null
              when import_text(p.event_reason) is null then
                  case when p.ev = 'delay'
                       then 'required for a delay: ' || array_to_string(v_reasons, ', ') end
              when p.ev is distinct from 'delay' then 'only a delay takes a reason'
              when lower(import_text(p.event_reason)) <> all (v_reasons)
              then 'expected ' || array_to_string(v_reasons, ', ') end),
        (p.lbl_event || 'extend_by', p.event_extend_by,
         case when import_text(p.event_extend_by) is null then null
              when p.ev is distinct from 'delay' then 'only a delay takes extend_by'
              when import_positive_integer(p.event_extend_by) is null then 'expected a whole number of units, 1 or more' end),
        (p.lbl_event || 'licence_number', p.event_licence_number,
         case when import_text(p.event_licence_number) is not null and p.ev is distinct from 'approve'
              then 'only an approval takes a licence number' end),
        (p.lbl_event || 'valid_until', p.event_valid_until,
         case when import_text(p.event_valid_until) is null then null
              when p.ev is distinct from 'approve' then 'only an approval takes a validity date'
              when p.valid_d is null then 'not a date (expected YYYY-MM-DD)'
              when p.valid_d < p.on_d
              then format('before the approval (%s): a licence cannot expire before it is granted',
                          p.on_d) end),
        (p.lbl_event || 'note', p.event_note,
         case when p.ev = 'note' and import_text(p.event_note) is null then 'required for a note: its text' end),
        (p.lbl_event || 'stock_runs_out', p.event_stock_runs_out,
         case when import_text(p.event_stock_runs_out) is null then
                  case when p.ev = 'stock' then 'required for a stock record: the day the stock runs out' end
              when p.ev is distinct from 'stock' then 'only a stock record takes a runs-out date'
              when p.stock_d is null then 'not a date (expected YYYY-MM-DD)' end),
        (p.lbl_event || 'feeds', p.event_feeds,
         case when import_text(p.event_feeds) is null then
                  case when p.ev = 'stock' then 'required for a stock record: what the stock feeds' end
              when p.ev is distinct from 'stock' then 'only a stock record takes what the stock feeds' end)
    ) as c(col, val, reason)
    where c.reason is not null;

    -- Later rows of an application leave its fields empty, or repeat them.
    insert into import_errors (rec, application, line, "column", value, reason)
    select p.rec, p.app_key, p.line_no, v.col, v.val,
           format('differs from line %s, the first row of this application (leave it empty on later rows)',
                  a.first_line)
    from import_prep p
    join import_apps a using (app_key)
    join import_prep f on f.rec = a.first_rec
    cross join lateral unnest(
        array['authority', 'licence_type', 'applicant', 'exporter', 'consignee', 'end_user', 'end_use',
              'destination', 'authority_reference', 'owner', 'created_on'],
        array[p.authority, p.licence_type, p.applicant, p.exporter, p.consignee, p.end_user, p.end_use,
              p.destination, p.authority_reference, p.owner, p.created_on],
        array[f.authority, f.licence_type, f.applicant, f.exporter, f.consignee, f.end_user, f.end_use,
              f.destination, f.authority_reference, f.owner, f.created_on]) as v(col, val, first_val)
    where p.rec <> a.first_rec
      and import_text(v.val) is not null
      and import_text(v.val) is distinct from import_text(v.first_val);

    -- An authority reference names one application: not two in the file, not one already recorded.
    insert into import_errors (rec, application, line, "column", value, reason)
    with refs as (
        select a.app_key, a.first_rec as rec, a.first_line as line_no, 'authority_reference' as col,
               a.authority_reference as ref
        from import_apps a where a.authority_reference is not null
        union all
        select p.app_key, p.rec, p.line_no, p.lbl_event || 'authority_reference', import_text(p.event_authority_reference)
        from import_prep p where import_text(p.event_authority_reference) is not null
    ),
    firsts as (
        select distinct on (lower(r.ref)) lower(r.ref) as ref, r.app_key, r.line_no
        from refs r order by lower(r.ref), r.rec
    )
    select r.rec, r.app_key, r.line_no, r.col, r.ref,
           case when f.app_key <> r.app_key
                then format('duplicate reference: already the reference of the application on line %s', f.line_no)
                else format('already in the database: the reference of application %s (imported before?)',
                            (select min(x.id) from applications x where lower(x.authority_reference) = lower(r.ref)))
           end
    from refs r
    join firsts f on f.ref = lower(r.ref)
    where f.app_key <> r.app_key
       or exists (select 1 from applications x where lower(x.authority_reference) = lower(r.ref));

    -- The order of events, for applications with nothing else wrong: each through the status
    -- machine from draft, never before the previous status event (the creation first).
    insert into import_errors (rec, application, line, "column", value, reason)
    with recursive evs as (
        select p.app_key, p.rec, p.line_no, p.lbl_event, p.lbl_event_kind, p.event, p.event_on, p.ev,
               coalesce(p.on_d, a.created_on) as on_date,
               w.changes_status,
               row_number() over (partition by p.app_key order by p.rec) as n
        from import_prep p
        join (select x.app_key, coalesce(x.created_date, x.today) as created_on from import_apps x) a using (app_key)
        join workflow_events w on w.event = p.ev
        where p.is_event
          and not exists (select 1 from import_errors e where e.application = p.app_key)
    ),
    walk as (
        select a.app_key, 0::bigint as n, 'draft'::text as status, null::text as prev,
               coalesce(a.created_date, a.today) as status_on, null::bigint as rec, null::integer as line_no,
               null::text as col, null::text as val, null::text as reason
        from import_apps a
        where not exists (select 1 from import_errors e where e.application = a.app_key)
        union all
        select w.app_key, e.n,
               s.next_status,
               case when s.next_status is distinct from w.status then w.status else w.prev end,
               case when e.changes_status then e.on_date else w.status_on end,
               e.rec, e.line_no,
               case when t.event is null then e.lbl_event_kind else e.lbl_event || 'on' end,
               case when t.event is null then e.event else e.event_on end,
               case when t.event is null
                    then format('cannot %s an application that is %s at this point (%s)', e.ev, w.status,
                                coalesce('allowed: ' || (select string_agg(x.event, ', ' order by y.sort_order)
                                                         from workflow_transitions x
                                                         join workflow_events y using (event)
                                                         where x.from_status = w.status and y.changes_status),
                                         w.status || ' is final'))
                    when e.on_date < w.status_on
                    then format('%s is before the previous status event (%s): events come in the order they happened',
                                e.on_date, w.status_on)
               end
        from walk w
        join evs e on e.app_key = w.app_key and e.n = w.n + 1
        left join workflow_transitions t on t.event = e.ev and t.from_status = w.status
        cross join lateral (select case when t.event is null then w.status
                                        else coalesce(t.to_status, w.prev) end as next_status) s
        where w.reason is null
    )
    select w.rec, w.app_key, w.line_no, w.col, w.val, w.reason from walk w where w.reason is not null;

    return query
    select e.line, e."column", e.value, e.reason from import_errors e order by e.line, e.rec nulls first;
end;
$$;


-- Applying ---------------------------------------------------------------------------------------

-- Inserts every checked application that has no error (run import_check first): the
-- applications, then their items, then their events in file order, each set-based through the
-- tables' triggers, with the clocks computed per statement. Returns what it inserted.
create function import_apply()
returns table (applications bigint, items bigint, events bigint)
language plpgsql as $$
declare
    v_applications  bigint;
    v_items         bigint;
    v_events        bigint;
    v_mismatch      bigint;
begin
    perform set_config('lictrack.clocks_per_statement', 'on', true);

    create temp table import_good on commit drop as
    select a.*, row_number() over (order by a.first_rec) as n
    from import_apps a
    where not exists (select 1 from import_errors e where e.application = a.app_key);

    -- Identities are drawn in the order the rows are inserted, which is first_rec order; the
    -- check below proves each id went to its row.
    create temp table import_ids on commit drop as
    with inserted as (
        insert into applications (authority, licence_type, applicant, exporter, consignee, end_user, end_use,
                                  destination, authority_reference, owner, created_on)
        select g.authority, g.licence_type, g.applicant, g.exporter, g.consignee, g.end_user, g.end_use,
               g.destination, g.authority_reference, g.owner, g.created_date
        from import_good g
        order by g.first_rec
        returning id
    )
    select g.app_key, i.id
    from (select inserted.id, row_number() over (order by inserted.id) as n from inserted) i
    join import_good g using (n);
    get diagnostics v_applications = row_count;
    alter table import_ids add primary key (app_key);

    select count(*) into v_mismatch
    from import_ids m
    join import_good g using (app_key)
    join applications x on x.id = m.id
    where (x.authority, x.applicant, x.destination) is distinct from (g.authority, g.applicant, g.destination);
    if v_mismatch > 0 then
        raise exception 'import: % applications received another row''s id', v_mismatch;
    end if;

    insert into application_items (application_id, description, control_code, hs_code, quantity, unit, value,
                                   currency)
    select m.id, p.item_description, import_text(p.item_control_code), import_text(p.item_hs_code),
           import_decimal(p.item_quantity), import_text(p.item_unit), import_decimal(p.item_value),
           upper(import_text(p.item_currency))
    from import_prep p
    join import_ids m using (app_key)
    where p.is_item
    order by m.id, p.rec;
    get diagnostics v_items = row_count;

    insert into application_events (application_id, event, occurred_on, actor, note, authority_reference,
                                    licence_number, valid_until, reason, extend_by, stock_runs_out, feeds)
    select m.id, p.ev, coalesce(p.on_d, x.created_on), import_text(p.event_actor),
           case when import_text(p.event_note) is not null then p.event_note end,
           import_text(p.event_authority_reference),
           import_text(p.event_licence_number), p.valid_d, lower(import_text(p.event_reason)),
           import_positive_integer(p.event_extend_by), p.stock_d,
           case when import_text(p.event_feeds) is not null then p.event_feeds end
    from import_prep p
    join import_ids m using (app_key)
    join applications x on x.id = m.id
    where p.is_event
    order by m.id, p.rec;
    get diagnostics v_events = row_count;

    perform set_config('lictrack.clocks_per_statement', 'off', true);
    return query select v_applications, v_items, v_events;
end;
$$;


-- Exporting -------------------------------------------------------------------------------------

-- The given applications in the staging shape, ordered by id: a first row with the application
-- and its first item, a row for each further item, then a row for each event after the creation
-- (items added later are item rows; their add-item events are not repeated). The application's
-- authority_reference is the one it was created with: later ones come with their events. Values
-- are text as the file holds them (amounts with their scale).
create function import_export_rows(p_ids bigint[])
returns table (
    application text, authority text, licence_type text, applicant text, exporter text, consignee text,
    end_user text, end_use text, destination text, authority_reference text, owner text, created_on text,
    item_description text, item_control_code text, item_hs_code text, item_quantity text, item_unit text,
    item_value text, item_currency text,
    event text, event_on text, event_actor text, event_note text, event_authority_reference text,
    event_licence_number text, event_valid_until text, event_reason text, event_extend_by text,
    event_stock_runs_out text, event_feeds text)
language sql stable as $$
    select r.application, r.authority, r.licence_type, r.applicant, r.exporter, r.consignee, r.end_user,
           r.end_use, r.destination, r.authority_reference, r.owner, r.created_on, r.item_description,
           r.item_control_code, r.item_hs_code, r.item_quantity, r.item_unit, r.item_value, r.item_currency,
           r.event, r.event_on, r.event_actor, r.event_note, r.event_authority_reference,
           r.event_licence_number, r.event_valid_until, r.event_reason, r.event_extend_by,
           r.event_stock_runs_out, r.event_feeds
    from (
        select a.id, 0 as part, 0 as n, a.id::text as application, a.authority, a.licence_type::text,
               a.applicant, a.exporter, a.consignee, a.end_user, a.end_use, a.destination::text,
               c.authority_reference, a.owner, a.created_on::text,
               i.description as item_description, i.control_code as item_control_code, i.hs_code as item_hs_code,
               i.quantity::text as item_quantity, i.unit as item_unit, i.value::text as item_value,
               i.currency::text as item_currency,
               null::text as event, null::text as event_on, null::text as event_actor, null::text as event_note,
               null::text as event_authority_reference, null::text as event_licence_number,
               null::text as event_valid_until, null::text as event_reason, null::text as event_extend_by,
               null::text as event_stock_runs_out, null::text as event_feeds
        from applications a
        left join application_events c on c.application_id = a.id and c.seq = 1
        left join application_items i on i.application_id = a.id and i.line_no = 1
        where a.id = any (p_ids)
        union all
        select i.application_id, 1, i.line_no, i.application_id::text, null, null, null, null, null, null, null,
               null, null, null, null,
               i.description, i.control_code, i.hs_code, i.quantity::text, i.unit, i.value::text, i.currency::text,
               null, null, null, null, null, null, null, null, null, null, null
        from application_items i
        where i.application_id = any (p_ids) and i.line_no > 1
        union all
        select e.application_id, 2, e.seq, e.application_id::text, null, null, null, null, null, null, null,
               null, null, null, null,
               null, null, null, null, null, null, null,
               e.event, e.occurred_on::text, e.actor, e.note, e.authority_reference, e.licence_number,
               e.valid_until::text, e.reason, e.extend_by::text, e.stock_runs_out::text, e.feeds
        from application_events e
        where e.application_id = any (p_ids) and e.event not in ('create', 'add-item')
    ) r
    order by r.id, r.part, r.n
$$;


-- Rights ---------------------------------------------------------------------------------------
--
-- The statement triggers recompute clocks like the row trigger they stand in for, so they run
-- with their owner's rights too (0004, 0006). CREATE OR REPLACE reset the row trigger's.
do $$
begin
    execute format('alter function application_events_refresh_clock() security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function application_events_refresh_clocks_batch() security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function applications_refresh_clocks_batch() security definer set search_path = %I, pg_temp',
                   current_schema());
end;
$$;
