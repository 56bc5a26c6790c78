"""Analytics inputs that are datasets in the bank: read through the gate, recorded in the ledger.

A dataset version is mapped onto the panel an analysis needs by one declared table, `SOURCES`: each
panel column takes the first of its source columns the version has.
- value: `value_usd` (trade datasets, USD), `value` (USD), `value_usd_mn` (input-output tables such as
  the OECD ICIO intermediate flows, USD million); the unit travels with the panel (`PanelInput.unit`,
  `unit_of`);
- exporter: `exporter`, else `country` (country-product tables such as the SITC exports), upper-cased;
- product: `product`, else `exporter_sector` (ICIO: the selling industry's sector code; `product_kind`
  "sector", to which HS digit levels do not apply);
- year: `year`, else the dataset's temporal end year (a single-period table);
- importer: `importer`, else `partner_code` (codes as strings);
- the Atlas/BACI cleaned flow table (location_code, partner_code, product_id, export_value in USD: the
  crude-oil flows of 2021) maps onto the same columns.
A bilateral panel (exporter and importer) holds trade between countries only: rows with exporter ==
importer (the domestic flows of an input-output table) are left out unless `domestic=True`.
Every read asks `authorize(..., action=Action.QUERY, purpose=...)` with the purpose the caller stated
(`X-Purpose`, `?purpose=`), "statistics" when none was stated; analytics need the rows,
so a grant limited to aggregates is refused. One ledger entry per use names the analysis.

`use_panel` is the gate and the ledger, on every call. The panel is an Ibis expression over the
configured engine's table of the version (`PanelInput.expr()`: SCOBANK_ENGINE, DuckDB or Spark), with the
country codes normalised and the domestic rows left out in the expression itself; its rows and years and
its check (no null, NaN or negative cell) are aggregated where the data is (`PanelInput.facts()`), so
analyses that are relational (overview, complementarity, the country-product totals complexity starts
from) run on the engine and only their results come to this process. Analyses that need every row in
memory ask `PanelInput.table()`, read only when the analysis runs, which a cached result
(`analytics.cache`) does not. `dataset_panel` reads now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Action, Reader
from scobank.analytics.cache import PANEL_FACTS
from scobank.analytics.execution import run
from scobank.analytics.panel import check_panel
from scobank.catalog.datasets import find_dataset
from scobank.catalog.versions import find_version, resolve_version
from scobank.errors import AccessDenied, BadRequest
from scobank.lake.engine import get_engine
from scobank.reference.lookup import LEGACY_ISO3

if TYPE_CHECKING:  # rows the catalog's services hand over; analytics never queries them
    from scobank.catalog.models import Dataset, DatasetVersion

PURPOSE = "statistics"


def stated_purpose(reader: Reader) -> str:
    """The purpose the caller stated (it reaches the gate and the ledger), else "statistics"."""
    return reader.purpose or PURPOSE


@dataclass(frozen=True)
class Source:
    """A version column that can stand for a panel column; `unit` for value columns, `kind` for products."""

    column: str
    unit: str | None = None
    kind: str = "code"  # "code" (HS, SITC: digit levels apply) or "sector" (ICIO industries)


SOURCES: dict[str, tuple[Source, ...]] = {
    "value": (Source("value_usd", "USD"), Source("value", "USD"), Source("value_usd_mn", "USD million"),
              Source("export_value", "USD")),
    "exporter": (Source("exporter"), Source("country"), Source("location_code")),
    "importer": (Source("importer"), Source("partner_code")),
    "product": (Source("product"), Source("exporter_sector", kind="sector"), Source("product_id")),
}
UNIT_SCALE = {"USD": 1.0, "USD million": 1e6}  # to USD, for display


def source_of(columns: Sequence[str], name: str, *, slug: str) -> Source:
    """The first source of panel column `name` among a version's `columns`; BadRequest naming both."""
    choices = SOURCES.get(name, (Source(name),))
    found = next((s for s in choices if s.column in columns), None)
    if found is None:
        raise BadRequest(f"dataset {slug!r} has no column {' or '.join(s.column for s in choices)} "
                         f"(columns: {', '.join(columns)})")
    return found


def unit_of(panel: pa.Table) -> str:
    """The unit of the `value` of a panel read here ("USD" or "USD million")."""
    return (panel.schema.metadata or {}).get(b"unit", b"USD").decode()


