-- 0002_workflow.sql
--
-- The workflow core: authorities, applications and their items, the status machine and
-- the append-only event log. PostgreSQL enforces every rule here, so a psql user can no
-- more make an illegal transition, or edit history, than the lictrack CLI can.
--
-- How a status changes: INSERT a row into application_events (the CLI does exactly that).
-- The trigger application_events_apply() looks the transition up in workflow_transitions,
-- checks the dates, numbers the event and moves applications.status, all in the same
-- statement. Any other UPDATE of applications.status is refused.
--
-- Errors raised here use lictrack's own SQLSTATE class "LT" so clients can tell them apart:
--   LT001  illegal transition (the event is not allowed from the current status)
--   LT002  event date before the application's previous event
--   LT003  event date after today in the authority's time zone
--   LT004  event details missing or not allowed for this event
--   LT005  history is append-only (UPDATE, DELETE or TRUNCATE of the log)
--   LT006  applications change only by recording events
--   LT404  no such application


-- Authorities -------------------------------------------------------------------------------

create table authorities (
    code        text primary key
                check (code ~ '^[A-Z][A-Z0-9_-]{1,15}$'),
    name        text not null check (btrim(name) <> ''),
    country     char(2) not null references countries (code),
    time_zone   text not null,
    created_at  timestamptz not null default now()
);

comment on table authorities is
    'Export-licensing authorities. Seeded with MOFCOM, BIS, ECJU and BAFA; more can be added.';
comment on column authorities.time_zone is
    'IANA time zone in which the authority''s calendar dates are reckoned ("today" for event dates).';

-- Rejects a time zone name that PostgreSQL does not know.
create function authorities_check_time_zone() returns trigger
language plpgsql as $$
begin
    perform now() at time zone new.time_zone;
    return new;
end;
$$;

create trigger authorities_check_time_zone
    before insert or update of time_zone on authorities
    for each row execute function authorities_check_time_zone();

insert into authorities (code, name, country, time_zone) values
    ('MOFCOM', 'Ministry of Commerce of the People''s Republic of China', 'CN', 'Asia/Shanghai'),
    ('BIS',    'Bureau of Industry and Security, US Department of Commerce', 'US', 'America/New_York'),
    ('ECJU',   'Export Control Joint Unit (UK)', 'GB', 'Europe/London'),
    ('BAFA',   'Federal Office for Economic Affairs and Export Control (Germany)', 'DE', 'Europe/Berlin');

-- Today's date in an authority's time zone: the latest date an event may carry.
create function authority_today(p_authority text) returns date
language sql stable as $$
    select (now() at time zone time_zone)::date from authorities where code = p_authority;
$$;


-- The status machine -------------------------------------------------------------------------

create table application_statuses (
    status       text primary key,
    is_final     boolean not null,
    sort_order   smallint not null unique,
    description  text not null
);

comment on table application_statuses is
    'The statuses an application can be in. Final statuses (approved, denied, withdrawn) end its life.';

insert into application_statuses (status, is_final, sort_order, description) values
    ('draft',          false, 1, 'Being prepared; not yet with the authority'),
    ('submitted',      false, 2, 'Filed with the authority'),
    ('under_review',   false, 3, 'Accepted by the authority as complete and under review'),
    ('info_requested', false, 4, 'The authority asked for more information or documents'),
    ('delayed',        false, 5, 'The authority extended, referred, held or otherwise delayed the case'),
    ('returned',       false, 6, 'Returned without action; may be corrected and resubmitted'),
    ('approved',       true,  7, 'Licence granted'),
    ('denied',         true,  8, 'Licence refused'),
    ('withdrawn',      true,  9, 'Withdrawn by the applicant');

create table workflow_events (
    event           text primary key,
    changes_status  boolean not null,
    sort_order      smallint not null unique,
    description     text not null
);

comment on table workflow_events is
    'The kinds of event that can be recorded against an application; each is a CLI verb.';

insert into workflow_events (event, changes_status, sort_order, description) values
    ('create',       true,   1, 'Application created as a draft'),
    ('submit',       true,   2, 'Filed (or re-filed after a return) with the authority'),
    ('accept',       true,   3, 'The authority accepted the application as complete'),
    ('request-info', true,   4, 'The authority requested more information'),
    ('provide-info', true,   5, 'The requested information was sent to the authority'),
    ('delay',        true,   6, 'The authority delayed the case (extension, referral, hold, backlog)'),
    ('resume',       true,   7, 'The authority resumed review after a delay'),
    ('approve',      true,   8, 'Licence granted'),
    ('deny',         true,   9, 'Licence refused'),
    ('return',       true,  10, 'Returned without action'),
    ('withdraw',     true,  11, 'Withdrawn by the applicant'),
    ('note',         false, 12, 'A contact with the authority or another fact worth recording'),
    ('add-item',     false, 13, 'An item added to the application after it was created');

