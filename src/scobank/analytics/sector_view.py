"""A member's industries in the OECD ICIO table of 2022: what each produces, sells abroad and buys
abroad as intermediate inputs, and how far its use of each industry's goods depends on imports and on
suppliers outside the bloc. All values in US$ million, year 2022, as the OECD publishes them.

Per industry s of member m (flows: `oecd-icio-2022-intermediate-flows`, intermediate sales of the
exporter's industry to all industries of the importer; totals: `oecd-icio-2022-sector-totals`):
- `gross_output`: the OECD's OUT of (m, s);
- `exports`: intermediate sales of m's industry s to other economies' industries (final-goods exports
  are not in the extract);
- `domestic`: intermediate sales of m's industry s to m's own industries, from the totals' identity
  `gross_output − sales_not_to_80_industries` = all intermediate sales to the 80 economies' industries,
  minus `exports` (the bank's bilateral panels drop domestic rows; the identity holds to 1e-12 in the
  extract, see its SOURCE.md);
- `imports`: m's industries' purchases of industry s's goods from other economies;
- `imports_outside_bloc`: of those, from economies outside the bloc B(year) (the data's year unless asked);
- `import_dependency` = imports / (imports + domestic): the share of m's intermediate use of s bought
  abroad; `outside_bloc_share` = imports_outside_bloc / imports; `export_share` = exports / gross_output.
  Undefined ratios (a zero denominator) are null, never 0.
Goods industries (A-C) by default, services (D-T) on request (`goods.restrict`). The ICIO holds CHN,
IND, RUS, KAZ, PAK and BLR as economies of their own; IRN, KGZ, TJK and UZB sit in its rest of the world,
which the extract lacks: for them the result is empty with a notice saying so.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.bloc import bloc
from scobank.analytics.cache import cached
from scobank.analytics.goods import ProductScope, restrict
from scobank.analytics.inputs import PanelInput
from scobank.analytics.notices import no_rows
from scobank.analytics.service import ICIO_FLOWS_DATASET, _flow_panel
from scobank.analytics.table_reads import read_columns
from scobank.config import get_settings

ICIO_TOTALS_DATASET = get_settings().icio_totals_dataset
COLUMNS = ("sector", "gross_output", "exports", "domestic", "imports", "imports_outside_bloc",
           "import_dependency", "outside_bloc_share", "export_share")


def _sum_by_sector(flows: pa.Table, mask: pa.ChunkedArray) -> dict[str, float]:
    rows = flows.filter(mask).group_by("product").aggregate([("value", "sum")])
    return dict(zip(rows["product"].to_pylist(), rows["value_sum"].to_pylist(), strict=True))


def sector_flows(flows: pa.Table, *, iso3: str, year: int, members: list[str]) -> dict[str, dict[str, float]]:
    """{exports, imports, imports_outside_bloc: {sector: US$ mn}} of `iso3` in `year` (rows between two
    economies only)."""
    flows = flows.filter(pc.and_(pc.equal(flows["year"], year), pc.not_equal(flows["exporter"], flows["importer"])))
    out_of, into = pc.equal(flows["exporter"], iso3), pc.equal(flows["importer"], iso3)
    outside = pc.invert(pc.is_in(flows["exporter"], pa.array(members, pa.string())))
    return {"exports": _sum_by_sector(flows, out_of),
            "imports": _sum_by_sector(flows, into),
            "imports_outside_bloc": _sum_by_sector(flows, pc.and_(into, outside))}


def _ratio(num: float | None, den: float | None) -> float | None:
    return num / den if num is not None and den else None


def sector_rows(parts: dict[str, dict[str, float]], totals: dict[str, tuple[float, float]]) -> pa.Table:
    """The COLUMNS table, one row per industry with any figure, largest gross output first; `totals`
    {sector: (gross_output, sales_not_to_80_industries)}."""
    output = {s: go for s, (go, _) in totals.items()}
    sectors = sorted(set(output) | {s for part in parts.values() for s in part})
    rows = []
    for s in sectors:
        x, m = (parts[k].get(s, 0.0) for k in ("exports", "imports"))
        go, rest = totals.get(s, (None, None))
        d = max(go - rest - x, 0.0) if go is not None and rest is not None else None
        mo = parts["imports_outside_bloc"].get(s, 0.0)
        rows.append({"sector": s, "gross_output": go, "exports": x, "domestic": d, "imports": m,
                     "imports_outside_bloc": mo, "import_dependency": _ratio(m, m + d) if d is not None else None,
                     "outside_bloc_share": _ratio(mo, m), "export_share": _ratio(x, output.get(s))})
    rows.sort(key=lambda r: (-(r["gross_output"] or 0.0), r["sector"]))
    schema = pa.schema([("sector", pa.string())] + [(c, pa.float64()) for c in COLUMNS[1:]])
    return pa.Table.from_pylist(rows, schema=schema)


def sector_totals(session: Session, *, reader: Reader, iso3: str, dataset: str) -> dict[str, tuple[float, float]]:
    """{sector: (gross_output, sales_not_to_80_industries)} of `iso3`, read through the gate."""
    table, _ = read_columns(session, slug=dataset, reader=reader, analysis="sector-view",
                            columns={"sector": "string", "gross_output": "float64",
                                     "sales_not_to_80_industries": "float64"},
                            where={"country": iso3}, detail={"country": iso3})
    return {r["sector"]: (r["gross_output"], r["sales_not_to_80_industries"]) for r in table.to_pylist()}


def member_sectors(session: Session, *, reader: Reader, iso3: str, flows_dataset: str = ICIO_FLOWS_DATASET,
                   totals_dataset: str = ICIO_TOTALS_DATASET, products: ProductScope = "goods",
                   bloc_year: int | None = None) -> tuple[pa.Table, dict]:
    """(the COLUMNS table of `iso3`'s industries, facts: datasets, year, unit, bloc stated, scope,
    totals over the rows shown, notices). Both datasets pass the gate (one ledger entry each)."""
    flows: PanelInput = _flow_panel(session, reader, flows_dataset, None, "sector-view")
    year = flows.facts().years[-1]
    b = bloc(session, bloc_year or year)
    parts = cached("member-sectors", inputs=[flows], params={"member": iso3, "year": year, "bloc": b.members},
                   compute=lambda: sector_flows(flows.table(), iso3=iso3, year=year, members=list(b.members)))
    output = sector_totals(session, reader=reader, iso3=iso3, dataset=totals_dataset)
    table = restrict(sector_rows(parts, output), products=products, kind="sector", column="sector")
    notices = []
    if not output and not any(parts.values()):
        notices.append(no_rows(f"the industries of {iso3}", flows_dataset,
                               f"{iso3} is not an economy of its own in the OECD ICIO table (it sits in the "
                               "rest of the world, which this extract does not hold)"))
    totals = {c: pc.sum(table[c]).as_py() for c in ("gross_output", "exports", "imports", "imports_outside_bloc")}
    facts = {"flows_dataset": flows_dataset, "totals_dataset": totals_dataset, "year": year,
             "unit": flows.unit, "bloc": b.stated(), "products": products, "totals": totals, "notices": notices}
    return table, facts
