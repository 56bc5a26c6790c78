"""Import substitution inside the bloc — the bank's own measure (ANALYTICS.md), written once in Ibis.

Input: bilateral flows (year, exporter, importer, product, value), duplicates summed; the bloc B(t) as
a table (year, member): the parties with member status on 31 December of year t
(`scobank.reference.lookup.bloc_members`; IRN counts from 2023, BLR from 2024).

For each year t, member m in B(t) and product p that m imports from outside B(t):
- extra_bloc_imports[m,p] = sum of value over exporters not in B(t), importer m, product p;
- suppliers: s in B(t) with RCA[s,p] >= 1, where RCA (Balassa) is computed from every exporter's
  exports in the input (world = all exporters of the panel that year); RCA exactly 1 counts (a
  tolerance of 1e-9 absorbs float rounding: a one-product panel gives every exporter RCA 1);

The per-importer upper bound (the first measure; it does NOT add up across members):
- room[s,p] (s != m) = s's exports of p to all importers minus its exports of p to m;
  bloc_room[m,p] = sum of room over the suppliers (0 when there are none);
- substitutable_value[m,p] = min(extra_bloc_imports, bloc_room);
- suppliers: list of {supplier, room, share} with share = room / bloc_room.
Every importer is offered the same suppliers' whole room, so bloc_room and substitutable_value are
per-importer upper bounds: never summed, never shown as a bloc total.

The allocated measure (additive: each supplier's capacity is allocated once):
- redirectable_supply[p] = sum over suppliers s (m itself included) of s's exports of p to importers
  outside B(t): what members with an advantage in p now sell outside the bloc;
- bloc_extra_imports[p] = sum over members m of extra_bloc_imports[m,p];
- allocated_value[m,p] = extra_bloc_imports[m,p] * min(1, redirectable_supply[p] / bloc_extra_imports[p]),
  so sum over m of allocated_value[m,p] = min(bloc_extra_imports[p], redirectable_supply[p]);
- allocated_suppliers: list of {supplier, share, value}: each supplier's share of redirectable_supply[p]
  and that share of allocated_value[m,p]; m's own part is named as m (what it could keep at home).
Rows come ranked by year, then allocated_value (largest first), then substitutable_value, importer, product.
`substitution_report` adds to every row the bloc's members that year (`bloc`) and the unit of value.

The expressions name no engine: they run on the configured one, DuckDB or Spark (`scobank.lake.engines.spark`).
`product_level` truncates codes first (6 = HS6 as given, 4 = heading, 2 = chapter).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _
from sqlalchemy.orm import Session

from scobank.analytics.bloc import members_by_year
from scobank.analytics.execution import run, table_of
from scobank.analytics.lists import sort_struct_lists

SUBSTITUTION_COLUMNS = ("year", "importer", "product", "extra_bloc_imports", "bloc_room",
                        "substitutable_value", "suppliers", "redirectable_supply", "bloc_extra_imports",
                        "allocated_value", "allocated_suppliers")
REPORT_COLUMNS = (*SUBSTITUTION_COLUMNS, "bloc", "unit")
RCA_TOLERANCE = 1e-9  # RCA >= 1 counts 1 itself, also when float rounding gives 0.9999999999999998


def summed_flows(flows: ir.Table, *, product_level: int | None = None) -> ir.Table:
    """Flows with duplicate (year, exporter, importer, product) summed; products cut to `product_level`."""
    product = flows["product"] if product_level is None else flows["product"].substr(0, product_level)
    return (flows.mutate(product=product)
            .group_by(["year", "exporter", "importer", "product"]).aggregate(value=_.value.sum()))


def export_rca(flows: ir.Table, *, exporters: ir.Table | None = None) -> ir.Table:
    """(year, exporter, product, exports, rca): Balassa RCA from every exporter's exports to the world.

    World and country totals come from all flows; rows are produced only for `exporters` (a table of
    year, member) when given. Sums are linear, so duplicate flow rows need no pre-summing."""
    by_p = flows.group_by(["year", "product"]).aggregate(x_p=_.value.sum())
    by_w = by_p.group_by("year").aggregate(x_w=_.x_p.sum())
    by_c = flows.group_by(["year", "exporter"]).aggregate(x_c=_.value.sum())
    if exporters is not None:
        chosen = exporters.select(year_e=_.year, exporter_e=_.member)
        flows = flows.join(chosen, [flows.year == chosen.year_e, flows.exporter == chosen.exporter_e])
    x = flows.group_by(["year", "exporter", "product"]).aggregate(exports=_.value.sum())
    return (x.join(by_c, ["year", "exporter"]).join(by_p, ["year", "product"]).join(by_w, "year")
            .select("year", "exporter", "product", "exports",
                    rca=(_.exports / _.x_c) / (_.x_p / _.x_w)))


def extra_bloc_imports(flows: ir.Table, blocs: ir.Table) -> ir.Table:
    """(year, importer, product, extra_bloc_imports) for member importers, exporters outside the bloc."""
    members = blocs.select(year_m=_.year, member=_.member)
    inside = flows.join(members, [flows.year == members.year_m, flows.importer == members.member])
    origin = blocs.select(year_o=_.year, exporter_o=_.member, in_bloc=ibis.literal(True))
    outside = (inside.left_join(origin, [inside.year == origin.year_o, inside.exporter == origin.exporter_o])
               .filter(_.in_bloc.isnull()))
    return outside.group_by(["year", "importer", "product"]).aggregate(extra_bloc_imports=_.value.sum())


def _within_bloc(flows: ir.Table, blocs: ir.Table) -> ir.Table:
    """(year_f, exporter_f, importer_f, product_f, to_importer): summed flows between two members."""
    e = blocs.select(year_e=_.year, member_e=_.member)
    i = blocs.select(year_i=_.year, member_i=_.member)
    inside = flows.join(e, [flows.year == e.year_e, flows.exporter == e.member_e])
    inside = inside.join(i, [inside.year == i.year_i, inside.importer == i.member_i])
    return (inside.group_by(["year", "exporter", "importer", "product"]).aggregate(to_importer=_.value.sum())
            .select(year_f=_.year, exporter_f=_.exporter, importer_f=_.importer, product_f=_.product,
                    to_importer=_.to_importer))


def bloc_suppliers(flows: ir.Table, blocs: ir.Table) -> ir.Table:
    """(year, product, supplier, total): members with RCA >= 1 in the product and their exports of it."""
    rca = export_rca(flows, exporters=blocs)
    return rca.filter(_.rca >= 1 - RCA_TOLERANCE).select("year", "product", supplier=_.exporter, total=_.exports)


def supplier_rooms(flows: ir.Table, blocs: ir.Table, extra: ir.Table,
                   suppliers: ir.Table | None = None) -> ir.Table:
    """(year, importer, product, supplier, room) for every bloc supplier with RCA >= 1 in the product."""
    suppliers = bloc_suppliers(flows, blocs) if suppliers is None else suppliers
    pairs = (extra.join(suppliers, ["year", "product"]).filter(_.supplier != _.importer)
             .select("year", "importer", "product", "supplier", "total"))
    to_m = _within_bloc(flows, blocs)
    joined = pairs.left_join(to_m, [pairs.year == to_m.year_f, pairs.supplier == to_m.exporter_f,
                                    pairs.importer == to_m.importer_f, pairs.product == to_m.product_f])
    return joined.select("year", "importer", "product", "supplier",
                         room=_.total - _.to_importer.fill_null(0.0))


def supplier_outside_sales(flows: ir.Table, blocs: ir.Table, suppliers: ir.Table) -> ir.Table:
    """(year, product, supplier, outside_sales): each supplier's exports of the product to importers
    outside the bloc (its total exports minus those to members), where positive."""
    to_members = (_within_bloc(flows, blocs).group_by(["year_f", "exporter_f", "product_f"])
                  .aggregate(to_bloc=_.to_importer.sum()))
    sold = suppliers.left_join(to_members, [suppliers.year == to_members.year_f,
                                            suppliers.supplier == to_members.exporter_f,
                                            suppliers.product == to_members.product_f])
    sold = sold.select("year", "product", "supplier", outside_sales=_.total - _.to_bloc.fill_null(0.0))
    return sold.filter(_.outside_sales > 0)


def allocation(extra: ir.Table, outside: ir.Table) -> ir.Table:
    """(year, importer, product, redirectable_supply, bloc_extra_imports, allocated_value,
    allocated_suppliers) for every row of `extra`: the additive measure (module docstring)."""
    supply = outside.group_by(["year", "product"]).aggregate(redirectable_supply=_.outside_sales.sum())
    demand = extra.group_by(["year", "product"]).aggregate(bloc_extra_imports=_.extra_bloc_imports.sum())
    rows = extra.join(demand, ["year", "product"]).left_join(supply, ["year", "product"])
    rows = rows.select("year", "importer", "product", "bloc_extra_imports",
                       redirectable_supply=_.redirectable_supply.fill_null(0.0),
                       allocated_value=_.extra_bloc_imports * ibis.least(
                           1.0, _.redirectable_supply.fill_null(0.0) / _.bloc_extra_imports.nullif(0.0)))
    parts = rows.join(outside, ["year", "product"]).select(
        "year", "importer", "product", "supplier", share=_.outside_sales / _.redirectable_supply,
        value=_.allocated_value * _.outside_sales / _.redirectable_supply)
    listed = (parts.group_by(["year", "importer", "product"])
              .aggregate(allocated_suppliers=ibis.struct({"supplier": _.supplier, "share": _.share,
                                                           "value": _.value}).collect()))
    return rows.left_join(listed, ["year", "importer", "product"]).select(
        "year", "importer", "product", "redirectable_supply", "bloc_extra_imports",
        allocated_value=_.allocated_value.fill_null(0.0), allocated_suppliers=_.allocated_suppliers)


def ranked(table: ir.Table) -> ir.Table:
    """The substitution rows in their order (module docstring): a total order, the same on every engine."""
    return table.order_by([_.year, _.allocated_value.desc(), _.substitutable_value.desc(), _.importer, _.product])


def import_substitution(flows: ir.Table, blocs: ir.Table, *, product_level: int | None = None,
                        allocate: bool = True, ordered: bool = True) -> ir.Table:
    """The import-substitution table (module docstring) as one engine-agnostic Ibis expression: the
    per-importer upper bound and the allocated measure side by side (`allocate=False`: the upper bound
    alone, the measure before the allocation was added; benchmarks compare the two). `ordered=False`
    leaves the rows unordered (a result written on the engine and paged later: `ranked`).

    `flows`: year (int), exporter, importer, product (str), value (float); `blocs`: year, member.
    """
    if product_level is not None:
        flows = flows.mutate(product=flows["product"].substr(0, product_level))
    extra = extra_bloc_imports(flows, blocs)
    suppliers = bloc_suppliers(flows, blocs)
    rooms = supplier_rooms(flows, blocs, extra, suppliers)
    totals = rooms.group_by(["year", "importer", "product"]).aggregate(bloc_room=_.room.sum())
    rooms = rooms.join(totals, ["year", "importer", "product"])
    listed = (rooms.group_by(["year", "importer", "product"])
              .aggregate(suppliers=ibis.struct({"supplier": _.supplier, "room": _.room,
                                                 "share": _.room / _.bloc_room.nullif(0.0)})
                         .collect()))  # ordered afterwards: Spark cannot order a collect
    result = (extra.left_join(totals, ["year", "importer", "product"])
              .select("year", "importer", "product", "extra_bloc_imports",
                      bloc_room=_.bloc_room.fill_null(0.0)))
    result = result.left_join(listed, ["year", "importer", "product"]).select(
        "year", "importer", "product", "extra_bloc_imports", "bloc_room",
        substitutable_value=ibis.least(_.extra_bloc_imports, _.bloc_room), suppliers=_.suppliers)
    if not allocate:
        return result.order_by([_.year, _.substitutable_value.desc(), _.importer, _.product])
    allocated = allocation(extra, supplier_outside_sales(flows, blocs, suppliers))
    result = result.join(allocated, ["year", "importer", "product"]).select(*SUBSTITUTION_COLUMNS)
    return ranked(result) if ordered else result


def bloc_table(members_by_year: dict[int, list[str]]) -> ir.Table:
    """The (year, member) table the measures join on, from {year: [iso3, ...]}."""
    rows = [(year, iso3) for year, members in sorted(members_by_year.items()) for iso3 in members]
    return ibis.memtable({"year": [r[0] for r in rows], "member": [r[1] for r in rows]},
                         schema={"year": "int64", "member": "string"})


def substitution_report(session: Session, *, flows: pa.Table | ir.Table, product_level: int | None = None,
                        engine: str | None = None, unit: str = "USD", years: list[int] | None = None) -> pa.Table:
    """Run `import_substitution` over checked bilateral `flows` (in memory, or an expression over an
    engine's table: `inputs.PanelInput.expr`, run where the data is) with the bloc of each year from the
    party history; list cells are sorted and never null; every row states its `bloc` (the members that
    year) and the `unit` of the values. `years`: the years of `flows` when known (a panel's facts), else
    found (one engine query more)."""
    if isinstance(flows, pa.Table):
        years, flows = pc.unique(flows["year"]).to_pylist(), table_of(flows)
    elif years is None:
        years = run(flows.select("year").distinct(), engine=engine)["year"].to_pylist()
    members = members_by_year(session, years=years)
    result = run(import_substitution(flows, bloc_table(members), product_level=product_level), engine=engine)
    return finished_rows(result, members, unit=unit)


def finished_rows(table: pa.Table, members: dict[int, list[str]], *, unit: str) -> pa.Table:
    """Rows of the substitution table as readers get them: supplier lists sorted (largest first; Spark
    cannot order a collect) and never null, then `bloc` and `unit` (`with_bloc_and_unit`)."""
    table = sort_struct_lists(table, "suppliers", by=[("room", "descending"), ("supplier", "ascending")])
    table = sort_struct_lists(table, "allocated_suppliers", by=[("value", "descending"), ("supplier", "ascending")])
    return with_bloc_and_unit(table, members, unit=unit)


def with_bloc_and_unit(table: pa.Table, members: dict[int, list[str]], *, unit: str) -> pa.Table:
    """`table` with a `bloc` column (the sorted members of each row's year) and a `unit` column."""
    years = sorted(members)
    per_year = pa.array([sorted(members[y]) for y in years] + [[]], pa.list_(pa.string()))  # last: no bloc
    row_year = pc.index_in(table["year"].combine_chunks(), value_set=pa.array(years, table.schema.field("year").type))
    # taken per row from one list per year (no Python object per row: 744,282 rows at 200M cost 200 MiB so)
    table = table.append_column("bloc", per_year.take(pc.fill_null(row_year, len(years))))
    return table.append_column("unit", pa.repeat(pa.scalar(unit, pa.string()), table.num_rows))


def bloc_totals(table: ir.Table, *, counted: ir.BooleanValue | None = None) -> ir.Table:
    """Per year, the bloc totals a page may show, computed on the engine: what members buy outside
    (bloc_extra_imports), what the members with an advantage sell outside (redirectable_supply), and the
    allocated value (its sum; the upper bound is never summed). Both of the first are per product, the
    same on every row of it: taken once per product. Also `rows`: how many rows are `counted` (every
    row: None), so that a page's count needs no query of its own."""
    rows = table.count() if counted is None else counted.ifelse(1, 0).sum()
    per_product = table.group_by(["year", "product"]).aggregate(
        bloc_extra_imports=_.bloc_extra_imports.max(), redirectable_supply=_.redirectable_supply.max(),
        allocated_value=_.allocated_value.sum(), rows=rows)
    return (per_product.group_by("year")
            .aggregate(bloc_extra_imports=_.bloc_extra_imports.sum(), redirectable_supply=_.redirectable_supply.sum(),
                       allocated_value=_.allocated_value.sum(), rows=_.rows.sum())
            .order_by("year"))