create table workflow_transitions (
    event        text not null references workflow_events (event),
    from_status  text not null references application_statuses (status),
    to_status    text references application_statuses (status),
    primary key (event, from_status)
);

comment on table workflow_transitions is
    'The single source of truth for the status machine: which event is allowed from which status, '
    'and where it leads. A NULL to_status means "back to the status before the current one" '
    '(provide-info returns to wherever the application was when information was requested).';

insert into workflow_transitions (event, from_status, to_status) values
    ('submit',       'draft',          'submitted'),
    ('submit',       'returned',       'submitted'),
    ('accept',       'submitted',      'under_review'),
    ('request-info', 'submitted',      'info_requested'),
    ('request-info', 'under_review',   'info_requested'),
    ('request-info', 'delayed',        'info_requested'),
    ('provide-info', 'info_requested', null),
    ('delay',        'submitted',      'delayed'),
    ('delay',        'under_review',   'delayed'),
    ('resume',       'delayed',        'under_review'),
    ('approve',      'submitted',      'approved'),
    ('approve',      'under_review',   'approved'),
    ('approve',      'delayed',        'approved'),
    ('deny',         'submitted',      'denied'),
    ('deny',         'under_review',   'denied'),
    ('deny',         'delayed',        'denied'),
    ('return',       'submitted',      'returned'),
    ('return',       'under_review',   'returned'),
    ('return',       'info_requested', 'returned');

-- withdraw: from any status that is not final.
insert into workflow_transitions (event, from_status, to_status)
select 'withdraw', status, 'withdrawn' from application_statuses where not is_final;

-- note: from every status, leaving it unchanged.
insert into workflow_transitions (event, from_status, to_status)
select 'note', status, status from application_statuses;

-- add-item: while the application is still open.
insert into workflow_transitions (event, from_status, to_status)
select 'add-item', status, status from application_statuses where not is_final;


-- Applications -------------------------------------------------------------------------------

create table applications (
    id                   bigint generated always as identity primary key,
    authority            text not null references authorities (code),
    licence_type         text not null default 'single'
                         check (licence_type in ('single', 'general', 'other')),
    applicant            text not null check (btrim(applicant) <> ''),
    exporter             text,
    consignee            text,
    end_user             text,
    end_use              text,
    destination          char(2) not null references countries (code),
    authority_reference  text check (btrim(authority_reference) <> ''),
    owner                text,
    created_on           date,
    status               text not null default 'draft' references application_statuses (status),
    status_since         date,
    licence_number       text,
    licence_valid_until  date,
    last_event_seq       integer not null default 0,
    last_event_on        date,
    created_at           timestamptz not null default now(),
    created_by           text not null default session_user,
    created_xact         xid8 not null default pg_current_xact_id()
);

comment on table applications is
    'Export-licence applications. The status and the columns after it are maintained by the '
    'event log (application_events); change them by recording an event, never by UPDATE.';
comment on column applications.exporter is 'Exporter or supplier, where it is not the applicant.';
comment on column applications.destination is 'Destination country, ISO 3166-1 alpha-2.';
comment on column applications.authority_reference is
    'The authority''s own case number; set at creation or by any event that carries one.';
comment on column applications.owner is 'Internal owner of the application (a person or team).';
comment on column applications.created_on is
    'The date the application was started; the date of its create event.';
comment on column applications.status_since is 'occurred_on of the event that set the current status.';
comment on column applications.created_xact is
    'The transaction that created the application: items inserted in it belong to the creation.';

create index applications_status_idx on applications (status);
create index applications_authority_idx on applications (authority, status);
create index applications_destination_idx on applications (destination);
create index applications_authority_reference_idx on applications (lower(authority_reference));


-- Items --------------------------------------------------------------------------------------

