"""Column types inferred from the whole column, in one scan, without hiding errors.

Missing-value markers (`scobank.ingest.markers`) are set aside first. Of the values left, the share
that fits each type decides: when every value fits, that is the type; when most do (MAJORITY), the
type holds and the few that do not fit are reported as row problems (`2O07` in a year column), never
a reason to read the whole column as text. Numbers are tried in every format (`scobank.ingest.numbers`)
and the column keeps the one most of its values fit, stated in the schema as Frictionless
`decimalChar` / `groupChar`.

Columns named like codes (HS 010121, ISO 004, OKVED2 05.1) stay text, as do columns with numbers
written with leading zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from scobank.ingest.duck import ident, used
from scobank.ingest.numbers import FORMATS, SEMICOLON_ORDER, NumberFormat, format_for

MAJORITY = 0.75  # a type holds when this share of a column's values fit it (and at least two)
CODE_NAME = re.compile(r"(?i)^(k|i|j|hs\d*|hs_?code|product(_?code)?|cmd_?code|commodity(_?code)?|code|"
                       r".*_code|.*code$|код.*|.*\bкод\b.*|iso\w*|country|exporter|importer|reporter\w*|"
                       r"partner\w*|.*编码|.*代码)$")
PROBES = 8 + 2 * len(FORMATS)
# Years written with a unit, as Chinese and CIS tables do: "2023年", "2023 г.", "2023 год", "2023 year".
SUFFIXED_YEAR = r"(1[89]|20)[0-9]{2}\s*(年|г\.?|год|жыл|year)"


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    type: str  # integer | number | date | boolean | string
    filled: int  # values other than markers and empty cells
    markers: int  # cells holding a missing-value marker (any)
    not_fitting: int  # values that do not fit `type` (reported as row problems)
    mixed_script: int  # values mixing Latin and Cyrillic letters
    number_format: NumberFormat | None = None
    year_suffix: bool = False  # years written with a unit ("2023年"): read as integers (bareNumber false)
    given_markers: int = 0  # cells holding a marker the steward gave (--na, missingValues)

    def marker_cells(self, field_type: str, *, code: bool = False) -> int:
        """Cells read as missing in a column of `field_type`: in text and code columns only the markers
        the steward gave count ("X" is section 10 of the HS, "NA" is Namibia), elsewhere all."""
        return self.given_markers if field_type == "string" or code else self.markers

    def to_dict(self) -> dict:
        out = {"name": self.name, "type": self.type, "values": self.filled, "not_fitting": self.not_fitting,
               "missing_markers": self.markers}
        if self.number_format is not None and self.type in ("integer", "number"):
            out["decimal"] = self.number_format.decimal
            out["thousands"] = self.number_format.thousands
        return out


def marker_params(markers: dict[str, str], given: tuple[str, ...] = ()) -> dict:
    return {"markers": sorted(markers), "given": sorted({m.strip() for m in given if m.strip()})}


def _probes(column: str, index: int, *, code: bool) -> list[str]:
    x = f"trim({ident(column)})"
    given = f"list_contains(CAST($given AS VARCHAR[]), {x})"
    value = f"({x} <> '' AND NOT list_contains($markers, {x}))" if not code else f"({x} <> '' AND NOT {given})"
    out = [f"count(*) FILTER (WHERE {value})",
           f"count(*) FILTER (WHERE list_contains($markers, {x}))" if not code else "0",
           f"count(*) FILTER (WHERE {given})",
           f"count(*) FILTER (WHERE {value} AND TRY_CAST({x} AS DATE) IS NOT NULL)",
           f"count(*) FILTER (WHERE lower({x}) IN ('true', 'false'))",
           f"coalesce(bool_or(regexp_full_match({x}, '[-+]?0[0-9]+')), false)",
           f"count(*) FILTER (WHERE regexp_matches({x}, '[A-Za-z]') AND regexp_matches({x}, '[Ѐ-ӿ]'))",
           f"count(*) FILTER (WHERE {value} AND regexp_full_match({x}, $year))"]
    for n in range(len(FORMATS)):
        out.append(f"count(*) FILTER (WHERE {value} AND regexp_full_match({x}, $p{n}))")
        out.append(f"count(*) FILTER (WHERE {value} AND regexp_full_match({x}, $p{n}) AND NOT contains({x}, $d{n}))")
    return out


def profile_columns(conn: duckdb.DuckDBPyConnection, columns: list[str], *, markers: dict[str, str],
                    given: tuple[str, ...] = (),
                    semicolon: bool = False, decimal: str | None = None,
                    thousands: str | None = None) -> list[ColumnProfile]:
    """A profile per column of the view `raw` (see the module docstring), in one scan."""
    if not columns:
        return []
    codes = [bool(CODE_NAME.match(c)) for c in columns]
    probes = [p for i, c in enumerate(columns) for p in _probes(c, i, code=codes[i])]
    params = {**marker_params(markers, given), "year": SUFFIXED_YEAR, **{f"p{n}": f.pattern for n, f in enumerate(FORMATS)},
              **{f"d{n}": f.decimal for n, f in enumerate(FORMATS)}}
    sql = "SELECT " + ", ".join(probes) + " FROM raw"  # noqa: S608
    row = conn.execute(sql, used(sql, params)).fetchall()[0]
    allowed = format_for(decimal, thousands)
    order = [f for f in (SEMICOLON_ORDER if semicolon else FORMATS) if f in allowed]
    out = []
    for i, column in enumerate(columns):
        counts = row[i * PROBES:(i + 1) * PROBES]
        out.append(_decide(column, counts, code=codes[i], order=order))
    return out


def _decide(column: str, counts: tuple, *, code: bool, order: list[NumberFormat]) -> ColumnProfile:
    filled, markers, given, dates, bools, padded, mixed, years = counts[:8]
    fits = {fmt: (counts[8 + 2 * n], counts[9 + 2 * n]) for n, fmt in enumerate(FORMATS)}
    fmt = max(order, key=lambda f: fits[f][0]) if order else None  # max keeps the first of equals
    numbers, integers = fits[fmt] if fmt else (0, 0)
    if years and not code and years + fits[FORMATS[0]][1] == filled:  # every value a year, some with 年 / г.
        return ColumnProfile(column, "integer", filled, markers, 0, mixed, None, year_suffix=True,
                             given_markers=given)
    kind, fit = "string", filled
    if filled and not code and not padded:
        candidates = [("integer", integers if integers == numbers else 0), ("number", numbers),
                      ("date", dates), ("boolean", bools)]
        kind, fit = next(((k, n) for k, n in candidates if n == filled), max(candidates, key=lambda kn: kn[1]))
        if fit < filled and (fit < MAJORITY * filled or fit < 2):
            kind, fit = "string", filled
    return ColumnProfile(column, kind, filled, markers, filled - fit, mixed,
                         fmt if kind in ("integer", "number") else None, given_markers=given)