def product_kind(panel: pa.Table) -> str:
    """What the `product` codes of a panel read here are: "code" (HS, SITC) or "sector" (ICIO)."""
    return (panel.schema.metadata or {}).get(b"product_kind", b"code").decode()


class PanelInput:
    """One authorized use of a dataset version as an analysis panel, made by `use_panel`: the gate has
    passed and the ledger entry is written; the rows are read from the lake on the first `table()` only,
    so an analysis whose result is cached (`cache.cached`) never reads them."""

    def __init__(self, dataset: Dataset, version: DatasetVersion, *, slug: str, columns: tuple[str, ...],
                 domestic: bool = False) -> None:
        self.dataset, self.version, self.slug, self.columns = dataset, version, slug, columns
        self.domestic = domestic
        self._table: pa.Table | None = None

    @property
    def key(self) -> tuple:
        """What the panel is a function of: the version's bytes, the columns, the year taken from the
        dataset's temporal coverage (used when the version has no year column), domestic rows or not."""
        return (self.version.content_hash, self.columns, self.dataset.temporal_end, self.domestic)

    @property
    def unit(self) -> str:
        """The unit of `value`: what the dataset's value column declares (`unit` in its Table Schema
        field, e.g. "relative weight"), else by `SOURCES` (from the version's schema: no read)."""
        source = source_of(self._version_columns(), "value", slug=self.slug)
        return self._field(source.column).get("unit") or source.unit or "USD"

    @property
    def period(self) -> dict:
        """The period the figures stand for: {"kind", "start", "end", "years", "label"}. A version with a
        year column: one year per row ("year"); without one, the dataset's temporal coverage as one
        period ("multi-year" when it spans years, labelled as the value column declares it, e.g.
        "1998-2000 average", else "1998-2000")."""
        start, end = self.dataset.temporal_start, self.dataset.temporal_end
        declared = self._field(source_of(self._version_columns(), "value", slug=self.slug).column).get("period")
        if "year" in self._version_columns() or end is None:
            years = list(self.facts().years)
            return {"kind": "year", "start": years[0] if years else None, "end": years[-1] if years else None,
                    "years": years, "label": declared or ", ".join(map(str, years))}
        start = start or end
        label = declared or (f"{start}-{end}" if start != end else str(end))
        return {"kind": "multi-year" if start != end else "year", "start": start, "end": end,
                "years": list(range(start, end + 1)), "label": label}

    def period_labels(self) -> dict[int, str]:
        """{year: label}: the periods the version's schema declares for its years (India's financial
        years: 2024 -> "FY2024-25"), else the year itself."""
        declared = ((self.version.table_schema or {}).get("period") or {}).get("periods") or {}
        return {int(y): str(declared.get(str(y), y)) for y in self.facts().years}

    def _field(self, column: str) -> dict:
        return next((f for f in (self.version.table_schema or {}).get("fields", []) if f.get("name") == column), {})

    @property
    def product_kind(self) -> str:
        """"code" or "sector" by `SOURCES` (from the version's schema: no read)."""
        return source_of(self._version_columns(), "product", slug=self.slug).kind

    @property
    def classification(self) -> str | None:
        """What names the products: the dataset's catalog `classification` (e.g. HS17, SITC2), else the
        ICIO industries for sector panels; None when unknown (`scobank.reference.products`)."""
        return self.dataset.classification or ("ICIO-ISIC4" if self.product_kind == "sector" else None)

    def _version_columns(self) -> list[str]:
        return [f.get("name") for f in (self.version.table_schema or {}).get("fields", [])]

    def expr(self, engine: str | None = None) -> ir.Table:
        """The checked panel as an expression over the engine's own table of the version (this thread's
        configured engine unless `engine` names one): run it with `execution.run(expr, engine=engine)`
        and only the result comes back."""
        self.facts()  # the check passed (facts are only known for a panel that passed it)
        return panel_expr(get_engine(engine), self.dataset, self.version, slug=self.slug, columns=self.columns,
                          domestic=self.domestic)[0]

    def year_exprs(self, engine: str | None = None) -> list[ir.Table]:
        """The checked panel as one expression per year of its facts (one, the whole panel, for a version
        without a year column), each filtered on the version's own year column before the panel's
        projection, so the engine reads only that year's rows (DuckDB: the Parquet row groups whose
        statistics hold the year) and an aggregate over one of them holds one year's groups."""
        self.facts()
        if "year" not in self._version_columns():
            return [self.expr(engine)]
        return [panel_expr(get_engine(engine), self.dataset, self.version, slug=self.slug, columns=self.columns,
                           domestic=self.domestic, year=year)[0] for year in self.facts().years]

    def table(self) -> pa.Table:
        """The checked panel in memory (read once), for analyses that need every row."""
        if self._table is None:
            self._table = _read_panel(self.dataset, self.version, slug=self.slug, columns=self.columns,
                                      domestic=self.domestic)
            PANEL_FACTS.put(self.key, PanelFacts.of(self._table))
        return self._table

    def facts(self) -> PanelFacts:
        """Rows and years of the panel: remembered from an earlier use of the same key, else counted and
        checked on the engine (a panel with a bad cell is read, so that `check_panel` names it)."""
        known = PANEL_FACTS.get(self.key)
        if known is None:
            expr = panel_expr(get_engine(), self.dataset, self.version, slug=self.slug, columns=self.columns,
                              domestic=self.domestic)[0]
            known = engine_facts(expr) or PanelFacts.of(self.table())
            PANEL_FACTS.put(self.key, known)
        return known


