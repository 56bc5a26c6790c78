"""Analytics inputs that are datasets in the bank: read through the gate, recorded in the ledger.

A dataset version is mapped onto the panel an analysis needs:
- value: `value_usd` (trade datasets) or `value`;
- exporter: `exporter`, else `country` (country-product tables such as the SITC exports), upper-cased;
- year: `year`, else the dataset's temporal end year (a single-period table);
- importer and product as they are (codes as strings).
Every read asks `authorize(..., action=Action.QUERY, purpose="statistics")`; analytics need the rows,
so a grant limited to aggregates is refused. One ledger entry per use names the analysis.

`use_panel` is the gate and the ledger, on every call; the rows are read only when the analysis needs
them (`PanelInput.table()`), which a cached result (`analytics.cache`) does not. `dataset_panel` reads now.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import Action, Reader
from scobank.analytics.cache import PANEL_FACTS
from scobank.analytics.panel import check_panel
from scobank.catalog.models import Dataset, DatasetVersion
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


class PanelInput:
    """One authorized use of a dataset version as an analysis panel, made by `use_panel`: the gate has
    passed and the ledger entry is written; the rows are read from the lake on the first `table()` only,
    so an analysis whose result is cached (`cache.cached`) never reads them."""

    def __init__(self, dataset: Dataset, version: DatasetVersion, *, slug: str, columns: tuple[str, ...]) -> None:
        self.dataset, self.version, self.slug, self.columns = dataset, version, slug, columns
        self._table: pa.Table | None = None

    @property
    def key(self) -> tuple:
        """What the panel is a function of: the version's bytes, the columns, the year taken from the
        dataset's temporal coverage (used when the version has no year column)."""
        return (self.version.content_hash, self.columns, self.dataset.temporal_end)

    def table(self) -> pa.Table:
        """The checked panel (read once)."""
        if self._table is None:
            self._table = _read_panel(self.dataset, self.version, slug=self.slug, columns=self.columns)
            PANEL_FACTS.put(self.key, PanelFacts.of(self._table))
        return self._table

    def facts(self) -> PanelFacts:
        """Rows and years of the panel: remembered from an earlier read of the same key, else read now."""
        known = PANEL_FACTS.get(self.key)
        return known if known is not None else PanelFacts.of(self.table())


@dataclass(frozen=True)
class PanelFacts:
    rows: int
    cells: int
    years: tuple[int, ...]

    @classmethod
    def of(cls, table: pa.Table) -> PanelFacts:
        years = tuple(sorted(pc.unique(table["year"]).to_pylist())) if "year" in table.column_names else ()
        return cls(rows=table.num_rows, cells=table.num_rows * table.num_columns, years=years)


def _read_panel(dataset: Dataset, ver: DatasetVersion, *, slug: str, columns: tuple[str, ...]) -> pa.Table:
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
    return table


def use_panel(session: Session, *, slug: str, reader: Reader, columns: tuple[str, ...], analysis: str,
              version: int | None = None) -> PanelInput:
    """Authorize `reader` for the version (QUERY, purpose statistics, rows not aggregates: raises NotFound,
    AccessDenied) and record the use in the ledger (rows and cells of the panel), on every call; returns
    the panel, whose rows are read when first asked for (here already when its size is not yet known)."""
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                          number=version, purpose=PURPOSE)
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r}: your access gives aggregates only; {analysis} needs the rows "
                           "(ask the steward for row access for statistics)")
    panel = PanelInput(dataset, ver, slug=slug, columns=columns)
    facts = panel.facts()
    ledger.record(session, actor=reader, action="analytics", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose or PURPOSE, agreement_id=grant.agreement_id, rows=facts.rows,
                  cells=facts.cells, detail={"analysis": analysis})
    return panel


def dataset_panel(session: Session, *, slug: str, reader: Reader, columns: tuple[str, ...],
                  analysis: str, version: int | None = None) -> pa.Table:
    """The checked panel `columns` (e.g. year, exporter, product, value) of a dataset version, read now."""
    return use_panel(session, slug=slug, reader=reader, columns=columns, analysis=analysis,
                     version=version).table()
