"""Analytics inputs that are datasets in the bank: read through the gate, recorded in the ledger.

A dataset version is mapped onto the panel an analysis needs by one declared table, `SOURCES`: each
panel column takes the first of its source columns the dataset has.
- value: `value_usd` (trade datasets, USD), `value` (USD), `value_usd_mn` (input-output tables such as
  the OECD ICIO intermediate flows, USD million); the unit travels with the panel (`unit_of`);
- exporter: `exporter`, else `country` (country-product tables such as the SITC exports), upper-cased;
- product: `product`, else `exporter_sector` (ICIO: the selling industry's sector code);
- year: `year`, else the dataset's temporal end year (a single-period table);
- importer as it is (codes as strings).
A bilateral panel (exporter and importer) holds trade between countries only: rows with exporter ==
importer (the domestic flows of an input-output table) are left out unless `domestic=True`.
Every read asks `authorize(..., action=Action.QUERY, purpose="statistics")`; analytics need the rows,
so a grant limited to aggregates is refused. One ledger entry per read names the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pyarrow as pa
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import Action, Reader
from scobank.analytics.panel import check_panel
from scobank.catalog.versions import resolve_version
from scobank.errors import AccessDenied, BadRequest
from scobank.lake.engine import get_engine

PURPOSE = "statistics"


@dataclass(frozen=True)
class Source:
    """A dataset column that can stand for a panel column; `unit` for value columns."""

    column: str
    unit: str | None = None
    kind: str = "code"  # product columns: "code" (HS, SITC: digit levels apply) or "sector"


SOURCES: dict[str, tuple[Source, ...]] = {
    "value": (Source("value_usd", "USD"), Source("value", "USD"), Source("value_usd_mn", "USD million")),
    "exporter": (Source("exporter"), Source("country")),
    "product": (Source("product"), Source("exporter_sector", kind="sector")),
    "importer": (Source("importer"),),
    "year": (Source("year"),),
}
UNIT_SCALE = {"USD": 1.0, "USD million": 1e6}  # to USD, for display


def _source(table: ibis.Table, name: str, *, slug: str) -> Source:
    for source in SOURCES.get(name, (Source(name),)):
        if source.column in table.columns:
            return source
    wanted = " or ".join(s.column for s in SOURCES.get(name, (Source(name),)))
    raise BadRequest(f"dataset {slug!r} has no column {wanted} (columns: {', '.join(table.columns)})")


def unit_of(panel: pa.Table) -> str:
    """The unit of a panel's `value` read by `dataset_panel` ("USD" or "USD million")."""
    return (panel.schema.metadata or {}).get(b"unit", b"USD").decode()


def product_kind(panel: pa.Table) -> str:
    """What a panel's `product` codes are: "code" (HS, SITC) or "sector" (ICIO industries)."""
    return (panel.schema.metadata or {}).get(b"product_kind", b"code").decode()


def _select(t: ibis.Table, dataset, columns: tuple[str, ...], slug: str) -> tuple[dict, dict[str, str]]:
    picked, meta = {}, {}
    for name in columns:
        if name == "year" and "year" not in t.columns:
            if dataset.temporal_end is None:
                raise BadRequest(f"dataset {slug!r} has no year column and no temporal coverage")
            picked[name] = ibis.literal(int(dataset.temporal_end), "int64")
            continue
        source = _source(t, name, slug=slug)
        column = t[source.column]
        if name == "value":
            picked[name], meta["unit"] = column.cast("float64"), source.unit or "USD"
        elif name == "year":
            picked[name] = column.cast("int64")
        else:
            picked[name] = column.cast("string").upper() if name == "exporter" else column.cast("string")
        if name == "product":
            meta["product_kind"] = source.kind
    return picked, meta


def dataset_panel(session: Session, *, slug: str, reader: Reader, columns: tuple[str, ...],
                  analysis: str, version: int | None = None, domestic: bool = False) -> pa.Table:
    """The checked panel `columns` (e.g. year, exporter, product, value) of a dataset version, mapped by
    `SOURCES`; the value's unit and the product kind in the schema metadata (`unit_of`, `product_kind`)."""
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                          number=version, purpose=PURPOSE)
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r}: your access gives aggregates only; {analysis} needs the rows "
                           "(ask the steward for row access for statistics)")
    engine = get_engine()
    t = engine.table(ver)
    picked, meta = _select(t, dataset, columns, slug)
    expr = t.select(**picked)
    if not domestic and {"exporter", "importer"} <= set(columns):
        expr = expr.filter(expr.exporter != expr.importer)  # trade between countries only
    table = engine.to_arrow(expr)
    check_panel(table, file=f"{slug} v{ver.number}")
    ledger.record(session, actor=reader, action="analytics", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose or PURPOSE, agreement_id=grant.agreement_id, rows=table.num_rows,
                  cells=table.num_rows * table.num_columns, detail={"analysis": analysis})
    return table.replace_schema_metadata(meta)
