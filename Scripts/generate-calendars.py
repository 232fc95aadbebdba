#!/usr/bin/env python3
"""Generate lictrack's working-day calendar reference data.

Writes, for CN, GB-ENG, US and DE and the years 2024-2027:
  - Database/calendars/CODE-YEAR.csv: every day of the year, header `date,working,name`
    (the format `lictrack calendar import CODE FILE.csv` reads);
  - the seed-data section of Database/migrations/0003_calendars.sql (between the
    BEGIN/END GENERATED SEED DATA markers): the calendars, the loaded years, and the days that
    differ from "weekdays work, weekends don't" (holidays, named weekend holidays, make-up
    working days).

The days come from the PyPI package `holidays` (pip install 'holidays>=0.109'). Before anything is
written, the result is checked and the script fails loudly on any mismatch:
  - CN 2024-2026 against the State Council table in Docs/regimes.md (every weekday off and
    every weekend working day, exactly); CN 2027 has no published notice, so it is generated from
    the statutory holidays (with the weekday days in lieu the holiday regulations grant for
    statutory days that fall on a weekend), has no make-up working days, and is marked provisional;
  - GB-ENG against the bank-holiday lists in Docs/regimes.md, exactly;
  - US against the 5 U.S.C. 6103 rules computed here independently (observed Friday/Monday);
  - DE against the nationwide holidays computed here independently from the Easter date.

The facts are embedded below (copied from Docs/regimes.md, "Calendar facts"). If the shared reference file is found
(--facts, default Docs/regimes.md, whose "Calendar facts" section holds them) it is parsed too and
must agree with the embedded copy.

Usage:
  Scripts/generate-calendars.py               write the CSVs and the migration's seed section
  Scripts/generate-calendars.py --check       exit 1 if the files differ from what would be written
  Scripts/generate-calendars.py --verify-db POSTGRES_URL
                                              export every calendar-year from a database migrated
                                              with 0003_calendars.sql and compare it with the CSVs
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

try:
    import holidays
    from dateutil.easter import easter
except ImportError:  # pragma: no cover - environment problem, say what to do
    sys.exit("generate-calendars: needs the `holidays` package: pip install 'holidays>=0.109'")

REPO = Path(__file__).resolve().parent.parent
MIGRATION = REPO / "Database" / "migrations" / "0003_calendars.sql"
CSV_DIR = REPO / "Database" / "calendars"
DEFAULT_FACTS = REPO / "Docs" / "regimes.md"
BEGIN_MARK = "-- BEGIN GENERATED SEED DATA"
END_MARK = "-- END GENERATED SEED DATA"

YEARS = range(2024, 2028)
WEEKEND_NAME = "Weekend"


@dataclass(frozen=True)
class Calendar:
    code: str
    name: str
    time_zone: str
    description: str


CALENDARS = [
    Calendar(
        "CN",
        "China",
        "Asia/Shanghai",
        "Mainland China working days: statutory holidays and the make-up working weekend days set by "
        "the State Council General Office holiday notice for each year.",
    ),
    Calendar(
        "GB-ENG",
        "England and Wales",
        "Europe/London",
        "Bank holidays in England and Wales (GOV.UK), substitute days included.",
    ),
    Calendar(
        "US",
        "United States (federal)",
        "America/New_York",
        "US federal holidays (5 U.S.C. 6103), on their observed dates: Saturday to Friday, Sunday to Monday.",
    ),
    Calendar(
        "DE",
        "Germany (nationwide)",
        "Europe/Berlin",
        "Public holidays observed in every German state; state-only holidays are not included.",
    ),
]

# Calendar-years whose days are an estimate, and why.
PROVISIONAL = {("CN", 2027)}

# For an unpublished CN year, keep the package's "(observed)" days: the weekday off in lieu that the
# national holiday regulations (Art. 6) grant for a statutory day falling on a Saturday or Sunday.
# Every such day the package predicted for 2025 and 2026 is a day off in the published notices, so
# keeping them gives the better estimate of the year's working-day count. Set to False to load the
# statutory days only.
CN_UNPUBLISHED_KEEP_IN_LIEU = True


def source_for(code: str, year: int) -> str:
    if (code, year) in PROVISIONAL:
        return (
            f"Estimated: the State Council notice for {year} is not published. Statutory holidays from the "
            "lunar calendar, with a weekday off in lieu for each statutory day on a weekend; make-up "
            "working days unknown (Scripts/generate-calendars.py, python-holidays)."
        )
    return {
        "CN": f"State Council General Office notice on the {year} holidays "
        "(Scripts/generate-calendars.py, python-holidays, checked against calendar-facts.md)",
        "GB-ENG": f"GOV.UK bank holidays, England and Wales, {year} "
        "(Scripts/generate-calendars.py, python-holidays, checked against calendar-facts.md)",
        "US": f"US federal holidays {year}, 5 U.S.C. 6103, observed dates "
        "(Scripts/generate-calendars.py, python-holidays, checked against the statutory rules)",
        "DE": f"German nationwide public holidays {year} "
        "(Scripts/generate-calendars.py, python-holidays, checked against the Easter-based rules)",
    }[code]


# ---------------------------------------------------------------------------------------------
# Facts (verbatim from Docs/regimes.md, "Calendar facts") and their parser
# ---------------------------------------------------------------------------------------------

EMBEDDED_FACTS = """
| 2024 | 01-01; 02-12..02-16; 04-04, 04-05; 05-01..05-03; 06-10; 09-16, 09-17; 10-01..10-04, 10-07 | Sun 02-04, Sun 02-18, Sun 04-07, Sun 04-28, Sat 05-11, Sat 09-14, Sun 09-29, Sat 10-12 |
| 2025 | 01-01; 01-28..01-31, 02-03, 02-04; 04-04; 05-01, 05-02, 05-05; 06-02; 10-01..10-03, 10-06..10-08 | Sun 01-26, Sat 02-08, Sun 04-27, Sun 09-28, Sat 10-11 |
| 2026 | 01-01, 01-02; 02-16..02-20, 02-23; 04-06; 05-01, 05-04, 05-05; 06-19; 09-25; 10-01, 10-02, 10-05..10-07 | Sun 01-04, Sat 02-14, Sat 02-28, Sat 05-09, Sun 09-20, Sat 10-10 |
| 2027 | not yet published as of late 2026: only the statutory holidays are known, estimated from the lunar calendar | unknown |