create table application_items (
    application_id  bigint not null references applications (id),
    line_no         integer not null,
    description     text not null check (btrim(description) <> ''),
    control_code    text check (control_code ~ '^[A-Za-z0-9][A-Za-z0-9.\-/]{0,31}$'),
    hs_code         text check (hs_code ~ '^[0-9]{4,12}$'),
    quantity        numeric check (quantity > 0),
    unit            text check (btrim(unit) <> ''),
    value           numeric check (value >= 0),
    currency        char(3) references currencies (code),
    added_at        timestamptz not null default now(),
    added_by        text not null default session_user,
    primary key (application_id, line_no),
    constraint item_value_needs_currency check ((value is null) = (currency is null)),
    constraint item_quantity_needs_unit check (quantity is null or unit is not null)
);

comment on table application_items is
    'The goods an application covers. Append-only: items are added, never changed or removed.';
comment on column application_items.control_code is
    'Control-list entry, e.g. 1C902.a (China), 5A002 (EU/UK), 3A001.a.1 or EAR99 (US).';
comment on column application_items.hs_code is
    'Harmonized System (customs tariff) code, digits only; dots and spaces are removed on insert.';
comment on column application_items.value is 'Value in the item''s currency: an exact decimal.';
comment on column application_items.currency is 'ISO 4217 currency code of value.';


-- The event log ------------------------------------------------------------------------------

create table application_events (
    application_id       bigint not null references applications (id),
    seq                  integer not null,
    event                text not null references workflow_events (event),
    from_status          text references application_statuses (status),
    to_status            text not null references application_statuses (status),
    occurred_on          date not null,
    recorded_at          timestamptz not null default now(),
    recorded_by          text not null default session_user,
    actor                text,
    note                 text,
    authority_reference  text check (btrim(authority_reference) <> ''),
    licence_number       text check (btrim(licence_number) <> ''),
    valid_until          date,
    reason               text check (reason in ('extension', 'referral', 'hold', 'backlog', 'other')),
    primary key (application_id, seq)
);

comment on table application_events is
    'Append-only history of every application: one row per event, numbered per application. '
    'Insert a row to change an application''s status; rows can never be updated or deleted.';
comment on column application_events.seq is 'Position in the application''s history, from 1.';
comment on column application_events.occurred_on is
    'When it happened (may be in the past; never before the previous event, never after today '
    'in the authority''s time zone). Defaults to today there.';
comment on column application_events.recorded_at is 'When it was recorded (set by the database).';
comment on column application_events.recorded_by is 'The database user who recorded it (session_user).';
comment on column application_events.actor is
    'The person acting, where a shared database account is used. Defaults to the setting lictrack.actor.';
comment on column application_events.reason is 'Why the authority delayed the case (delay only).';

create index application_events_occurred_on_idx on application_events (occurred_on);


-- Applying an event --------------------------------------------------------------------------

-- The status an application was in before it last entered p_status from another status: where
-- provide-info returns to. Notes and add-item events, which leave the status unchanged, are skipped.
create function application_status_before(p_application_id bigint, p_status text) returns text
language sql stable as $$
    select e.from_status
    from application_events e
    where e.application_id = p_application_id
      and e.to_status = p_status
      and e.from_status is distinct from p_status
    order by e.seq desc
    limit 1
$$;

-- Validates and numbers a new event and moves the application to its new status.
--
-- Runs BEFORE INSERT on application_events. The application row is locked first, so two
-- clerks acting on one application at the same moment are serialised: the second sees the
-- status the first left, and fails cleanly if its event is no longer allowed.
create function application_events_apply() returns trigger
language plpgsql as $$
declare
    app       applications%rowtype;
    v_to      text;
    v_today   date;
    v_allowed text;