@dataclass(frozen=True)
class PanelFacts:
    """What a panel's facts query found: rows, cells, years and, for a panel with an exporter column, its
    exporters (sorted), so that the notices about who exports need no query of their own."""

    rows: int
    cells: int
    years: tuple[int, ...]
    exporters: tuple[str, ...] = ()

    @classmethod
    def of(cls, table: pa.Table) -> PanelFacts:
        years = tuple(sorted(pc.unique(table["year"]).to_pylist())) if "year" in table.column_names else ()
        exporters = tuple(sorted(pc.unique(table["exporter"]).drop_null().to_pylist())) \
            if "exporter" in table.column_names else ()
        return cls(rows=table.num_rows, cells=table.num_rows * table.num_columns, years=years, exporters=exporters)


def country_expr(column: ir.Value) -> ir.StringValue:
    """`reference.lookup.country_codes` as an expression: trimmed, upper-case, a withdrawn code replaced
    by its successor (ROM -> ROU); nulls kept."""
    return column.cast("string").strip().upper().substitute(LEGACY_ISO3)


def _select(t: ibis.Table, dataset: Dataset, columns: tuple[str, ...], slug: str) -> tuple[dict, dict[str, str]]:
    """The panel columns as expressions over version table `t` (by `SOURCES`), and the schema metadata."""
    picked, meta = {}, {}
    for name in columns:
        if name == "year" and "year" not in t.columns:
            if dataset.temporal_end is None:
                raise BadRequest(f"dataset {slug!r} has no year column and no temporal coverage")
            picked[name] = ibis.literal(int(dataset.temporal_end), "int64")
            continue
        source = source_of(t.columns, name, slug=slug)
        column = t[source.column]
        if name == "value":
            picked[name], meta["unit"] = column.cast("float64"), source.unit or "USD"
        elif name == "year":
            picked[name] = column.cast("int64")
        else:
            picked[name] = country_expr(column) if name in ("exporter", "importer") else column.cast("string")
        if name == "product":
            meta["product_kind"] = source.kind
    return picked, meta


def panel_expr(engine, dataset: Dataset, ver: DatasetVersion, *, slug: str, columns: tuple[str, ...],
               domestic: bool = False, year: int | None = None) -> tuple[ir.Table, dict[str, str]]:
    """(the panel `columns` of a version as an expression over `engine.table(content_hash)`, the schema
    metadata). A bilateral panel holds trade between countries only unless `domestic` (codes compared
    after normalising, so ROM -> ROU is domestic trade of Romania). `year`: that year's rows only (the
    version's year column compared before anything else, so the engine can skip the other years' rows)."""
    t = engine.table(ver.content_hash)
    if year is not None:  # an integer column compared as stored, so the Parquet statistics can skip row groups
        t = t.filter((t.year if t.year.type().is_integer() else t.year.cast("int64")) == year)
    picked, meta = _select(t, dataset, columns, slug)
    expr = t.select(**picked)
    if not domestic and {"exporter", "importer"} <= set(columns):
        expr = expr.filter(expr.exporter != expr.importer)
    return expr, meta


def _bad_cells(expr: ir.Table) -> ir.IntegerValue:
    """Per row, how many of its cells `check_panel` refuses (null; value NaN or negative)."""
    counts = []
    for name in expr.columns:
        bad = expr[name].isnull()
        if name == "value":
            bad = bad | expr.value.isnan().fill_null(False) | (expr.value < 0).fill_null(False)
        counts.append(ibis.ifelse(bad, 1, 0))
    return sum(counts[1:], counts[0])


