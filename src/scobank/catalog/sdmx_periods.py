"""SDMX time periods (startPeriod, endPeriod) as days, and the rows of a version whose TIME_PERIOD falls in
them. A period is YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Sn, YYYY-Tn, YYYY-Wnn (ISO week), YYYY-Mmm or
YYYY-A1 (a date-time is its day). An observation is kept when its period overlaps [start, end]: a year
column keeps 2022 for startPeriod=2022-06; a date column compares days; a text column (2022-Q1,
2022-03) is read as periods itself."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt

from scobank.errors import BadRequest
from scobank.lake.engine import Engine

PERIOD = re.compile(r"(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?"
                    r"|Q(?P<q>[1-4])|S(?P<s>[12])|T(?P<t>[1-3])|W(?P<w>\d{2})|M(?P<mm>\d{2})|A1?))?")
FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Sn, YYYY-Tn, YYYY-Wnn, YYYY-Mmm or YYYY-A1"


def _months(year: int, first: int, count: int) -> tuple[date, date]:
    last = first + count - 1
    return date(year, first, 1), date(year, last, monthrange(year, last)[1])


def bounds(text: str) -> tuple[date, date] | None:
    """The first and last day of an SDMX period; None when the text is not one."""
    found = PERIOD.fullmatch(text.strip())
    if not found:
        return None
    g = {k: int(v) for k, v in found.groupdict().items() if v is not None}
    year = g["y"]
    try:
        if "d" in g:
            day = date(year, g["m"], g["d"])
            return day, day
        if "m" in g or "mm" in g:
            return _months(year, g.get("m") or g["mm"], 1)
        if "q" in g:
            return _months(year, 3 * g["q"] - 2, 3)
        if "s" in g:
            return _months(year, 6 * g["s"] - 5, 6)
        if "t" in g:
            return _months(year, 4 * g["t"] - 3, 4)
        if "w" in g:
            monday = date.fromisocalendar(year, g["w"], 1)
            return monday, monday + timedelta(days=6)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # year 0, month 13, week 54
        return None


def parse(name: str, text: str | None) -> tuple[date, date] | None:
    """A query parameter's period (None when not given); BadRequest naming it when it is not one."""
    if text is None or not text.strip():
        return None
    found = bounds(text)
    if found is None:
        raise BadRequest(f"{name} {text!r}: not an SDMX period; expected {FORMS}")
    return found


@dataclass(frozen=True)
class Within:
    """Rows whose `column` falls between `low` and `high` (inclusive, in the column's own terms: years,
    days, date-times), or, for a text column, is one of `values`."""

    column: str
    low: object = None
    high: object = None
    values: tuple | None = None

    def condition(self, table: ibis.Table) -> ibis.BooleanValue:
        col = table[self.column]
        if self.values is not None:
            return col.isin(list(self.values)) if self.values else ibis.literal(False)
        if col.type().is_timestamp():
            return (col >= ibis.timestamp(self.low.isoformat())) & (col.cast(dt.date) <= self.high)
        return (col >= self.low) & (col <= self.high)


def within(engine: Engine, content_hash: str, column: str, start: date | None, end: date | None) -> Within | None:
    """The rows of the version whose `column`'s periods overlap [start, end] (None: no bound given).
    A text column's distinct values are read once here and kept as a list."""
    if start is None and end is None:
        return None
    table = engine.table(content_hash)
    kind = table[column].type()
    low, high = start or date(1, 1, 1), end or date(9999, 12, 31)
    if kind.is_integer():
        return Within(column, low.year, high.year)
    if kind.is_date() or kind.is_timestamp():
        return Within(column, low, high)
    values = engine.to_arrow(table.select(column).distinct()).column(0).to_pylist()
    kept = []
    for value in values:
        span = bounds(str(value)) if value is not None else None
        if span is not None and span[0] <= high and span[1] >= low:
            kept.append(value)
    return Within(column, values=tuple(kept))
