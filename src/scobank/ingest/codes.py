"""Reference codes as small DuckDB tables and lists: countries (any accepted form -> ISO3), HS codes
of one revision, BACI country codes. Read through `scobank.reference.lookup`, never from files."""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from scobank.errors import BadRequest, NotFound
from scobank.reference.aliases import country_aliases
from scobank.reference.lookup import baci_code_table, country_table, hs_table, resolve_country

# Beyond this many distinct unmatched values, names are not looked up one by one (they are bad codes).
NAME_LOOKUPS = 500
COMTRADE_REVISIONS = {"H0": "HS92", "H1": "HS96", "H2": "HS02", "H3": "HS07", "H4": "HS12", "H5": "HS17",
                      "H6": "HS22"}


def revision_label(value: str) -> str:
    """"hs17", "HS 2017", "H5", "2017" -> "HS17"; BadRequest when it names no HS revision."""
    text = re.sub(r"[\s_-]", "", value).upper()
    if text in COMTRADE_REVISIONS:
        return COMTRADE_REVISIONS[text]
    match = re.fullmatch(r"(?:HS)?(?:19|20)?(\d{2})", text)
    if not match:
        raise BadRequest(f"{value!r} is not an HS revision (expected e.g. HS92, HS17, HS22)")
    return f"HS{match.group(1)}"


def register_hs(conn: duckdb.DuckDBPyConnection, session: Session, *, revision: str, table: str = "hs_codes") -> None:
    """The codes of `revision` as table `table(code)`; BadRequest for a revision the bank lacks."""
    try:
        codes = hs_table(session, revision)
    except NotFound as exc:
        raise BadRequest(f"cannot check HS codes: {exc.message}") from exc
    conn.register(table, codes.select(["code"]))


# Areas that BACI and UN Comtrade both report under a code of their own, not an ISO 3166 country:
# 490 "Other Asia, not elsewhere specified" is labelled S19 by both.
SPECIAL_AREAS = {490: "S19"}
BACI_CODE_MAX = 999


def baci_iso_list(session: Session) -> list[str | None]:
    """ISO3 by BACI code as a list index (position code + 1 in SQL): India's 699 -> "IND".

    CEPII's own codes win; a code that is not one of them is read as ISO numeric (recent BACI
    releases write Italy as 380, where older ones wrote 381); then SPECIAL_AREAS."""
    out: list[str | None] = [None] * (BACI_CODE_MAX + 1)
    for row in country_table(session).to_pylist():
        if row["numeric"] is not None and 0 <= row["numeric"] <= BACI_CODE_MAX:
            out[row["numeric"]] = row["iso3"]
    for code, iso in SPECIAL_AREAS.items():
        out[code] = iso
    table = baci_code_table(session)
    for code, iso in zip(table["baci_code"].to_pylist(), table["iso3"].to_pylist(), strict=True):
        if code is not None and 0 <= code <= BACI_CODE_MAX:
            out[code] = iso
    return out


def country_keys(session: Session) -> dict[str, str]:
    """Every accepted spelling of a country, folded (upper-case codes, case-folded English names) -> ISO3."""
    table = country_table(session).to_pylist()
    keys: dict[str, str] = {}
    for row in table:
        for key in (row["name_en"] or "", str(row["numeric"] or "")):
            if key:
                keys.setdefault(key.casefold(), row["iso3"])
    for alias, iso3 in country_aliases().items():  # offices' spellings (reference/data/country_aliases.csv)
        keys.setdefault(alias, iso3)
    for row in table:  # codes win over names
        if row["iso2"]:
            keys[row["iso2"].casefold()] = row["iso3"]
        keys[row["iso3"].casefold()] = row["iso3"]
    return keys


def register_country_map(conn: duckdb.DuckDBPyConnection, session: Session, values: list[str], *,
                         table: str) -> None:
    """Table `table(value, iso3)` for the distinct `values` of a column: ISO3, ISO2, ISO numeric, or a
    country name in any language the reference holds; iso3 is NULL for a value that names no country."""
    keys = country_keys(session)
    mapped: dict[str, str | None] = {}
    unmatched = 0
    for value in values:
        text = value.strip()
        found = keys.get(text.lstrip("0").casefold() if text.isdigit() else text.casefold())
        if found is None and unmatched < NAME_LOOKUPS and text and not text.isdigit():
            unmatched += 1
            try:
                found = resolve_country(session, text)
            except NotFound:
                found = None
        mapped[value] = found
    arrow = pa.table({"value": pa.array(list(mapped), pa.string()),
                      "iso3": pa.array(list(mapped.values()), pa.string())})
    conn.register(table, arrow)


def _enum(conn: duckdb.DuckDBPyConnection, name: str, values: list[str]) -> None:
    """CREATE TYPE `name` AS ENUM of `values` (sorted, distinct). Names are this module's constants."""
    conn.register("enum_values", pa.table({"v": pa.array(sorted(set(values)), pa.string())}))
    conn.execute(f"CREATE TYPE {name} AS ENUM (SELECT v FROM enum_values ORDER BY v)")  # noqa: S608 (name is one of this module's constants)
    conn.unregister("enum_values")


def register_code_types(conn: duckdb.DuckDBPyConnection, session: Session, *, revision: str,
                        also: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """ENUM types for the trade table: iso_t (every ISO3 the reference knows and SPECIAL_AREAS), hs_t
    (every code of `revision`) and rev_t (the revision). TRY_CAST(x AS iso_t) is NULL for an unknown
    code, so a cast is the check; and ENUM columns stay small in memory and cheap to write, while
    Parquet readers see plain strings.

    Also hs_k: every spelling of an HS code that padding accepts (`_hs_spellings`), and returns the
    parameter `hs_of_k`, the hs_t code of each hs_k value by position, for a lookup without string work."""
    revisions = [revision, *[r for r in also if r != revision]]
    codes: list[str] = []
    try:
        for each in revisions + (["HS12"] if "HS17" in also else []):  # see ingest/eidb.py: HS17 detail
            codes += hs_table(session, each)["code"].to_pylist()
    except NotFound as exc:
        raise BadRequest(f"cannot check HS codes: {exc.message}") from exc
    _enum(conn, "iso_t", country_table(session)["iso3"].to_pylist() + list(SPECIAL_AREAS.values()))
    _enum(conn, "hs_t", codes)
    _enum(conn, "rev_t", revisions)
    _enum(conn, "unit_t", ["t"])
    spellings = _hs_spellings(codes)
    _enum(conn, "hs_k", list(spellings))
    return {"hs_of_k": [spellings[k] for k in sorted(spellings)]}


def _hs_spellings(codes: list[str]) -> dict[str, str]:
    """Each text that a code column may hold for a code, without spaces -> the code: the six-digit code
    itself and the same without its leading zeros (BACI writes 010121 as 10121); the same texts as
    "pad to six digits with zeros, then look up" accepts (a shorter code such as 0101 is not one)."""
    out: dict[str, str] = {}
    for code in codes:
        if len(code) >= 6:
            out[code] = code
        if len(code) == 6:
            stripped = code.lstrip("0")
            for cut in range(1, len(code) - len(stripped) + 1):
                if code[cut:]:
                    out[code[cut:]] = code
    return out
