"""Input-output dependency: which intermediate inputs members buy outside the bloc, from whom, and which
members sell the same inputs (import substitution at sector level, ANALYTICS.md).

Data: OECD ICIO (2025 release, year 2022) intermediate flows, `exporter, exporter_sector, importer,
value_usd_mn` (sales of the exporter's industry to all industries of the importer; exporter = importer is
domestic). Folder: icio-oecd-2022-intermediate (its SOURCE.md). Only CHN, IND, RUS, KAZ, PAK and BLR are
separate economies there; IRN, KGZ, TJK, UZB sit in the missing rest of the world, so their purchases
cannot be shown and their sales do not count as bloc supply.

For each bloc member m present in the data and each input sector s (the selling industry's sector):
- total_inputs = m's intermediate purchases of sector-s output from every economy (domestic included);
  domestic, from_bloc (other members), from_outside (economies outside the bloc);
- outside_share = from_outside / total_inputs; outside_share_of_imports = from_outside /
  (total_inputs - domestic);
- top_outside_suppliers: the 5 largest outside suppliers {supplier, value, share of from_outside};
- sellers: members b with RCA[b,s] >= 1, the Balassa RCA over every economy's intermediate sales to
  other economies in the table (domestic flows left out): (b's sales of s / b's sales) / (world's
  sales of s / world's sales);
- per-importer upper bound (does not add up across members): bloc_sellers, the sellers b != m with
  room = b's intermediate sales of sector s to other economies than b and m (what b already exports
  that could be redirected), {member, room, share of bloc_room}; bloc_room = sum of the sellers' room;
  substitutable_value = min(from_outside, bloc_room);
- allocated measure (additive over members, each seller's sales allocated once):
  redirectable_supply[s] = the sellers' (m included) sales of s to economies outside the bloc;
  bloc_extra_imports[s] = sum of from_outside over the members; allocated_value = from_outside x
  min(1, redirectable_supply / bloc_extra_imports); allocated_sellers {member, share of the supply,
  value}, m's own part named as m.
Values in USD million. The bloc is the members on 31 December of the data's year (2022) unless asked.
Inputs: the bank's dataset `oecd-icio-2022-intermediate-flows` (service.dependency, through the gate),
or the folder itself (`dependency_report`, the command line's --icio); sector names: sectors.py.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
from ibis import _

from scobank.analytics.sectors import sector_file_table
from scobank.errors import BadFile

FLOWS_FILE = "icio2022_interm_exporter_sector_to_importer.parquet"
ICIO_YEAR = 2022  # the year of the extract (its SOURCE.md): the default bloc year over it
TOP_SUPPLIERS = 5


def read_icio(folder: Path) -> tuple[pa.Table, pa.Table]:
    """(flows: exporter, sector, importer, value; sectors: sector, sector_name) from the ICIO folder
    (file input: `scobank analytics dependency --icio FOLDER`)."""
    path = Path(folder) / FLOWS_FILE
    if not path.is_file():
        raise BadFile(f"{path}: no such file (expected the OECD ICIO extract, see its SOURCE.md)")
    raw = pq.read_table(path)
    flows = pa.table({"exporter": raw["exporter"].cast(pa.string()),
                      "sector": raw["exporter_sector"].cast(pa.string()),
                      "importer": raw["importer"].cast(pa.string()),
                      "value": raw["value_usd_mn"].cast(pa.float64())})
    return flows, sector_file_table(folder)


def _source(flows: ir.Table, members: list[str]) -> ir.Table:
    inside = flows.importer.isin(members)
    kind = ibis.cases((flows.exporter == flows.importer, "domestic"), (flows.exporter.isin(members), "bloc"),
                      else_="outside")
    return flows.filter(inside).mutate(kind=kind)


def _top_outside(bought: ir.Table) -> ir.Table:
    out = bought.filter(_.kind == "outside")
    out = out.mutate(share=_.value / _.value.sum().over(group_by=[_.importer, _.sector]),
                     rank=ibis.row_number().over(group_by=[_.importer, _.sector],
                                                 order_by=[_.value.desc(), _.exporter]))
    return (out.filter(_.rank < TOP_SUPPLIERS).group_by(["importer", "sector"])
            .aggregate(top_outside_suppliers=ibis.struct({"supplier": _.exporter, "value": _.value, "share": _.share})
                       .collect()))


def sector_sellers(flows: ir.Table, members: list[str]) -> ir.Table:
    """(exporter, sector, sold, outside_sales) for members with RCA >= 1 in the sector: their sales to
    other economies and to economies outside the bloc. RCA from every economy's sales abroad."""
    from scobank.analytics.substitution import RCA_TOLERANCE

    abroad = flows.filter(flows.exporter != flows.importer)
    by_c = abroad.group_by("exporter").aggregate(x_c=_.value.sum())
    by_p = abroad.group_by("sector").aggregate(x_p=_.value.sum())
    by_w = by_p.aggregate(x_w=_.x_p.sum())
    sales = (abroad.filter(abroad.exporter.isin(members)).group_by(["exporter", "sector"])
             .aggregate(sold=_.value.sum(),
                        outside_sales=ibis.ifelse(_.importer.isin(members), 0.0, _.value).sum()))
    rca = sales.join(by_c, "exporter").join(by_p, "sector").cross_join(by_w)
    return (rca.filter((_.sold / _.x_c) / (_.x_p / _.x_w) >= 1 - RCA_TOLERANCE)
            .select("exporter", "sector", "sold", "outside_sales"))


