"""A typed query over one version: select, filters, group-by with aggregates, sort, cursor pages.

The spec is data (pydantic), never SQL text: it compiles to an Ibis expression over
`engine.table(content_hash)`, with every column name checked against the version's schema and every
filter value converted to the column's type, so nothing a client writes reaches the engine as code.

Text forms (query string and CLI) parse into the same spec:
    filter=exporter:in:KAZ,RUS   filter=year:range:2019,2021   filter=year:range:2019,   (open end)
    filter=product:prefix:72     filter=year:eq:2020  (or year=2020)
    group_by=importer            agg=value_usd:sum   agg=count
    sort=-value_usd  (or value_usd:desc)               limit=100   cursor=<from the previous page>

Pagination: the cursor is opaque (base64 of the offset, the version and a fingerprint of the rest of
the spec); a cursor used with another query or version is refused. Pages are stable because the order
is always total: the requested sort, then the group keys, or the primary key, or every output column.

Aggregates-only grants (k = Grant.aggregates_only_k): statistical disclosure control, whose rules and
parameters are written down in scobank.lake.disclosure: no filter or group on a measure column; only
grouped queries (no raw rows, no min/max: each is one record's value); primary suppression of groups
with fewer than k rows or dominated by their two largest contributions (85 %); sums and means over
values carrying a fixed per-record noise factor (noise infusion, 10-20 %); counts rounded to the nearest
ROUND_COUNTS_TO and sums and means to ROUND_SIGNIFICANT significant digits; how many groups were left
out is said only as a coarse band.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, Field

from scobank.errors import AccessDenied, BadRequest
from scobank.lake.disclosure import HELPER, Disclosure, band, measure_columns, protected_aggregate, refuse_measure_use

MAX_LIMIT = 10_000
ROUND_COUNTS_TO = 5
ROUND_SIGNIFICANT = 3

Scalar = str | int | float | None


class Filter(BaseModel):
    """`column op values`: eq (one value), in (one or more), range (low, high; None = open,
    both ends inclusive), prefix (one text prefix, for codes such as HS products)."""

    column: str
    op: Literal["eq", "in", "range", "prefix"]
    values: list[Scalar]

    @classmethod
    def parse(cls, text: str) -> Filter:
        """`col:op:v1,v2`, `col=op:v1,v2` or `col=value`; in a list, `\\,` is a comma inside a value
        (`partner:in:Korea\\, Rep.,China`) and `\\\\` a backslash."""
        column, sep, rest = _split_filter(text)
        if sep == "=":
            op, colon, raw = rest.partition(":")
            if not colon or op not in OPS:
                return cls(column=column.strip(), op="eq", values=[rest])
        else:
            op, colon, raw = rest.partition(":")
            if not colon or op not in OPS:
                raise BadRequest(f"filter {text!r}: expected COLUMN:OP:VALUES with OP one of eq, in, range, prefix "
                                 "(e.g. exporter:in:KAZ,RUS, year:range:2019,2021, product:prefix:72)")
        values: list[Scalar] = ([v if v != "" else None for v in split_values(raw)] if op in ("in", "range")
                                else [raw])
        return cls(column=column.strip(), op=op, values=values)


OPS = ("eq", "in", "range", "prefix")


def _split_filter(text: str) -> tuple[str, str, str]:
    """(column, the separator after it, the rest): the first of ':' and '=' ends the column's name."""
    cut = min((i for i in (text.find(":"), text.find("=")) if i >= 0), default=-1)
    if cut <= 0:
        raise BadRequest(f"filter {text!r}: expected COLUMN:OP:VALUES or COLUMN=VALUE "
                         "(e.g. exporter:in:KAZ,RUS, reporter=in:KAZ,UZB, year=2020)")
    return text[:cut], text[cut], text[cut + 1:]


def split_values(raw: str) -> list[str]:
    """Comma-separated values, where `\\,` is a comma inside a value and `\\\\` a backslash."""
    values, current, chars = [], [], iter(raw)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, "\\"))
        elif ch == ",":
            values.append("".join(current))
            current = []
        else:
            current.append(ch)
    values.append("".join(current))
    return values


