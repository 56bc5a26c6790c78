"""Analytics inputs that are datasets in the bank: read through the gate, recorded in the ledger.

A dataset version is mapped onto the panel an analysis needs:
- value: `value_usd` (trade datasets) or `value`;
- exporter: `exporter`, else `country` (country-product tables such as the SITC exports), upper-cased;
- year: `year`, else the dataset's temporal end year (a single-period table);
- importer and product as they are (codes as strings).
Every read asks `authorize(..., action=Action.QUERY, purpose="statistics")`; analytics need the rows,
so a grant limited to aggregates is refused. One ledger entry per read names the analysis.
"""

from __future__ import annotations

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


def _column(table: ibis.Table, wanted: str, *alternatives: str, slug: str) -> ibis.Column:
    for name in (wanted, *alternatives):
        if name in table.columns:
            return table[name]
    raise BadRequest(f"dataset {slug!r} has no column {' or '.join((wanted, *alternatives))} "
                     f"(columns: {', '.join(table.columns)})")


def dataset_panel(session: Session, *, slug: str, reader: Reader, columns: tuple[str, ...],
                  analysis: str, version: int | None = None) -> pa.Table:
    """The checked panel `columns` (e.g. year, exporter, product, value) of a dataset version."""
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                          number=version, purpose=PURPOSE)
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r}: your access gives aggregates only; {analysis} needs the rows "
                           "(ask the steward for row access for statistics)")
    engine = get_engine()
    t = engine.table(ver)
    picked = {}
    for name in columns:
        if name == "year" and "year" not in t.columns:
            if dataset.temporal_end is None:
                raise BadRequest(f"dataset {slug!r} has no year column and no temporal coverage")
            picked[name] = ibis.literal(int(dataset.temporal_end), "int64")
        elif name == "value":
            picked[name] = _column(t, "value_usd", "value", slug=slug).cast("float64")
        elif name == "exporter":
            picked[name] = _column(t, "exporter", "country", slug=slug).cast("string").upper()
        else:
            picked[name] = _column(t, name, slug=slug).cast("int64" if name == "year" else "string")
    table = engine.to_arrow(t.select(**picked))
    check_panel(table, file=f"{slug} v{ver.number}")
    ledger.record(session, actor=reader, action="analytics", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose or PURPOSE, agreement_id=grant.agreement_id, rows=table.num_rows,
                  cells=table.num_rows * table.num_columns, detail={"analysis": analysis})
    return table
