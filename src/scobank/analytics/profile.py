"""A member's profile for the portal: what it exports, where it stands, what it could supply or buy
inside the bloc, and whom it complements. One call, JSON tables (service.AnalyticsResult)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.gate import Reader
from scobank.analytics.bloc import members_by_year
from scobank.analytics.execution import run, table_of
from scobank.analytics.indicators import complementarity_table
from scobank.analytics.service import (
    EXPORTS_DATASET,
    FLOWS_DATASET,
    AnalyticsResult,
    _flows,
    _latest_complexity,
    _table,
)
from scobank.analytics.substitution import substitution_report
from scobank.errors import NotFound


def member_profile(session: Session, *, reader: Reader, iso3: str, exports_dataset: str = EXPORTS_DATASET,
                   flows_dataset: str = FLOWS_DATASET, top: int = 10) -> AnalyticsResult:
    """Top exports with RCA, ECI and its rank (world panel, ecomplexity convention), the member's import
    substitution rows, and trade complementarity with each other member (both directions)."""
    iso3 = iso3.strip().upper()
    r = _latest_complexity(session, reader=reader, dataset=exports_dataset, version=None,
                           convention="ecomplexity", rca_cutoff=1.0, year=None)
    where = np.flatnonzero(r.exporters == iso3)
    if not len(where):
        raise NotFound(f"{iso3} has no exports in {exports_dataset!r} ({r.year})")
    c = int(where[0])
    order = np.argsort(-r.value[c])[:top]
    exports = pa.table({"product": r.products[order].astype(str), "value": r.value[c, order],
                        "share": r.value[c, order] / r.value[c].sum(), "rca": r.rca[c, order],
                        "pci": r.pci[order]})
    rank = int((r.eci > r.eci[c]).sum()) + 1
    flows = _flows(session, reader, flows_dataset, None, "profile")
    substitution = substitution_report(session, flows=flows)
    substitution = substitution.filter(pc.equal(substitution["importer"], iso3))
    members = sorted({m for ms in members_by_year(session, years=pc.unique(flows["year"]).to_pylist()).values()
                      for m in ms} | {iso3})
    pairs = run(complementarity_table(table_of(flows), countries=members))
    pairs = pairs.filter(pc.or_(pc.equal(pairs["exporter"], iso3), pc.equal(pairs["importer"], iso3)))
    params = {"member": iso3, "exports_dataset": exports_dataset, "flows_dataset": flows_dataset,
              "year": r.year, "eci": float(r.eci[c]), "eci_rank": rank, "countries_ranked": len(r.exporters),
              "diversity": int(r.diversity[c]), "coi": float(r.coi[c])}
    return AnalyticsResult(analysis="member-profile", parameters=params, tables={
        "top_exports": _table(exports, top), "substitution": _table(substitution, top),
        "complementarity": _table(pairs, len(members) * 2)})