def _bloc_sellers(flows: ir.Table, members: list[str], sellers: ir.Table) -> ir.Table:
    """(importer, sector, bloc_room, bloc_sellers) for every member importer and sector: the upper bound."""
    sales = flows.filter(flows.exporter.isin(members) & (flows.exporter != flows.importer))
    total = sellers.select("exporter", "sector", "sold")
    buyers = ibis.memtable({"buyer": members}, schema={"buyer": "string"})
    pairs = total.cross_join(buyers).filter(_.exporter != _.buyer)
    to_buyer = sales.select(exporter_t=_.exporter, sector_t=_.sector, importer_t=_.importer, already=_.value)
    pairs = pairs.left_join(to_buyer, [pairs.exporter == to_buyer.exporter_t, pairs.sector == to_buyer.sector_t,
                                       pairs.buyer == to_buyer.importer_t])
    pairs = pairs.select(importer=_.buyer, sector=_.sector, member=_.exporter,
                         room=_.sold - _.already.fill_null(0.0)).filter(_.room > 0)
    pairs = pairs.mutate(bloc_room=_.room.sum().over(group_by=[_.importer, _.sector]))
    return (pairs.group_by(["importer", "sector"])
            .aggregate(bloc_room=_.bloc_room.max(),
                       bloc_sellers=ibis.struct({"member": _.member, "room": _.room, "share": _.room / _.bloc_room})
                       .collect()))


def _allocated(split: ir.Table, sellers: ir.Table) -> ir.Table:
    """(importer, sector, redirectable_supply, bloc_extra_imports, allocated_value, allocated_sellers)."""
    supplying = sellers.filter(_.outside_sales > 0)
    supply = supplying.group_by("sector").aggregate(redirectable_supply=_.outside_sales.sum())
    demand = split.group_by("sector").aggregate(bloc_extra_imports=_.from_outside.sum())
    rows = split.select("importer", "sector", "from_outside").join(demand, "sector").left_join(supply, "sector")
    rows = rows.select("importer", "sector", "bloc_extra_imports",
                       redirectable_supply=_.redirectable_supply.fill_null(0.0),
                       allocated_value=(_.from_outside * ibis.least(
                           1.0, _.redirectable_supply.fill_null(0.0) / _.bloc_extra_imports.nullif(0.0)))
                       .fill_null(0.0))
    parts = rows.join(supplying, "sector").select(
        "importer", "sector", member=_.exporter, share=_.outside_sales / _.redirectable_supply,
        value=_.allocated_value * _.outside_sales / _.redirectable_supply)
    listed = parts.group_by(["importer", "sector"]).aggregate(
        allocated_sellers=ibis.struct({"member": _.member, "share": _.share, "value": _.value}).collect())
    return rows.left_join(listed, ["importer", "sector"]).select(
        importer_a=_.importer, sector_a=_.sector, redirectable_supply=_.redirectable_supply,
        bloc_extra_imports=_.bloc_extra_imports, allocated_value=_.allocated_value,
        allocated_sellers=_.allocated_sellers)