begin
    select * into app from applications where id = new.application_id for update;
    if not found then
        raise exception 'application % does not exist', new.application_id
            using errcode = 'LT404';
    end if;

    -- Where does this event lead from the current status?
    if new.event = 'create' then
        if app.last_event_seq <> 0 then
            raise exception 'application % already has a create event', app.id
                using errcode = 'LT001';
        end if;
        v_to := 'draft';
        app.status := null;
    else
        select t.to_status into v_to
        from workflow_transitions t
        where t.event = new.event and t.from_status = app.status;

        if not found then
            select string_agg(t.event, ', ' order by e.sort_order) into v_allowed
            from workflow_transitions t join workflow_events e using (event)
            where t.from_status = app.status and e.changes_status;

            raise exception 'cannot % application %: it is %', new.event, app.id, app.status
                using errcode = 'LT001',
                      detail = format('event=%s status=%s', new.event, app.status),
                      hint = case when v_allowed is null
                                  then format('%s is final; no further status changes are allowed', app.status)
                                  else format('allowed from %s: %s', app.status, v_allowed) end;
        end if;

        -- A NULL target means "back where it was before the current status".
        if v_to is null then
            v_to := application_status_before(app.id, app.status);
        end if;
    end if;

    -- Dates: backdating is fine, but never before the previous event and never in the future.
    v_today := authority_today(app.authority);
    new.occurred_on := coalesce(new.occurred_on, v_today);
    if new.occurred_on > v_today then
        raise exception '% is in the future: today is % in % (%)',
            new.occurred_on, v_today, app.authority,
            (select time_zone from authorities where code = app.authority)
            using errcode = 'LT003';
    end if;
    if new.occurred_on < app.last_event_on then
        raise exception '% is before the previous event of application % (on %)',
            new.occurred_on, app.id, app.last_event_on
            using errcode = 'LT002',
                  hint = 'events are recorded in the order they happened; a later correction is a new event';
    end if;

    -- Details that belong to particular events.
    if new.event = 'delay' and new.reason is null then
        raise exception 'a delay needs a reason: extension, referral, hold, backlog or other'
            using errcode = 'LT004';
    end if;
    if new.event <> 'delay' and new.reason is not null then
        raise exception 'only a delay takes a reason' using errcode = 'LT004';
    end if;
    if new.event <> 'approve' and (new.licence_number is not null or new.valid_until is not null) then
        raise exception 'only an approval takes a licence number or validity date' using errcode = 'LT004';
    end if;
    if new.valid_until is not null and new.valid_until < new.occurred_on then
        raise exception 'the licence cannot expire (%) before it was granted (%)',
            new.valid_until, new.occurred_on
            using errcode = 'LT004';
    end if;
    if new.event = 'note' and coalesce(btrim(new.note), '') = '' then
        raise exception 'a note needs text' using errcode = 'LT004';
    end if;

    -- What the database knows better than the caller.
    new.seq := app.last_event_seq + 1;
    new.from_status := app.status;
    new.to_status := v_to;
    new.recorded_at := now();
    new.recorded_by := session_user;
    new.actor := coalesce(nullif(btrim(new.actor), ''),
                          nullif(current_setting('lictrack.actor', true), ''));

    update applications set
        status              = v_to,
        status_since        = case when v_to is distinct from app.status
                                   then new.occurred_on else status_since end,
        last_event_seq      = new.seq,
        last_event_on       = new.occurred_on,
        authority_reference = coalesce(new.authority_reference, authority_reference),
        licence_number      = coalesce(new.licence_number, licence_number),
        licence_valid_until = coalesce(new.valid_until, licence_valid_until)
    where id = app.id;

    return new;
end;
$$;

create trigger application_events_apply
    before insert on application_events
    for each row execute function application_events_apply();


-- Append-only history ------------------------------------------------------------------------

-- Refuses any UPDATE, DELETE or TRUNCATE of a history table, whoever asks.
create function history_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only: % is not allowed', tg_table_name, lower(tg_op)
        using errcode = 'LT005',
              hint = 'history is never edited; record a new event (for example a note) instead';
end;
$$;

create trigger application_events_append_only
    before update or delete on application_events
    for each row execute function history_is_append_only();
create trigger application_events_no_truncate
    before truncate on application_events
    for each statement execute function history_is_append_only();

create trigger application_items_append_only
    before update or delete on application_items
    for each row execute function history_is_append_only();
create trigger application_items_no_truncate
    before truncate on application_items
    for each statement execute function history_is_append_only();

create trigger applications_no_delete
    before delete on applications
    for each row execute function history_is_append_only();
create trigger applications_no_truncate
    before truncate on applications
    for each statement execute function history_is_append_only();


-- Guarding applications ----------------------------------------------------------------------

-- Starts every application as a draft, whatever the INSERT said.
create function applications_before_insert() returns trigger
language plpgsql as $$
declare
    v_today date := authority_today(new.authority);
begin
    new.created_on := coalesce(new.created_on, v_today);
    if new.created_on > v_today then
        raise exception '% is in the future: today is % in %', new.created_on, v_today, new.authority
            using errcode = 'LT003';
    end if;
    new.status := 'draft';
    new.status_since := null;
    new.last_event_seq := 0;
    new.last_event_on := null;
    new.licence_number := null;
    new.licence_valid_until := null;
    new.created_at := now();
    new.created_by := session_user;
    new.created_xact := pg_current_xact_id();
    return new;
