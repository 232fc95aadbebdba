-- 0020_input_checks.sql
--
-- Input a new user can get wrong, refused by the database with a rule a psql user meets too.
--
-- 1. Blank means blank. A required text made only of spaces, tabs, line breaks, no-break spaces
--    or zero-width characters carried nothing, yet `btrim(x) <> ''` let every one of them through
--    but the plain space. One function, is_blank(text), now decides, and every check that used
--    btrim uses it. The checks are NOT VALID: rows written before this migration are history
--    (append-only) and are not re-judged; every new row is.
-- 2. An authority reference belongs to one application per authority, ignoring case: a unique
--    index, and a trigger in front of it whose message names the application that has it.
-- 3. Replacing an application's reference is deliberate: an event that brings a reference other
--    than the one the application has is refused unless the transaction says so
--    (set_config('lictrack.replace_reference', 'on', true); `lictrack app VERB --replace-ref`).
--
-- Errors raised here (lictrack's SQLSTATE class LT, see 0002):
--   LT020  the authority reference belongs to another application of the same authority
--   LT021  the event would replace the application's reference without --replace-ref
--   LT022  existing references clash, so the unique index cannot be built (the migration stops)


-- Blank text ---------------------------------------------------------------------------------

-- Whether a text is blank: empty, or only white space (Unicode White_Space, which includes tab,
-- line breaks and the no-break spaces), control characters, and the zero-width characters
-- U+180E, U+200B..U+200D, U+2060 and U+FEFF. NULL for NULL, so that a check passes an absent
-- value. LicTrackCore's BlankText.isBlank is the same rule for the CLI's own messages; a test
-- proves that the two agree.
create function is_blank(p_text text) returns boolean
language sql immutable strict parallel safe as $$
    select p_text ~ '^[\u0001-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]*$'
$$;

comment on function is_blank(text) is
    'True when the text is empty or only white space, control or zero-width characters; NULL for NULL.';

-- Each btrim check becomes an is_blank check under the same name, so that the CLI's message for
-- it (LicTrackStore InputRules) stays the same.
alter table authorities drop constraint authorities_name_check;
alter table authorities
    add constraint authorities_name_check check (not is_blank(name)) not valid;

alter table applications drop constraint applications_applicant_check;
alter table applications
    add constraint applications_applicant_check check (not is_blank(applicant)) not valid;

alter table applications drop constraint applications_authority_reference_check;
alter table applications
    add constraint applications_authority_reference_check check (not is_blank(authority_reference)) not valid;

alter table application_items drop constraint application_items_description_check;
alter table application_items
    add constraint application_items_description_check check (not is_blank(description)) not valid;

alter table application_items drop constraint application_items_unit_check;
alter table application_items
    add constraint application_items_unit_check check (not is_blank(unit)) not valid;

alter table application_events drop constraint application_events_authority_reference_check;
alter table application_events
    add constraint application_events_authority_reference_check
        check (not is_blank(authority_reference)) not valid;

alter table application_events drop constraint application_events_licence_number_check;
alter table application_events
    add constraint application_events_licence_number_check check (not is_blank(licence_number)) not valid;

-- The note and stock triggers (0002, 0009) refuse an empty or all-space note and feeds; these
-- checks refuse the rest of blank.
alter table application_events
    add constraint application_events_note_check
        check (event <> 'note' or not is_blank(note)) not valid,
    add constraint application_events_feeds_check check (not is_blank(feeds)) not valid;


-- One application per reference --------------------------------------------------------------

-- Stop, naming them, if applications already share a reference: the index below cannot be built.
do $$
declare
    v_clashes text;
begin
    select string_agg(format('%s %L on applications %s', authority, reference, ids), '; '
                      order by authority, reference)
    into v_clashes
    from (select authority, min(authority_reference) as reference,
                 string_agg(id::text, ', ' order by id) as ids
          from applications
          where authority_reference is not null
          group by authority, lower(authority_reference)
          having count(*) > 1) clash;

    if v_clashes is not null then
        raise exception 'authority references must be unique per authority, but some are shared: %', v_clashes
            using errcode = 'LT022',
                  hint = 'give all but one of each a corrected reference (lictrack app note ID --note TEXT '
                         '--authority-ref NEW) and run lictrack db migrate again';
    end if;
end;
$$;

create unique index applications_authority_reference_key
    on applications (authority, lower(authority_reference));

comment on index applications_authority_reference_key is
    'An authority reference names one application of its authority, whatever its case.';

-- Refuses a reference that another application of the same authority has, naming that one.
-- The unique index is the guarantee (two transactions can pass this check at once); this is
-- the message.
create function applications_check_reference() returns trigger
language plpgsql as $$
declare
    v_other bigint;
begin
    select a.id into v_other
    from applications a
    where a.authority = new.authority
      and lower(a.authority_reference) = lower(new.authority_reference)
      and a.id is distinct from new.id
    order by a.id
    limit 1;

    if found then
        raise exception 'the reference % already belongs to application % (%)',
            quote_literal(left(new.authority_reference, 60)), v_other, new.authority
            using errcode = 'LT020',
                  detail = format('application=%s authority=%s', v_other, new.authority),
                  hint = 'an authority reference names one application of its authority; check the number';
    end if;
    return new;
end;
$$;

comment on function applications_check_reference() is
    'Trigger: an authority reference belongs to one application per authority (case-insensitive); '
    'the error names the application that has it.';

create trigger applications_check_reference_insert
    before insert on applications
    for each row when (new.authority_reference is not null)
    execute function applications_check_reference();

create trigger applications_check_reference_update
    before update of authority_reference on applications
    for each row when (new.authority_reference is distinct from old.authority_reference)
    execute function applications_check_reference();


-- Replacing a reference ----------------------------------------------------------------------

-- The reference an application had before event p_seq: the latest one an earlier event brought
-- (the create event carries the one given at creation).
create function application_reference_before(p_application_id bigint, p_seq integer) returns text
language sql stable as $$
    select e.authority_reference
    from application_events e
    where e.application_id = p_application_id
      and e.seq < p_seq
      and e.authority_reference is not null
    order by e.seq desc
    limit 1
$$;

comment on function application_reference_before(bigint, integer) is
    'The authority reference an application had before its event p_seq (NULL if none).';

-- Refuses an event that would replace the application's reference, unless the transaction set
-- lictrack.replace_reference to on. The same reference again (same spelling) is no change.
--
-- Runs BEFORE INSERT on application_events after application_events_apply (name order), which
-- has numbered the event; the earlier events are the history, so the answer does not depend on
-- what the apply trigger did to the application row.
create function application_events_check_reference() returns trigger
language plpgsql as $$
declare
    v_before text;
begin
    if new.authority_reference is null or new.event = 'create' then
        return new;
    end if;
    v_before := application_reference_before(new.application_id, new.seq);
    if v_before is not null and v_before <> new.authority_reference
       and coalesce(current_setting('lictrack.replace_reference', true), '') <> 'on' then
        raise exception 'application % already has the reference %; % would replace it',
            new.application_id, quote_literal(left(v_before, 60)), quote_literal(left(new.authority_reference, 60))
            using errcode = 'LT021',
                  hint = 'add --replace-ref to replace it; in SQL, set lictrack.replace_reference to on '
                         'in the same transaction';
    end if;
    return new;
end;
$$;

comment on function application_events_check_reference() is
    'Trigger: an event may replace an application''s authority reference only when '
    'lictrack.replace_reference is on (lictrack app VERB --replace-ref).';

create trigger application_events_check_reference
    before insert on application_events
    for each row when (new.authority_reference is not null)
    execute function application_events_check_reference();