def engine_facts(expr: ir.Table) -> PanelFacts | None:
    """Rows, years and exporters of a panel expression, counted on its engine in one query; None when the
    panel has no rows or a bad cell (the caller reads it so that `check_panel` names file, row and column)."""
    dated = "year" in expr.columns  # a panel without a year column (matching's exports by product) has no years
    measures = {"rows": expr.count(), "bad": _bad_cells(expr).sum()}
    if "exporter" in expr.columns:
        measures["exporters"] = expr.exporter.collect(distinct=True)
    per_year = (expr.group_by("year") if dated else expr).aggregate(**measures)
    counted = [r for r in run(per_year).to_pylist() if r["rows"]]
    if not counted or any(r["bad"] for r in counted):
        return None
    rows = sum(r["rows"] for r in counted)
    years = tuple(sorted(r["year"] for r in counted)) if dated else ()
    exporters = tuple(sorted({e for r in counted for e in r.get("exporters") or ()}))
    return PanelFacts(rows=rows, cells=rows * len(expr.columns), years=years, exporters=exporters)


def _read_panel(dataset: Dataset, ver: DatasetVersion, *, slug: str, columns: tuple[str, ...],
                domestic: bool = False) -> pa.Table:
    engine = get_engine()
    expr, meta = panel_expr(engine, dataset, ver, slug=slug, columns=columns, domestic=domestic)
    table = engine.to_arrow(expr)
    check_panel(table, file=f"{slug} v{ver.number}")
    return table.replace_schema_metadata(meta)


def use_panel(session: Session, *, slug: str, reader: Reader, columns: tuple[str, ...], analysis: str,
              version: int | None = None, domestic: bool = False) -> PanelInput:
    """Authorize `reader` for the version (QUERY, purpose statistics, rows not aggregates: raises NotFound,
    AccessDenied) and record the use in the ledger (rows and cells of the panel), on every call; returns
    the panel, whose rows are read when first asked for (here already when its size is not yet known)."""
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                          number=version, purpose=stated_purpose(reader))
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r}: your access gives aggregates only; {analysis} needs the rows "
                           "(ask the steward for row access for statistics)")
    panel = PanelInput(dataset, ver, slug=slug, columns=columns, domestic=domestic)
    facts = panel.facts()
    ledger.record(session, actor=reader, action="analytics", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose or stated_purpose(reader), agreement_id=grant.agreement_id, rows=facts.rows,
                  cells=facts.cells, detail={"analysis": analysis})
    return panel


def dataset_panel(session: Session, *, slug: str, reader: Reader, columns: tuple[str, ...],
                  analysis: str, version: int | None = None, domestic: bool = False) -> pa.Table:
    """The checked panel `columns` (e.g. year, exporter, product, value) of a dataset version, read now;
    the value's unit and the product kind in its schema metadata (`unit_of`, `product_kind`)."""
    return use_panel(session, slug=slug, reader=reader, columns=columns, analysis=analysis,
                     version=version, domestic=domestic).table()


def unit_of_dataset(session: Session, slug: str, version: int | None = None) -> str:
    """The value unit of a dataset's newest (or given) version, as `PanelInput.unit` states it; for a
    dataset this call has already read through the gate (no second gate pass, no ledger entry)."""
    dataset = find_dataset(session, slug)
    ver = find_version(session, dataset, number=version)
    return PanelInput(dataset, ver, slug=slug, columns=("value",)).unit


def readable_panels(session: Session, *, slugs: Sequence[str], reader: Reader, analysis: str,
                    code: str) -> tuple[list[PanelInput], list[dict]]:
    """The bilateral panels of `slugs` the reader may read (`use_panel`: gate and ledger for each), and a
    notice (`code`) naming each one left out because it is not in the bank or not readable."""
    from scobank.analytics.notices import notice
    from scobank.analytics.panel import BILATERAL_COLUMNS
    from scobank.errors import NotFound

    panels, notices = [], []
    for slug in slugs:
        try:
            panels.append(use_panel(session, slug=slug, reader=reader, columns=BILATERAL_COLUMNS, analysis=analysis))
        except (NotFound, AccessDenied) as exc:
            notices.append(notice(code, str(exc), datasets=[slug]))
    return panels, notices