## England and Wales (GB-ENG): bank holidays
- 2024: 01-01, 03-29, 04-01, 05-06, 05-27, 08-26, 12-25, 12-26
- 2025: 01-01, 04-18, 04-21, 05-05, 05-26, 08-25, 12-25, 12-26
- 2026: 01-01, 04-03, 04-06, 05-04, 05-25, 08-31, 12-25, 12-28 (substitute day)
- 2027: 01-01, 03-26, 03-29, 05-03, 05-31, 08-30, 12-27 (substitute), 12-28 (substitute)
"""


@dataclass
class Facts:
    # year -> set of weekday dates off; year -> set of weekend working dates (CN, published years)
    cn_weekdays_off: dict[int, set[dt.date]]
    cn_weekend_working: dict[int, set[dt.date]]
    cn_unpublished: set[int]
    # year -> set of bank holidays (all are weekdays: substitutes are listed, weekend days are not)
    gb_bank_holidays: dict[int, set[dt.date]]


def fail(message: str) -> None:
    sys.exit(f"generate-calendars: FAILED: {message}")


def _md(year: int, text: str) -> dt.date:
    month, day = text.split("-")
    return dt.date(year, int(month), int(day))


def parse_facts(text: str) -> Facts:
    weekdays_off: dict[int, set[dt.date]] = {}
    weekend_working: dict[int, set[dt.date]] = {}
    unpublished: set[int] = set()
    gb: dict[int, set[dt.date]] = {}
    for line in text.splitlines():
        row = re.match(r"^\|\s*(\d{4})\s*\|(.*)\|(.*)\|\s*$", line)
        if row:
            year, off, working = int(row.group(1)), row.group(2).strip(), row.group(3).strip()
            if "not yet published" in off:
                unpublished.add(year)
                continue
            days: set[dt.date] = set()
            for token in re.split(r"[;,]", off):
                token = token.strip()
                if ".." in token:
                    first, last = (_md(year, t.strip()) for t in token.split(".."))
                    while first <= last:
                        days.add(first)
                        first += dt.timedelta(days=1)
                elif token:
                    days.add(_md(year, token))
            weekdays_off[year] = days
            weekend: set[dt.date] = set()
            for token in working.split(","):
                m = re.fullmatch(r"(Sat|Sun) (\d{2}-\d{2})", token.strip())
                if not m:
                    fail(f"cannot read CN weekend working day {token!r} for {year}")
                day = _md(year, m.group(2))
                if day.strftime("%a") != m.group(1):
                    fail(f"calendar-facts: CN {day} is a {day.strftime('%a')}, not a {m.group(1)}")
                weekend.add(day)
            weekend_working[year] = weekend
            continue
        bank = re.match(r"^- (\d{4}): (.*)$", line)
        if bank:
            year = int(bank.group(1))
            gb[year] = {_md(year, md) for md in re.findall(r"\b(\d{2}-\d{2})\b", bank.group(2))}
    if not weekdays_off or not gb:
        fail("found no CN table or GB-ENG list in the facts")
    return Facts(weekdays_off, weekend_working, unpublished, gb)


def load_facts(path: Path) -> Facts:
    embedded = parse_facts(EMBEDDED_FACTS)
    if path.is_file():
        shared = parse_facts(path.read_text(encoding="utf-8"))
        if shared != embedded:
            fail(f"{path} no longer agrees with the facts embedded in this script; update EMBEDDED_FACTS")
        print(f"facts: {path} parsed, agrees with the embedded copy")
    else:
        print(f"facts: {path} not found, using the embedded copy")
    return embedded


# ---------------------------------------------------------------------------------------------
# Building the days
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    date: dt.date
    working: bool
    name: str | None


def is_weekend(day: dt.date) -> bool:
    return day.isoweekday() >= 6


def days_of(year: int) -> list[dt.date]:
    first, count = dt.date(year, 1, 1), (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return [first + dt.timedelta(days=i) for i in range(count)]


def default_name(day: dt.date) -> str | None:
    return WEEKEND_NAME if is_weekend(day) else None


# CN: which festival a holiday name belongs to, for naming days off in lieu and make-up days.
CN_FESTIVALS = [
    ("Chinese New Year", "Spring Festival"),
    ("New Year's Day", "New Year's Day"),
    ("Tomb-Sweeping Day", "Tomb-Sweeping Day"),
    ("Labor Day", "Labor Day"),
    ("Dragon Boat Festival", "Dragon Boat Festival"),
    ("Mid-Autumn Festival", "Mid-Autumn Festival"),
    ("National Day", "National Day"),
]
CN_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)$")


def cn_festival(name: str) -> str | None:
    for prefix, festival in CN_FESTIVALS:
        if name.startswith(prefix):
            return festival
    return None


def build_cn(year: int) -> list[Day]:
    h = holidays.China(years=year, language="en_US")
    make_up = {d for d in h.weekend_workdays if d.year == year}
    working = {d: h.is_working_day(d) for d in days_of(year)}
    if (set(d for d in working if working[d] and is_weekend(d))) != make_up:
        fail(f"CN {year}: holidays' weekend_workdays and is_working_day disagree")

    def festivals_around(day: dt.date) -> str:
        # The festivals named in the run of consecutive days off containing `day`.
        run, d = [], day
        while d.year == year and not working[d]:
            run.append(d)
            d -= dt.timedelta(days=1)
        d = day + dt.timedelta(days=1)
        while d.year == year and not working[d]:
            run.append(d)
            d += dt.timedelta(days=1)
        names: list[str] = []
        for d in sorted(run):
            festival = cn_festival(h.get(d, ""))
            if festival and festival not in names:
                names.append(festival)
        if not names:
            fail(f"CN {year}: no festival found around the day off {day}")
        return " and ".join(names)

    # Each make-up working day is paired by the package with the day off it pays for.
    paid_for: dict[dt.date, dt.date] = {}
    names: dict[dt.date, str] = {}
    for day in days_of(year):
        if day not in h:
            continue
        name = h[day]
        m = CN_SUBSTITUTED.match(name)
        if m:
            moved_from = dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            paid_for[moved_from] = day
            names[day] = (
                f"{festivals_around(day)} holiday (swapped with working "
                f"{moved_from.strftime('%A')} {moved_from.isoformat()})"
            )
        elif cn_festival(name) is None:
            fail(f"CN {year}: unexpected holiday name {name!r} on {day}")
        else:
            names[day] = name
    if set(paid_for) != make_up:
        fail(f"CN {year}: make-up working days {sorted(make_up)} do not pair with days off {paid_for}")

    if (("CN", year) in PROVISIONAL) and not CN_UNPUBLISHED_KEEP_IN_LIEU:
        for day in [d for d, name in names.items() if "(observed)" in name]:
            del names[day]
            working[day] = not is_weekend(day)

    result = []
    for day in days_of(year):
        if day in make_up:
            name = f"{festivals_around(paid_for[day])} make-up working day"
        else:
            name = names.get(day, default_name(day))
        result.append(Day(day, working[day], name))
    return result


def build_from_holidays(h: holidays.HolidayBase, year: int) -> list[Day]:
    result = []
    for day in days_of(year):
        if day in h:
            result.append(Day(day, False, h[day]))
        else:
            result.append(Day(day, not is_weekend(day), default_name(day)))
    return result


def build(code: str, year: int) -> list[Day]:
    if code == "CN":
        return build_cn(year)
    if code == "GB-ENG":
        return build_from_holidays(holidays.UK(subdiv="ENG", years=year, language="en_GB"), year)
    if code == "US":
        return build_from_holidays(holidays.US(years=year, language="en_US"), year)
    if code == "DE":
        return build_from_holidays(holidays.Germany(years=year, language="en_US"), year)
    raise ValueError(code)


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

def weekdays_off(days: list[Day]) -> set[dt.date]:
    return {d.date for d in days if not d.working and not is_weekend(d.date)}


def weekend_working(days: list[Day]) -> set[dt.date]:
    return {d.date for d in days if d.working and is_weekend(d.date)}


def expect_equal(what: str, got: set[dt.date], want: set[dt.date]) -> None:
    if got != want:
        missing = ", ".join(str(d) for d in sorted(want - got)) or "none"
        extra = ", ".join(str(d) for d in sorted(got - want)) or "none"
        fail(f"{what}: holidays package differs from the facts; missing: {missing}; unexpected: {extra}")


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) ISO weekday (1 = Monday) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def us_federal_observed(year: int) -> set[dt.date]:
    """Observed US federal holidays that fall in `year` (5 U.S.C. 6103; EO 11582 for Saturdays)."""

    def actual(y: int) -> list[dt.date]:
        return [
            dt.date(y, 1, 1),
            nth_weekday(y, 1, 1, 3),  # Martin Luther King Jr. Day
            nth_weekday(y, 2, 1, 3),  # Washington's Birthday
            nth_weekday(y, 5, 1, -1),  # Memorial Day
            dt.date(y, 6, 19),  # Juneteenth
            dt.date(y, 7, 4),
            nth_weekday(y, 9, 1, 1),  # Labor Day
            nth_weekday(y, 10, 1, 2),  # Columbus Day
            dt.date(y, 11, 11),
            nth_weekday(y, 11, 4, 4),  # Thanksgiving
            dt.date(y, 12, 25),
        ]

    observed = set()
    for day in actual(year) + actual(year + 1):
        shift = {6: -1, 7: 1}.get(day.isoweekday(), 0)
        observed.add(day + dt.timedelta(days=shift))
    return {d for d in observed if d.year == year}


def de_nationwide(year: int) -> set[dt.date]:
    e = easter(year)
    return {
        dt.date(year, 1, 1),
        e - dt.timedelta(days=2),  # Good Friday
        e + dt.timedelta(days=1),  # Easter Monday
        dt.date(year, 5, 1),
        e + dt.timedelta(days=39),  # Ascension Day
        e + dt.timedelta(days=50),  # Whit Monday
        dt.date(year, 10, 3),
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
    }


CN_STATUTORY_DAYS = 13  # State Council Order No. 795 (2024): 1+4+1+2+1+1+3 days


def check(code: str, year: int, days: list[Day], facts: Facts) -> None:
    if [d.date for d in days] != days_of(year):
        fail(f"{code} {year}: not every day of the year, in order")
    for d in days:
        if d.working and d.name == WEEKEND_NAME or (not d.working and not d.name):
            fail(f"{code} {d.date}: inconsistent day {d}")
    if code == "CN":
        if year in facts.cn_weekdays_off:
            expect_equal(f"CN {year} weekdays off", weekdays_off(days), facts.cn_weekdays_off[year])
            expect_equal(f"CN {year} weekend working days", weekend_working(days), facts.cn_weekend_working[year])
        elif year in facts.cn_unpublished:
            if (code, year) not in PROVISIONAL:
                fail(f"CN {year} is unpublished in the facts but not marked provisional here")
            if weekend_working(days):
                fail(f"CN {year}: unpublished year has make-up working days {sorted(weekend_working(days))}")
            statutory = [d for d in days if d.name and not d.working and "observed" not in d.name
                         and d.name != WEEKEND_NAME]
            if len(statutory) != CN_STATUTORY_DAYS:
                fail(f"CN {year}: expected {CN_STATUTORY_DAYS} statutory holiday days, got {statutory}")
        else:
            fail(f"CN {year}: year missing from the facts table")
    elif code == "GB-ENG":
        if year not in facts.gb_bank_holidays:
            fail(f"GB-ENG {year}: year missing from the facts lists")
        expect_equal(f"GB-ENG {year} weekdays off", weekdays_off(days), facts.gb_bank_holidays[year])
    elif code == "US":
        expect_equal(f"US {year} weekdays off", weekdays_off(days), us_federal_observed(year))
    elif code == "DE":
        expect_equal(
            f"DE {year} weekdays off", weekdays_off(days), {d for d in de_nationwide(year) if not is_weekend(d)}
        )
    if code != "CN" and weekend_working(days):
        fail(f"{code} {year}: unexpected weekend working days {sorted(weekend_working(days))}")


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def csv_text(days: list[Day]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "working", "name"])
    for d in days:
        writer.writerow([d.date.isoformat(), "true" if d.working else "false", d.name or ""])
    return out.getvalue()


def sql_text(value: str | None) -> str:
    return "null" if value is None else "'" + value.replace("'", "''") + "'"


def seed_sql(data: dict[tuple[str, int], list[Day]]) -> str:
    lines = [
        BEGIN_MARK,
        "-- Written by Scripts/generate-calendars.py from the `holidays` package, checked against",
        "-- calendar-facts.md. Do not edit by hand: change the script and run it again.",
        "",
        "insert into calendars (code, name, time_zone, description) values",
    ]
    lines += [
        f"    ({sql_text(c.code)}, {sql_text(c.name)}, {sql_text(c.time_zone)},\n"
        f"     {sql_text(c.description)}){',' if i < len(CALENDARS) - 1 else ';'}"
        for i, c in enumerate(CALENDARS)
    ]
    lines += ["", "insert into calendar_years (calendar_code, year, provisional, source) values"]
    keys = list(data)
    for i, (code, year) in enumerate(keys):
        provisional = "true " if (code, year) in PROVISIONAL else "false"
        lines.append(
            f"    ({sql_text(code)}, {year}, {provisional}, {sql_text(source_for(code, year))})"
            f"{',' if i < len(keys) - 1 else ';'}"
        )
    lines += [
        "",
        "-- Every day of every loaded year. By default a weekday is a working day with no name and a",
        "-- Saturday or Sunday is a non-working 'Weekend'; the exceptions list every other day: holidays",
        "-- (weekend ones too, for their names) and make-up working days.",
        "with exceptions (calendar_code, day, is_working_day, name) as (",
        "    values",
    ]
    rows = []
    for (code, year), days in data.items():
        special = [d for d in days if (d.working, d.name) != (not is_weekend(d.date), default_name(d.date))]
        note = " (provisional)" if (code, year) in PROVISIONAL else ""
        rows.append(f"        -- {code} {year}{note}")
        for d in special:
            rows.append(
                f"        ({sql_text(code)}, date '{d.date.isoformat()}', {'true ' if d.working else 'false'}, "
                f"{sql_text(d.name)}),"
            )
    rows[-1] = rows[-1].rstrip(",")
    lines += rows
    lines += [
        ")",
        "insert into calendar_days (calendar_code, day, is_working_day, name, working_day_index)",
        "select y.calendar_code,",
        "       g.day::date,",
        "       coalesce(e.is_working_day, extract(isodow from g.day) < 6),",
        "       case",
        "           when e.day is not null then e.name",
        "           when extract(isodow from g.day) >= 6 then 'Weekend'",
        "       end,",
        "       0",
        "  from calendar_years as y",
        " cross join generate_series(make_date(y.year, 1, 1), make_date(y.year, 12, 31), interval '1 day') as g(day)",
        "  left join exceptions as e",
        "    on e.calendar_code = y.calendar_code",
        "   and e.day = g.day::date;",
        "",
        "do $$",
        "begin",
        "    perform calendar_reindex(code) from calendars;",
        "end;",
        "$$;",
        END_MARK,
    ]
    return "\n".join(lines)


def migration_text(current: str, seed: str) -> str:
    begin, end = current.find(BEGIN_MARK), current.find(END_MARK)
    if begin < 0 or end < begin:
        fail(f"{MIGRATION}: missing the {BEGIN_MARK} / {END_MARK} markers")
    return current[:begin] + seed + current[end + len(END_MARK):]


def generate(facts: Facts) -> dict[Path, str]:
    data: dict[tuple[str, int], list[Day]] = {}
    for calendar in CALENDARS:
        for year in YEARS:
            days = build(calendar.code, year)
            check(calendar.code, year, days, facts)
            data[(calendar.code, year)] = days
    files = {CSV_DIR / f"{code}-{year}.csv": csv_text(days) for (code, year), days in data.items()}
    files[MIGRATION] = migration_text(MIGRATION.read_text(encoding="utf-8"), seed_sql(data))
    return files


def verify_db(url: str) -> int:
    """Compare every calendar-year in the database with its CSV file."""
    problems = 0
    for calendar in CALENDARS:
        for year in YEARS:
            path = CSV_DIR / f"{calendar.code}-{year}.csv"
            query = (
                "copy (select to_char(day, 'YYYY-MM-DD') as date, "
                "case when is_working_day then 'true' else 'false' end as working, name "
                f"from calendar_days where calendar_code = '{calendar.code}' "
                f"and day between '{year}-01-01' and '{year}-12-31' order by day) "
                "to stdout with (format csv, header)"
            )
            exported = subprocess.run(
                ["psql", url, "-X", "-v", "ON_ERROR_STOP=1", "-c", query],
                check=True, capture_output=True, text=True,
            ).stdout
            expected = path.read_text(encoding="utf-8")
            if exported != expected:
                problems += 1
                sys.stdout.writelines(difflib.unified_diff(
                    expected.splitlines(True), exported.splitlines(True), str(path), "database"))
    print(f"verify-db: {len(CALENDARS) * len(YEARS) - problems} calendar-years agree, {problems} differ")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the files are not up to date")
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="the calendar facts to check against (default Docs/regimes.md)")
    parser.add_argument("--verify-db", metavar="POSTGRES_URL", help="compare a migrated database with the CSVs")
    args = parser.parse_args()

    if args.verify_db:
        return verify_db(args.verify_db)

    print(f"holidays {holidays.__version__}")
    facts = load_facts(args.facts)
    files = generate(facts)
    print(f"checks passed: {len(CALENDARS)} calendars x {len(YEARS)} years agree with the facts")

    if args.check:
        stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"out of date: {p.relative_to(REPO)}")
        return 1 if stale else 0

    CSV_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