class Aggregate(BaseModel):
    fn: Literal["sum", "count", "mean", "min", "max"]
    column: str | None = None  # None only for count (rows)

    @property
    def name(self) -> str:
        return "count" if self.column is None else f"{self.column}_{self.fn}"

    @classmethod
    def parse(cls, text: str) -> Aggregate:
        """`column:fn` or `count`."""
        if text.strip() in ("count", "*:count"):
            return cls(fn="count")
        column, _, fn = text.rpartition(":")
        if fn not in ("sum", "count", "mean", "min", "max") or not column:
            raise BadRequest(f"agg {text!r}: expected COLUMN:FN with FN one of sum, count, mean, min, max, or 'count'")
        return cls(fn=fn, column=column.strip())


class SortKey(BaseModel):
    column: str
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> SortKey:
        """`col`, `-col`, `col:asc` or `col:desc`."""
        text = text.strip()
        if text.startswith("-"):
            return cls(column=text[1:], descending=True)
        column, _, direction = text.partition(":")
        if direction not in ("", "asc", "desc"):
            raise BadRequest(f"sort {text!r}: expected COLUMN, -COLUMN or COLUMN:asc|desc")
        return cls(column=column, descending=direction == "desc")


class QuerySpec(BaseModel):
    select: list[str] = Field(default_factory=list)
    filters: list[Filter] = Field(default_factory=list)
    group_by: list[str] = Field(default_factory=list)
    aggregates: list[Aggregate] = Field(default_factory=list)
    sort: list[SortKey] = Field(default_factory=list)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    cursor: str | None = None

    @classmethod
    def parse(cls, *, select: list[str] | None = None, filters: list[str] | None = None,
              group_by: list[str] | None = None, aggregates: list[str] | None = None,
              sort: list[str] | None = None, limit: int = 100, cursor: str | None = None) -> QuerySpec:
        """The spec from text forms; list items may themselves be comma-separated (select=a,b)."""
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit {limit} is out of range: 1 to {MAX_LIMIT}")
        return cls(
            select=_split(select), filters=[Filter.parse(f) for f in filters or []],
            group_by=_split(group_by), aggregates=[Aggregate.parse(a) for a in _split(aggregates)],
            sort=[SortKey.parse(s) for s in _split(sort)], limit=limit, cursor=cursor or None,
        )

    @property
    def grouped(self) -> bool:
        return bool(self.group_by or self.aggregates)

    def fingerprint(self, version_key: str) -> str:
        """A stable hash of what is asked (cursor excluded), for cursors and the ledger."""
        body = self.model_dump(exclude={"cursor", "limit"})
        raw = json.dumps([version_key, body], sort_keys=True, default=str).encode()
        return hashlib.sha256(raw).hexdigest()


def _split(items: list[str] | None) -> list[str]:
    return [part.strip() for item in items or [] for part in item.split(",") if part.strip()]


@dataclass
class QueryOutput:
    table: pa.Table  # at most spec.limit rows
    next_cursor: str | None
    suppressed_groups: str | None  # aggregates-only: a coarse band of the groups left out (disclosure.band)
    rounded: bool  # aggregates-only: counts, sums and means rounded (see module docstring)
    fingerprint: str
    total: int | None = None  # rows (groups) the whole query has; None on aggregates-only answers


def run_query(engine, table: ibis.Table, spec: QuerySpec, *, version_key: str,
              primary_key: list[str] | None = None, k: int | None = None,
              version_number: int | None = None, disclosure: Disclosure | None = None) -> QueryOutput:
    """Compile `spec` over `table`, run it on `engine`, return one page.

    `k` (or `disclosure`, the full rules) makes it an aggregates-only answer (scobank.lake.disclosure).
    Raises BadRequest naming the column or value at fault, AccessDenied when an aggregates-only
    grant meets a row query, min/max or a filter or group on a measure."""
    rules = disclosure or (Disclosure(k=k) if k is not None else None)
    k = rules.k if rules else None
    fingerprint = spec.fingerprint(version_key)
    offset = decode_cursor(spec.cursor, fingerprint) if spec.cursor else 0
    if rules is not None:
        refuse_measure_use(spec, measure_columns(table, primary_key))
    filtered = table.filter(_filters(table, spec.filters)) if spec.filters else table
    if spec.grouped:
        expr, order, all_groups = _grouped(filtered, spec, rules)
    else:
        if k is not None:
            raise AccessDenied(f"this dataset is available as aggregates only (groups of at least {k} rows): "
                               "ask with group_by and agg")
        expr, order = _rows(filtered, spec, primary_key), None
    keys = _order(expr, spec, order, primary_key)
    expr = expr.order_by(keys) if keys else expr  # one total row: nothing to order
    page = engine.to_arrow(expr.limit(spec.limit + 1, offset=offset))
    more = page.num_rows > spec.limit
    next_cursor = encode_cursor(offset + spec.limit, fingerprint, version_number) if more else None
    page = page.slice(0, spec.limit)
    suppressed, total = None, None
    if rules is None:
        total = offset + page.num_rows if not more else _count(engine, expr)
    else:
        groups, safe = all_groups
        hidden = int(engine.to_arrow(groups.filter(~safe).count().as_table()).column(0)[0].as_py())
        suppressed = band(hidden)
        page = round_aggregates(page.drop_columns([c for c in page.column_names if c.startswith(HELPER)]), spec)
    return QueryOutput(page, next_cursor, suppressed, k is not None, fingerprint, total)


