"""Mirror statistics: a member's trade as its partners report it (UN Statistics Division's practice for
countries that report little). India's exports to Uzbekistan, as India's customs record them, are
Uzbekistan's imports from India; Kyrgyzstan's crude oil sold to Tajikistan, as BACI reconciles both
reports, is Tajikistan's import. Tajikistan, Uzbekistan, Kyrgyzstan and Iran (`LITTLE_REPORTED`) publish
little trade by product and partner (none of them is in the OECD ICIO table), so their profile shows it.

Sources are bilateral datasets of the bank, each with who reported its flows (`MIRROR_SOURCES`):
- "exporter": the exporter's own customs records (India's EIDB): only the member's imports are mirror
  data (the partner exports, the member imports);
- "reconciled": BACI, reconciled from the exporter's and the importer's reports: the member's imports
  and exports both;
- UN Comtrade, as China reports its exports of graphite, gallium and germanium (`mirror_comtrade`): the
  member's imports from China of those products.
Each source is read through the gate (one ledger entry per use); one a reader may not see, or that is not
in the bank, is named in a notice and left out. Values are in each dataset's unit; years are the data's
periods (India's financial years are labelled FY2024-25, not 2024).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.cache import cached
from scobank.analytics.inputs import PanelInput, readable_panels
from scobank.analytics.mirror_comtrade import COMTRADE_DATASET, comtrade_mirror
from scobank.analytics.notices import notice
from scobank.analytics.service import AnalyticsResult, _table
from scobank.errors import AccessDenied, NotFound
from scobank.reference.lookup import country_code

LITTLE_REPORTED = ("IRN", "KGZ", "TJK", "UZB")


@dataclass(frozen=True)
class MirrorSource:
    dataset: str
    reported_by: str  # "exporter" | "reconciled"


MIRROR_SOURCES = (MirrorSource("india-eidb-exports-to-sco-fy2017-2024", "exporter"),
                  MirrorSource("baci-crude-oil-2021", "reconciled"))
LABEL = ("mirror data: the member's trade as its partners report it (their exports to it are its imports), "
         "not the member's own statistics")


def _side(flows: pa.Table, *, iso3: str, flow: str) -> pa.Table:
    """The member's imports (flow "imports": rows it imports, by exporter) or exports, summed per year
    and partner."""
    own, other = ("importer", "exporter") if flow == "imports" else ("exporter", "importer")
    rows = flows.filter(pc.equal(flows[own], iso3))
    summed = rows.group_by(["year", other]).aggregate([("value", "sum")])
    return pa.table({"flow": pa.array([flow] * summed.num_rows, pa.string()), "year": summed["year"], "partner": summed[other],
                     "value": summed["value_sum"]})


def mirror_rows(panel: PanelInput, source: MirrorSource, *, iso3: str) -> pa.Table:
    """One source's mirror rows for `iso3`: flow, year, period, partner, value, unit, reported_by, dataset
    (kept per version and member)."""
    def compute() -> pa.Table:
        flows = ("imports",) if source.reported_by == "exporter" else ("imports", "exports")
        return pa.concat_tables([_side(panel.table(), iso3=iso3, flow=f) for f in flows])

    table = cached("mirror", inputs=[panel], params={"member": iso3, "reported_by": source.reported_by},
                   compute=compute)
    labels = panel.period_labels()
    reporter = [p if source.reported_by == "exporter" else "BACI" for p in table["partner"].to_pylist()]
    n = table.num_rows
    table = table.append_column("period", pa.array([labels.get(y, str(y)) for y in table["year"].to_pylist()],
                                                   pa.string()))
    table = (table.append_column("unit", pa.array([panel.unit] * n, pa.string()))
             .append_column("reported_by", pa.array(reporter, pa.string()))
             .append_column("dataset", pa.array([source.dataset] * n, pa.string())))
    return table


def mirror_trade(session: Session, *, reader: Reader, iso3: str,
                 sources: tuple[MirrorSource, ...] = MIRROR_SOURCES, limit: int = 500) -> AnalyticsResult:
    """`iso3`'s imports (and, from reconciled sources, exports) as its partners report them, from every
    source the reader may read; parameters say it is mirror data (`label`), whether the member is one of
    `LITTLE_REPORTED`, each source used (its periods and unit) and a notice for each left out."""
    iso3 = country_code(iso3)
    panels, notices = readable_panels(session, slugs=[s.dataset for s in sources], reader=reader,
                                      analysis="mirror", code="mirror-source-unavailable")
    parts, used = [], []
    for panel in panels:
        source = next(s for s in sources if s.dataset == panel.slug)
        rows = mirror_rows(panel, source, iso3=iso3)
        parts.append(rows)
        used.append({"dataset": source.dataset, "reported_by": source.reported_by, "unit": panel.unit,
                     "periods": sorted(set(rows["period"].to_pylist())), "rows": rows.num_rows})
    try:
        rows, facts = comtrade_mirror(session, reader=reader, iso3=iso3)
        parts.append(rows.cast(parts[0].schema) if parts else rows)
        used.append(facts)
    except (NotFound, AccessDenied) as exc:
        notices.append(notice("mirror-source-unavailable", str(exc), datasets=[COMTRADE_DATASET]))
    table = pa.concat_tables(parts) if parts else pa.table({"flow": pa.array([], pa.string())})
    table = table.sort_by([("dataset", "ascending"), ("flow", "descending"), ("year", "descending"),
                           ("value", "descending")]) if parts else table
    if not table.num_rows:
        notices.append(notice("no-rows", f"no partner of {iso3} reports trade with it in the datasets read",
                              datasets=[s.dataset for s in sources]))
    params = {"member": iso3, "label": LABEL, "little_reported": iso3 in LITTLE_REPORTED, "sources": used,
              "notices": notices}
    return AnalyticsResult(analysis="mirror", parameters=params, tables={"mirror": _table(table, limit)})
