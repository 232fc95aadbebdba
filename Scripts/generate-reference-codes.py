#!/usr/bin/env python3
"""Generate Database/migrations/0001_reference_codes.sql from pycountry.

The generated SQL is committed; this script is only how it is regenerated
(for example after a pycountry upgrade brings a new ISO 3166 / ISO 4217
amendment). Usage, from anywhere:

    pip install pycountry
    python3 Scripts/generate-reference-codes.py            # rewrite the file
    python3 Scripts/generate-reference-codes.py --check    # exit 1 if stale
    python3 Scripts/generate-reference-codes.py --stdout   # print, write nothing

Review the diff before committing: a changed row is a changed reference code.

pycountry carries names and codes but not ISO 4217 minor units, so those come
from MINOR_UNIT_EXCEPTIONS below (every active code not listed there has 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

try:
    import pycountry
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("generate-reference-codes.py: pycountry is missing; run: pip install pycountry")

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "Database" / "migrations" / "0001_reference_codes.sql"

# ISO 4217 minor units (the number of decimal places of the minor unit) for
# every active code whose value is not 2. None means "N.A." in ISO 4217:
# precious metals, bond-market / fund units of account, and the testing and
# no-currency codes.
MINOR_UNIT_EXCEPTIONS: dict[str, int | None] = {
    # No minor unit in use.
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
    "KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
    "XAF": 0, "XOF": 0, "XPF": 0,
    # Three decimal places (dinars, rials of 1000 fils/baisa/millimes).
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # Four decimal places (indexed units of account).
    "CLF": 4, "UYW": 4,
    # Not applicable.
    "XAG": None, "XAU": None, "XBA": None, "XBB": None, "XBC": None,
    "XBD": None, "XDR": None, "XPD": None, "XPT": None, "XSU": None,
    "XTS": None, "XUA": None, "XXX": None,
}


def sql_literal(text: str) -> str:
    """A standard-conforming SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_minor_units(value: int | None) -> str:
    return "null" if value is None else str(value)


def values_block(rows: list[str]) -> str:
    """One row per line, comma-separated, the last one ending the statement."""
    return ",\n".join("    " + row for row in rows) + ";\n"


def generate() -> str:
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    currencies = sorted(pycountry.currencies, key=lambda c: c.alpha_3)

    currency_codes = {c.alpha_3 for c in currencies}
    stale = sorted(set(MINOR_UNIT_EXCEPTIONS) - currency_codes)
    if stale:
        sys.exit(
            "generate-reference-codes.py: MINOR_UNIT_EXCEPTIONS lists codes pycountry no longer has: "
            + ", ".join(stale)
        )

    version = getattr(pycountry, "__version__", None)
    if version is None:  # older pycountry releases have no __version__
        from importlib.metadata import version as dist_version

        version = dist_version("pycountry")

    country_rows = [f"({sql_literal(c.alpha_2)}, {sql_literal(c.name)})" for c in countries]
    currency_rows = [
        f"({sql_literal(c.alpha_3)}, {sql_literal(c.name)}, "
        f"{sql_minor_units(MINOR_UNIT_EXCEPTIONS.get(c.alpha_3, 2))})"
        for c in currencies
    ]

    return f"""\
-- 0001_reference_codes.sql: ISO 3166-1 country codes and ISO 4217 currency codes.
--
-- GENERATED FILE, do not edit by hand. Regenerate with
--     python3 Scripts/generate-reference-codes.py
-- (source: pycountry {version}; {len(countries)} countries, {len(currencies)} currencies).
-- ISO 4217 minor units are not in pycountry; they come from the table of
-- exceptions in that script (2 unless listed there).
--
-- Runs inside the migration runner's transaction: no BEGIN/COMMIT here.

create table countries (
    code char(2) primary key check (code ~ '^[A-Z]{{2}}$'),
    name text not null
);

comment on table countries is
    'ISO 3166-1 alpha-2 country codes with their English short names (reference data, from migration 0001).';
comment on column countries.code is 'ISO 3166-1 alpha-2 code, upper case.';
comment on column countries.name is 'English short name as published in ISO 3166-1.';

create table currencies (
    code char(3) primary key check (code ~ '^[A-Z]{{3}}$'),
    name text not null,
    minor_units smallint check (minor_units between 0 and 4)
);

comment on table currencies is
    'Active ISO 4217 currency and fund codes with their English names (reference data, from migration 0001).';
comment on column currencies.code is 'ISO 4217 alphabetic code, upper case.';
comment on column currencies.name is 'English currency name as published in ISO 4217.';
comment on column currencies.minor_units is
    'Decimal places of the minor unit (ISO 4217 "minor unit"); null where ISO 4217 says N.A. (metals, units of account, XTS, XXX).';

-- {len(countries)} rows, sorted by code.
insert into countries (code, name) values
{values_block(country_rows)}
-- {len(currencies)} rows, sorted by code.
insert into currencies (code, name, minor_units) values
{values_block(currency_rows)}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    mode.add_argument("--stdout", action="store_true", help="print the SQL instead of writing it")
    args = parser.parse_args()

    sql = generate()
    if args.stdout:
        sys.stdout.write(sql)
        return 0
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
        if current != sql:
            print(f"generate-reference-codes.py: {OUTPUT.relative_to(REPO_ROOT)} is stale", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(sql, encoding="utf-8")
    print(f"generate-reference-codes.py: wrote {OUTPUT.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
