"""Every exporter of a product, ranked, from the bank's datasets that hold every country's exports of it:
what a product page shows under "who sells this".

Sources (`RANKING_SOURCES`): for HS codes, BACI's crude-oil flows of 2021 (`baci-crude-oil-2021`, every
exporter's sales to every importer, US dollars); for SITC codes, the SITC rev. 2 panel
(`sitc2-exports-1998-2000`, exports to the world by country, a 1998-2000 average in **relative weights,
not dollars**: only ranks and shares are meaningful there). India's EIDB holds one exporter and ranks
nothing, so it is not a source here.

For product code p (a prefix: a heading takes in its subheadings) in the source's latest period:
`value[c]` = Σ c's exports of products starting with p (in a bilateral source, its flows to named
countries: the bank's panels leave out rows without a partner code, US$ 24.6 bn of BACI's crude); exporters ranked within the stated country set
(default the Growth Lab's ranked set plus the population/trade rule, `country_sets`; "all" on request):
`rank[c]` = 1 + the number of countries of the set with a larger value ("3rd of 57"), `share[c]` =
value[c] / Σ over the set. Countries outside the set are not ranked; how many there are and their total
is stated. Members of today's bloc are flagged. Each source passes the gate (one ledger entry per use);
one the reader may not see or the bank lacks is named in a notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.bloc import bloc
from scobank.analytics.cache import cached
from scobank.analytics.country_sets import CountrySetName
from scobank.analytics.inputs import PanelInput, use_panel
from scobank.analytics.notices import notice
from scobank.analytics.panel import BILATERAL_COLUMNS, TRADE_COLUMNS
from scobank.analytics.service import AnalyticsResult, _table, country_set_of
from scobank.config import get_settings
from scobank.errors import AccessDenied, NotFound


@dataclass(frozen=True)
class RankingSource:
    dataset: str
    family: str  # the product codes it answers: "HS" or "SITC"
    columns: tuple[str, ...]  # bilateral flows or country-product exports


RANKING_SOURCES = (RankingSource("baci-crude-oil-2021", "HS", BILATERAL_COLUMNS),
                   RankingSource(get_settings().exports_dataset, "SITC", TRADE_COLUMNS))


def exports_by_exporter(panel: PanelInput, code: str) -> pa.Table:
    """(exporter, value) in the panel's latest year: exports of products starting with `code`, summed,
    rows naming no exporter left out (kept per version and code)."""
    def compute() -> pa.Table:
        t = panel.table()
        year = pc.max(t["year"]).as_py()
        t = t.filter(pc.and_(pc.and_(pc.equal(t["year"], year), pc.starts_with(t["product"], code)),
                             pc.is_valid(t["exporter"])))
        summed = t.group_by("exporter").aggregate([("value", "sum")]).rename_columns(["exporter", "value"])
        summed = summed.filter(pc.greater(summed["value"], 0.0))
        return summed.append_column("year", pa.array([year] * summed.num_rows, pa.int64()))

    return cached("exports-by-exporter", inputs=[panel], params={"code": code}, compute=compute)


def ranked(totals: pa.Table, *, keep: frozenset[str] | None, members: set[str]) -> tuple[pa.Table, dict]:
    """(rank, exporter, value, share, member) of the exporters in `keep` (all: None), largest first, and
    {size, total, members_share (the members' part of the total), outside: {countries, value}}."""
    inside = totals if keep is None else totals.filter(pc.is_in(totals["exporter"], pa.array(sorted(keep), pa.string())))
    outside = totals.num_rows - inside.num_rows
    inside = inside.sort_by([("value", "descending"), ("exporter", "ascending")])
    values = np.asarray(inside["value"].to_numpy(zero_copy_only=False), dtype=float)
    total = float(values.sum())
    ranks = [int((values > v).sum()) + 1 for v in values]
    codes = inside["exporter"].to_pylist()
    table = pa.table({"rank": pa.array(ranks, pa.int64()), "exporter": inside["exporter"], "value": inside["value"],
                      "share": pa.array(values / total if total else [None] * len(values), pa.float64()),
                      "member": pa.array([c in members for c in codes], pa.bool_())})
    rest = float(pc.sum(totals["value"]).as_py() or 0.0) - total
    mine = float(values[[c in members for c in codes]].sum()) if codes else 0.0
    return table, {"size": len(codes), "total": total, "members_share": mine / total if total else None,
                   "outside": {"countries": outside, "value": rest}}


def period_label(panel: PanelInput, year: int) -> str:
    """The period a ranking stands for: the panel's declared multi-year period ("1998-2000 average"),
    else the year's label (India's "FY2024-25")."""
    period = panel.period
    return period["label"] if period["kind"] == "multi-year" else panel.period_labels().get(year, str(year))


def source_ranking(panel: PanelInput, code: str, *, country_set: CountrySetName,
                   members: set[str]) -> tuple[pa.Table, dict] | None:
    """One source's ranking rows (with dataset, period and unit columns) and facts; None without the product."""
    totals = exports_by_exporter(panel, code)
    if not totals.num_rows:
        return None
    year = totals["year"][0].as_py()
    years = panel.period["years"] if panel.period["kind"] == "multi-year" else [year]
    chosen = country_set_of(country_set, countries=totals["exporter"].to_pylist(), years=years)
    table, facts = ranked(totals, keep=chosen.countries, members=members)
    label, n = period_label(panel, year), table.num_rows
    table = (table.append_column("dataset", pa.array([panel.slug] * n, pa.string()))
             .append_column("period", pa.array([label] * n, pa.string()))
             .append_column("unit", pa.array([panel.unit] * n, pa.string())))
    facts |= {"dataset": panel.slug, "classification": panel.classification, "unit": panel.unit,
              "bilateral": "importer" in panel.columns,
              "period": label, "country_set": chosen.stated(size=facts["size"])}
    return table, facts


def exporter_ranking(session: Session, *, reader: Reader, family: str, code: str,
                     country_set: CountrySetName = "ranked", sources: tuple[RankingSource, ...] = RANKING_SOURCES,
                     limit: int = 300) -> AnalyticsResult:
    """Every exporter of `code` (an HS or SITC prefix, `family`) ranked in each source that has the
    product (module docstring): table "exporters" (rank, exporter, value, share, member, dataset, period,
    unit); parameters `sources` (each ranking's facts: set, size, total, outside), `members` and `notices`."""
    members = bloc(session, date.today().year)
    parts, used, notices = [], [], []
    for source in (s for s in sources if s.family == family):
        try:
            panel = use_panel(session, slug=source.dataset, reader=reader, columns=source.columns,
                              analysis="exporter-ranking")
        except (NotFound, AccessDenied) as exc:
            notices.append(notice("ranking-source-unavailable", str(exc), datasets=[source.dataset]))
            continue
        found = source_ranking(panel, code, country_set=country_set, members=set(members.members))
        if found:
            parts.append(found[0])
            used.append(found[1])
    table = pa.concat_tables(parts) if parts else pa.table({"rank": pa.array([], pa.int64())})
    params = {"code": code, "family": family, "members": members.stated(), "country_set": country_set,
              "sources": used, "notices": notices}
    return AnalyticsResult(analysis="exporter-ranking", parameters=params, tables={"exporters": _table(table, limit)})
