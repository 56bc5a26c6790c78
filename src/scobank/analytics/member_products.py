"""A member's trade by product in the newest product-level data the bank holds for it: the member
profile's product view (API and page alike), in each dataset's own unit and period.

The sources are the product pages' (`product_views.PRODUCT_SOURCES`: India's EIDB exports by HS6 and
partner, FY2017-2024, in US$ million as published; BACI's crude-oil flows of every country, 2021, in US$).
What a source covers for a member follows from its rows: a source with one exporter is that country's own
export statistics, so it covers that member's exports only (its rows with another member as the importer
are mirror data, `analytics.mirror`); a source with many exporters covers every country's exports and
imports of its products. Each source is read through the gate (one ledger entry per use); one the reader
may not see or the bank does not hold is left out with a notice, one without the member is left out
silently, and when none is left a notice says so and names the sources. Figures are of the member's
newest period in the source (India's FY2024-25, not 2024); a flow the source does not cover is null,
never 0.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.cache import cached
from scobank.analytics.inputs import PanelInput, readable_panels
from scobank.analytics.notices import notice
from scobank.analytics.product_views import PRODUCT_SOURCES, SCALES, ProductSource

FLOWS = ("exports", "imports")
EMPTY = pa.table({"dataset": pa.array([], pa.string()), "flow": pa.array([], pa.string()),
                  "period": pa.array([], pa.string()), "year": pa.array([], pa.int64()),
                  "product": pa.array([], pa.string()), "value": pa.array([], pa.float64()),
                  "share": pa.array([], pa.float64()), "unit": pa.array([], pa.string())})


def covered_flows(panel: PanelInput, iso3: str) -> tuple[str, ...]:
    """The member's flows `panel` covers (module docstring): both for many exporters, exports for the one
    exporter of a country's own statistics, none for another member."""
    exporters = cached("exporters", inputs=[panel], params={},
                       compute=lambda: sorted(pc.unique(panel.table()["exporter"]).to_pylist()))
    if len(exporters) > 1:
        return FLOWS
    return ("exports",) if exporters == [iso3] else ()


def member_flows(panel: PanelInput, iso3: str) -> pa.Table:
    """(flow, year, product, value in the panel's unit): the member's exports and imports by product, per
    year (kept per version and member)."""
    def compute() -> pa.Table:
        t = panel.table()
        parts = []
        for flow, side in (("exports", "exporter"), ("imports", "importer")):
            mine = t.filter(pc.equal(t[side], iso3)).group_by(["year", "product"]).aggregate([("value", "sum")])
            parts.append(pa.table({"flow": pa.array([flow] * mine.num_rows, pa.string()), "year": mine["year"],
                                   "product": mine["product"], "value": mine["value_sum"]}))
        return pa.concat_tables(parts)

    return cached("member-product-flows", inputs=[panel], params={"member": iso3}, compute=compute)


def _top(rows: pa.Table, flow: str, top: int) -> tuple[pa.Table, float]:
    mine = rows.filter(pc.equal(rows["flow"], flow))
    total = pc.sum(mine["value"]).as_py() or 0.0
    mine = mine.sort_by([("value", "descending"), ("product", "ascending")]).slice(0, top)
    return mine.append_column("share", pc.divide(mine["value"], total) if total else
                              pa.nulls(mine.num_rows, pa.float64())), total


def source_view(panel: PanelInput, source: ProductSource, iso3: str, top: int) -> tuple[pa.Table, dict] | None:
    """The member's `top` products per covered flow in its newest period of `panel`, in the source's unit,
    and the view's facts; None when the source has nothing of the member."""
    flows = covered_flows(panel, iso3)
    rows = member_flows(panel, iso3)
    rows = rows.filter(pc.is_in(rows["flow"], pa.array(list(flows), pa.string())))
    if not flows or not rows.num_rows:
        return None
    year = pc.max(rows["year"]).as_py()
    label = panel.period_labels().get(year, str(year))
    scale = SCALES[panel.unit] / SCALES[source.unit]
    rows = rows.filter(pc.equal(rows["year"], year))
    rows = rows.set_column(rows.schema.get_field_index("value"), "value", pc.multiply(rows["value"], scale))
    parts, totals = [], {f: None for f in FLOWS}
    for flow in flows:
        part, totals[flow] = _top(rows, flow, top)
        parts.append(part)
    table = pa.concat_tables(parts)
    n = table.num_rows
    table = pa.table({"dataset": pa.array([source.dataset] * n, pa.string()), "flow": table["flow"],
                      "period": pa.array([label] * n, pa.string()), "year": table["year"].cast(pa.int64()),
                      "product": table["product"].cast(pa.string()), "value": table["value"].cast(pa.float64()),
                      "share": table["share"], "unit": pa.array([source.unit] * n, pa.string())})
    facts = {"dataset": source.dataset, "classification": panel.classification, "unit": source.unit,
             "period": label, "year": year, "flows": list(flows), "totals": totals}
    return table, facts


def member_product_trade(session: Session, *, reader: Reader, iso3: str, top: int = 10,
                         sources: tuple[ProductSource, ...] = PRODUCT_SOURCES) -> tuple[pa.Table, dict]:
    """(rows: dataset, flow, period, year, product, value, share of the member's flow in the period, unit;
    facts: `sources` used, each with its period and unit, and `notices`)."""
    panels, notices = readable_panels(session, slugs=[s.dataset for s in sources], reader=reader,
                                      analysis="member-product-trade", code="product-source-unavailable")
    parts, used = [], []
    for panel in panels:
        view = source_view(panel, next(s for s in sources if s.dataset == panel.slug), iso3, top)
        if view is not None:
            parts.append(view[0])
            used.append(view[1])
    if not used:
        notices.append(notice("no-product-data", f"no product-level dataset the reader may read has trade "
                              f"of {iso3} as its own statistics or as reconciled world flows",
                              datasets=[s.dataset for s in sources]))
    return (pa.concat_tables(parts) if parts else EMPTY), {"sources": used, "notices": notices}