def io_dependency(flows: ir.Table, sectors: ir.Table, *, members: list[str]) -> ir.Table:
    """The dependency table (module docstring) for member importers in `flows`, one Ibis expression."""
    bought = _source(flows, members)
    split = bought.group_by(["importer", "sector"]).aggregate(
        total_inputs=_.value.sum(),
        domestic=ibis.ifelse(_.kind == "domestic", _.value, 0.0).sum(),
        from_bloc=ibis.ifelse(_.kind == "bloc", _.value, 0.0).sum(),
        from_outside=ibis.ifelse(_.kind == "outside", _.value, 0.0).sum())
    top = _top_outside(bought).rename(importer_t="importer", sector_t="sector")
    able = sector_sellers(flows, members)
    sellers = _bloc_sellers(flows, members, able).rename(importer_s="importer", sector_s="sector")
    allocated = _allocated(split, able)
    out = split.left_join(top, [split.importer == top.importer_t, split.sector == top.sector_t])
    out = out.left_join(sellers, [out.importer == sellers.importer_s, out.sector == sellers.sector_s])
    out = out.left_join(allocated, [out.importer == allocated.importer_a, out.sector == allocated.sector_a])
    out = out.left_join(sectors, out.sector == sectors.sector)
    return out.select(
        member=_.importer, sector=_.sector, sector_name=_.sector_name, total_inputs=_.total_inputs,
        domestic=_.domestic, from_bloc=_.from_bloc, from_outside=_.from_outside,
        outside_share=_.from_outside / _.total_inputs.nullif(0.0),
        outside_share_of_imports=_.from_outside / (_.total_inputs - _.domestic).nullif(0.0),
        top_outside_suppliers=_.top_outside_suppliers, bloc_room=_.bloc_room.fill_null(0.0),
        substitutable_value=ibis.least(_.from_outside, _.bloc_room.fill_null(0.0)), bloc_sellers=_.bloc_sellers,
        redirectable_supply=_.redirectable_supply, bloc_extra_imports=_.bloc_extra_imports,
        allocated_value=_.allocated_value, allocated_sellers=_.allocated_sellers,
    ).order_by([_.member, _.from_outside.desc()])


def dependency_report(folder: Path, *, members: list[str], engine: str | None = None) -> pa.Table:
    """Read the ICIO folder and run `io_dependency` for `members` (list cells never null)."""
    from scobank.analytics.execution import table_of

    flows, sectors = read_icio(folder)
    return dependency_table(table_of(flows), sectors, members=members, engine=engine)


def dependency_table(flows: ir.Table, sectors: pa.Table, *, members: list[str], engine: str | None = None) -> pa.Table:
    """`io_dependency` over `flows` (exporter, sector, importer, value; domestic rows included: a
    dataset's panel expression, whose rows stay on the engine, or a file's table) and `sectors` (sector,
    sector_name), run on `engine`; only the member x sector rows come back, their supplier and seller
    lists sorted, never null."""
    from scobank.analytics.execution import run, table_of
    from scobank.analytics.lists import sort_struct_lists

    table = run(io_dependency(flows, table_of(sectors), members=members), engine=engine)
    table = sort_struct_lists(table, "top_outside_suppliers", by=[("value", "descending"), ("supplier", "ascending")])
    table = sort_struct_lists(table, "allocated_sellers", by=[("value", "descending"), ("member", "ascending")])
    return sort_struct_lists(table, "bloc_sellers", by=[("room", "descending"), ("member", "ascending")])