end;
$$;

create trigger applications_before_insert
    before insert on applications
    for each row execute function applications_before_insert();

-- Records the create event of a new application.
create function applications_after_insert() returns trigger
language plpgsql as $$
begin
    insert into application_events (application_id, event, occurred_on, authority_reference)
    values (new.id, 'create', new.created_on, new.authority_reference);
    return null;
end;
$$;

create trigger applications_after_insert
    after insert on applications
    for each row execute function applications_after_insert();

-- Refuses direct UPDATEs of applications: they change only by recording events.
--
-- The event trigger's own UPDATE runs at trigger depth 2 or more and passes; an UPDATE typed
-- in psql runs at depth 1. An illegal status change is reported as such (LT001); a legal one
-- is refused too (LT006), with the INSERT that records it properly. The depth test alone would
-- let a role with UPDATE on applications through its own trigger, so no role but the owner needs
-- that privilege: the event trigger runs with the owner's rights (see the end of this file).
create function applications_guard() returns trigger
language plpgsql as $$
declare
    v_event text;
begin
    if pg_trigger_depth() > 1 then
        return new;
    end if;

    if new.status is distinct from old.status then
        select t.event into v_event
        from workflow_transitions t
        where t.from_status = old.status
          and (t.to_status = new.status
               or (t.to_status is null and new.status = application_status_before(old.id, old.status)));
        if not found then
            raise exception 'illegal transition for application %: % -> %', old.id, old.status, new.status
                using errcode = 'LT001',
                      hint = 'the allowed transitions are in workflow_transitions';
        end if;
        raise exception 'application % changes status only by recording an event', old.id
            using errcode = 'LT006',
                  hint = format('INSERT INTO application_events (application_id, event, occurred_on) '
                                'VALUES (%s, %L, DATE ''...''), or: lictrack app %s %s',
                                old.id, v_event, v_event, old.id);
    end if;

    raise exception 'application % changes only by recording events', old.id
        using errcode = 'LT006',
              hint = 'history is never edited; record a new event instead';
end;
$$;

create trigger applications_guard
    before update on applications
    for each row execute function applications_guard();


-- Adding items -------------------------------------------------------------------------------

-- Numbers a new item, normalises its HS code and, after creation, logs an add-item event.
create function application_items_before_insert() returns trigger
language plpgsql as $$
declare
    app applications%rowtype;
begin
    select * into app from applications where id = new.application_id for update;
    if not found then
        raise exception 'application % does not exist', new.application_id
            using errcode = 'LT404';
    end if;
    if not exists (select 1 from workflow_transitions
                   where event = 'add-item' and from_status = app.status) then
        raise exception 'cannot add items to application %: it is %', app.id, app.status
            using errcode = 'LT001';
    end if;

    new.hs_code := nullif(regexp_replace(new.hs_code, '[.\s]', '', 'g'), '');
    new.line_no := coalesce((select max(line_no) from application_items
                             where application_id = app.id), 0) + 1;
    new.added_at := now();
    new.added_by := session_user;

    -- Items inserted in the creating transaction are part of the create event. Later ones are
    -- logged as an add-item event, dated by the setting lictrack.item_added_on when the caller
    -- gave one (lictrack app add-item --on), else today.
    if app.created_xact <> pg_current_xact_id() then
        insert into application_events (application_id, event, occurred_on, note)
        values (app.id, 'add-item',
                nullif(current_setting('lictrack.item_added_on', true), '')::date,
                format('item %s: %s', new.line_no, new.description));
    end if;
    return new;
end;
$$;

create trigger application_items_before_insert
    before insert on application_items
    for each row execute function application_items_before_insert();


-- Privileges ---------------------------------------------------------------------------------
--
-- Recording an event (or adding an item) locks the application row and moves its status, which
-- nobody else may UPDATE. The triggers that do it therefore run with their owner's rights
-- (SECURITY DEFINER), so clerks need only SELECT and INSERT (Docs/operations.md). Their
-- search_path is pinned to this schema with pg_temp last, so that no temporary object can stand
-- in for the real tables.
do $$
begin
    execute format('alter function application_events_apply() security definer set search_path = %I, pg_temp',
                   current_schema());
    execute format('alter function application_items_before_insert() security definer set search_path = %I, pg_temp',
                   current_schema());
end;
$$;
