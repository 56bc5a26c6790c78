"""A product's trade in the bank's product-level datasets, in each dataset's own units and periods: the
views a product page shows (`/products/HS22/270900`).

Sources (`PRODUCT_SOURCES`), the newest product-level data the bank holds for members:
- India's exports by HS6 and partner (DGCI&S EIDB, `india-eidb-exports-to-sco-fy2017-2024`): Indian
  financial years (April-March, labelled FY2024-25, never 2024), shown in US$ million as the EIDB
  publishes them (the bank stores US dollars);
- the crude-oil flows of every country in 2021 (BACI, `baci-crude-oil-2021`), in US dollars.
A code matches a dataset's rows by prefix (a heading takes in its subheadings). HS6 codes are compared
across HS revisions (the EIDB uses HS2017 to FY2021-22 and HS2022 after, BACI HS1992): each view states
its dataset's revision. Each source is read through the gate (one ledger entry per use); one the reader
may not see or the bank does not hold is left out with a notice. Rows: the flows where an SCO member
(today's bloc) is the exporter or the importer, by period and value; the world total of each period too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.bloc import bloc
from scobank.analytics.cache import cached
from scobank.analytics.inputs import PanelInput, readable_panels
from scobank.analytics.service import AnalyticsResult, _table

SCALES = {"USD million": 1e6, "USD": 1.0}


@dataclass(frozen=True)
class ProductSource:
    dataset: str
    unit: str  # the unit the view shows, as the source publishes it


PRODUCT_SOURCES = (ProductSource("india-eidb-exports-to-sco-fy2017-2024", "USD million"),
                   ProductSource("baci-crude-oil-2021", "USD"))


def product_flows(panel: PanelInput, code: str) -> pa.Table:
    """(year, exporter, importer, value in the panel's unit): the panel's flows of products starting with
    `code`, summed (kept per version and code)."""
    def compute() -> pa.Table:
        t = panel.table()
        t = t.filter(pc.starts_with(t["product"], code))
        return t.group_by(["year", "exporter", "importer"]).aggregate([("value", "sum")]).rename_columns(
            ["year", "exporter", "importer", "value"])

    return cached("product-flows", inputs=[panel], params={"code": code}, compute=compute)


def source_view(panel: PanelInput, source: ProductSource, code: str, members: set[str]) -> tuple[pa.Table, dict]:
    """(the members' flows of the product, period by period, in the source's unit; the view's facts:
    dataset, revision, unit, periods, world totals per period)."""
    flows = product_flows(panel, code)
    scale = SCALES[panel.unit] / SCALES[source.unit]
    labels = panel.period_labels()
    totals = flows.group_by("year").aggregate([("value", "sum")]).sort_by([("year", "descending")])
    mine = flows.filter(pc.or_(pc.is_in(flows["exporter"], pa.array(sorted(members))),
                               pc.is_in(flows["importer"], pa.array(sorted(members)))))
    mine = mine.sort_by([("year", "descending"), ("value", "descending")])
    n = mine.num_rows
    rows = pa.table({"dataset": pa.array([source.dataset] * n, pa.string()),
                     "period": pa.array([labels.get(y, str(y)) for y in mine["year"].to_pylist()], pa.string()),
                     "year": mine["year"], "exporter": mine["exporter"], "importer": mine["importer"],
                     "value": pc.multiply(mine["value"], scale), "unit": pa.array([source.unit] * n, pa.string())})
    facts = {"dataset": source.dataset, "classification": panel.classification, "unit": source.unit,
             "periods": [labels.get(y, str(y)) for y in sorted(labels)], "rows": n,
             "world": [{"period": labels.get(r["year"], str(r["year"])), "value": r["value_sum"] * scale}
                       for r in totals.to_pylist()]}
    return rows, facts


def product_trade(session: Session, *, reader: Reader, code: str,
                  sources: tuple[ProductSource, ...] = PRODUCT_SOURCES, limit: int = 500) -> AnalyticsResult:
    """The trade of HS `code` (2-6 digits) in each product-level source the reader may read (module
    docstring): table "flows" (dataset, period, year, exporter, importer, value, unit), parameters
    `sources` (each view's facts), `members` (today's bloc) and `notices` for sources left out or
    without the product."""
    members = bloc(session, date.today().year)
    panels, notices = readable_panels(session, slugs=[s.dataset for s in sources], reader=reader,
                                      analysis="product-trade", code="product-source-unavailable")
    parts, used = [], []
    for panel in panels:
        source = next(s for s in sources if s.dataset == panel.slug)
        rows, facts = source_view(panel, source, code, set(members.members))
        if facts["world"]:
            parts.append(rows)
            used.append(facts)
    table = pa.concat_tables(parts) if parts else pa.table({"dataset": pa.array([], pa.string())})
    params = {"code": code, "members": members.stated(), "sources": used, "notices": notices}
    return AnalyticsResult(analysis="product-trade", parameters=params, tables={"flows": _table(table, limit)})