def _count(engine, expr: ibis.Table) -> int:
    return int(engine.to_arrow(expr.count().as_table()).column(0)[0].as_py())


def narrow(table: ibis.Table, *, columns: list[str] | None = None,
           filters: list[Filter] | None = None) -> ibis.Table:
    """The rows of `table` matching every filter, with `columns` only (all when none), in that order.
    BadRequest names an unknown column or a value that does not fit its column (exports use it)."""
    filtered = table.filter(_filters(table, filters)) if filters else table
    return filtered.select([_column(filtered, c, "columns") for c in columns]) if columns else filtered


def _column(table: ibis.Table, name: str, what: str) -> ibis.Column:
    if name not in table.columns:
        raise BadRequest(f"{what}: unknown column {name!r}; the columns are: {', '.join(table.columns)}")
    return table[name]


def _filters(table: ibis.Table, filters: list[Filter]) -> list[ibis.BooleanValue]:
    out = []
    for f in filters:
        col = _column(table, f.column, f"filter on {f.column!r}")
        values = [_coerce(v, col.type(), f) for v in f.values]
        if f.op == "eq":
            _arity(f, values, 1)
            out.append(col.isnull() if values[0] is None else col == values[0])
        elif f.op == "in":
            if not values or None in values:
                raise BadRequest(f"filter {f.column}:in needs one or more values")
            out.append(col.isin(values))
        elif f.op == "range":
            _arity(f, values, 2)
            low, high = values
            if low is None and high is None:
                raise BadRequest(f"filter {f.column}:range needs a low or a high end")
            out += ([col >= low] if low is not None else []) + ([col <= high] if high is not None else [])
        else:
            _arity(f, values, 1)
            if not col.type().is_string():
                raise BadRequest(f"filter {f.column}:prefix works on text columns; {f.column!r} is {col.type()}")
            out.append(col.startswith(values[0]))
    return out


def _arity(f: Filter, values: list, n: int) -> None:
    if len(values) != n:
        raise BadRequest(f"filter {f.column}:{f.op} takes {n} value{'s' if n > 1 else ''}, got {len(values)}")


def _coerce(value: Scalar, dtype: dt.DataType, f: Filter) -> object:
    if value is None:
        return None
    try:
        if dtype.is_integer():
            return int(str(value))
        if dtype.is_floating() or dtype.is_decimal():
            return float(str(value))
        if dtype.is_boolean():
            return {"true": True, "false": False, "1": True, "0": False}[str(value).lower()]
        if dtype.is_date():
            return date.fromisoformat(str(value))
        if dtype.is_timestamp():
            return datetime.fromisoformat(str(value))
        return str(value)
    except (ValueError, KeyError):
        raise BadRequest(f"filter on {f.column!r}: {value!r} is not a valid {dtype} value") from None


def _grouped(filtered: ibis.Table, spec: QuerySpec, rules: Disclosure | None):
    if spec.select:
        raise BadRequest("select and group_by/agg do not combine: a grouped answer has the group columns "
                         "and the aggregates")
    keys = [_column(filtered, g, "group_by").get_name() for g in spec.group_by]
    aggregates = spec.aggregates or [Aggregate(fn="count")]
    metrics = {}
    for agg in aggregates:
        if rules is not None and agg.fn in ("min", "max"):
            raise AccessDenied(f"agg {agg.name}: min and max are not available on an aggregates-only dataset "
                               "(each is one record's value)")
        metrics[agg.name] = _metric(filtered, agg)
    if rules is None:
        expr = filtered.group_by(keys).aggregate(**metrics) if keys else filtered.aggregate(**metrics)
        return expr, keys, None
    groups, safe = protected_aggregate(filtered, keys, aggregates, rules)
    return groups.filter(safe), keys, (groups, safe)


def _metric(table: ibis.Table, agg: Aggregate):
    if agg.column is None:
        return ibis._.count()
    col = _column(table, agg.column, f"agg {agg.name}")
    if agg.fn in ("sum", "mean") and not col.type().is_numeric():
        raise BadRequest(f"agg {agg.name}: {agg.fn} needs a numeric column; {agg.column!r} is {col.type()}")
    return getattr(col, agg.fn)()


def _rows(filtered: ibis.Table, spec: QuerySpec, primary_key: list[str] | None) -> ibis.Table:
    if not spec.select:
        return filtered
    return filtered.select([_column(filtered, c, "select") for c in spec.select])


def _order(expr: ibis.Table, spec: QuerySpec, group_keys: list[str] | None, primary_key: list[str] | None):
    keys = []
    for s in spec.sort:
        col = _column(expr, s.column, "sort")
        keys.append(ibis.desc(col) if s.descending else ibis.asc(col))
    output = [c for c in expr.columns if not c.startswith(HELPER)]
    if group_keys is not None:
        tiebreak = group_keys
    elif primary_key and all(c in output for c in primary_key):
        tiebreak = primary_key
    else:
        tiebreak = output
    sorted_already = {s.column for s in spec.sort}
    return keys + [ibis.asc(expr[c]) for c in tiebreak if c not in sorted_already]


def encode_cursor(offset: int, fingerprint: str, version_number: int | None = None) -> str:
    raw = json.dumps({"o": offset, "f": fingerprint[:16], "v": version_number}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_body(cursor: str) -> dict:
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        int(body["o"]), str(body["f"])
        return body
    except (ValueError, KeyError, TypeError):
        raise BadRequest("cursor is not valid: pass the next_cursor of the previous page unchanged") from None


def cursor_version(cursor: str) -> int | None:
    """The version number a cursor's pages belong to (so a new version published between two pages
    does not change what the next page reads)."""
    version = _cursor_body(cursor).get("v")
    return int(version) if isinstance(version, int) else None


def decode_cursor(cursor: str, fingerprint: str) -> int:
    body = _cursor_body(cursor)
    offset, owner = int(body["o"]), str(body["f"])
    if owner != fingerprint[:16] or offset < 0:
        raise BadRequest("cursor belongs to another query or version: repeat the same query with it")
    return offset


def round_aggregates(page: pa.Table, spec: QuerySpec) -> pa.Table:
    """Counts to the nearest ROUND_COUNTS_TO, sums and means to ROUND_SIGNIFICANT significant digits."""
    columns = {a.name: a for a in spec.aggregates or [Aggregate(fn="count")]}
    for name, agg in columns.items():
        i = page.schema.get_field_index(name)
        if agg.fn == "count":
            values = pc.multiply(pc.round(pc.divide(pc.cast(page[name], pa.float64()), ROUND_COUNTS_TO)), ROUND_COUNTS_TO)
            page = page.set_column(i, name, pc.cast(values, pa.int64()))
        elif agg.fn in ("sum", "mean"):
            page = page.set_column(i, name, pa.array(_significant(page[name].to_numpy(zero_copy_only=False)),
                                                     pa.float64()))
    return page


def _significant(values: np.ndarray) -> np.ndarray:
    values = values.astype(float)
    out = values.copy()
    finite = np.isfinite(values) & (values != 0)
    exponent = np.floor(np.log10(np.abs(values[finite]))) - (ROUND_SIGNIFICANT - 1)
    scale = np.power(10.0, exponent)
    out[finite] = np.round(values[finite] / scale) * scale
    return out


def rows_for_json(table: pa.Table) -> list[dict]:
    """Rows as dicts with NaN and infinities as None (JSON has neither)."""
    rows = table.to_pylist()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                row[key] = None
    return rows
