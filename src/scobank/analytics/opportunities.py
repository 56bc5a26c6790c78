"""Joint-production opportunities: products the bloc buys from outside that members are close to making.

For each year t, member m of the bloc B(t) that exports something, and product p where m has no
comparative advantage yet (RCA[m,p] < 1):

    feasibility = w_density * norm(density[m,p]) + w_pci * norm(PCI[p]) + w_cog * norm(COG[m,p])
    attractiveness = the bloc's extra-bloc imports of p (sum over members of imports from exporters
                     outside B(t); `substitution.extra_bloc_imports`)

Default weights are the Atlas of Economic Complexity's "low-hanging fruit" strategy: w_density 0.60,
w_pci 0.15, w_cog 0.25; they are overridable and written on every output row. `norm` is min-max
scaling to [0, 1] over the member's candidate products of the year, as the Atlas ranks each country's
own options (a constant column scales to 0).
Density, PCI and COG come from `complexity.complexity_year` on the world exports of the panel (each
exporter's exports to all importers), in the ecomplexity convention, over the stated country set
(`country_sets`, ANALYTICS.md: the bank's datasets default to the Growth Lab's ranked countries plus the
population/trade rule, with products below the set's floor dropped; a file on the command line keeps
every country). A member outside the set gets no candidates. The result's schema metadata says how many
countries the set kept (`countries`) and how many products it dropped (`products_dropped`). Rows are ranked per year and
member by feasibility; products the bloc does not import from outside have attractiveness 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import ibis.expr.types as ir
import pyarrow.compute as pc
from ibis import _

from scobank.analytics.complexity import complexity_year
from scobank.analytics.country_sets import CountrySet, restrict_panel
from scobank.analytics.execution import run, table_of
from scobank.analytics.panel import iter_year_matrices
from scobank.analytics.substitution import bloc_table, extra_bloc_imports
from scobank.errors import BadRequest


@dataclass(frozen=True)
class Weights:
    density: float = 0.60
    pci: float = 0.15
    cog: float = 0.25

    def check(self) -> Weights:
        values = (self.density, self.pci, self.cog)
        if min(values) < 0 or sum(values) <= 0:
            raise BadRequest(f"weights must be >= 0 and not all 0; got density={self.density}, "
                             f"pci={self.pci}, cog={self.cog}")
        return self


def _norm(x: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Min-max scaling of `x` within each value of `group` (vectorised: reduceat over sorted groups)."""
    if len(x) == 0:
        return x
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    lo = np.minimum.reduceat(x[order], starts)
    hi = np.maximum.reduceat(x[order], starts)
    which = np.searchsorted(starts, np.arange(len(x)), side="right") - 1
    lo_s, span = lo[which], (hi - lo)[which]
    out = np.empty_like(x)
    out[order] = np.where(span > 0, (x[order] - lo_s) / np.where(span > 0, span, 1), 0.0)
    return out


def _bloc_imports(flows: ir.Table, members_by_year: dict[int, list[str]], engine: str | None) -> pa.Table:
    """(year, product, attractiveness): the bloc's imports of each product from outside the bloc."""
    extra = extra_bloc_imports(flows, bloc_table(members_by_year))  # sums: duplicates need no pre-sum
    return run(extra.group_by(["year", "product"]).aggregate(attractiveness=_.extra_bloc_imports.sum()),
               engine=engine)


def world_exports(flows: ir.Table | pa.Table, *, engine: str | None = None) -> pa.Table:
    """(year, exporter, product, value): each exporter's exports to all importers, summed on the engine."""
    f = _as_expr(flows).group_by(["year", "exporter", "product"]).aggregate(value=_.value.sum())
    return run(f, engine=engine)


def _as_expr(flows: ir.Table | pa.Table) -> ir.Table:
    return table_of(flows) if isinstance(flows, pa.Table) else flows


def opportunities(flows: ir.Table | pa.Table, *, members_by_year: dict[int, list[str]], weights: Weights = Weights(),
                  engine: str | None = None, country_set: CountrySet | None = None) -> pa.Table:
    """The opportunity table (module docstring) from checked bilateral `flows` (a dataset's panel
    expression, whose rows stay on the engine, or a file's table), complexity computed over `country_set`
    (None: every exporter). Only the bloc's imports by product and the country-product totals come back
    from the engine; RCA, density, PCI and COG are computed in numpy on that small matrix."""
    weights = weights.check()
    flows = _as_expr(flows)
    imports = _bloc_imports(flows, members_by_year, engine)
    world, dropped = world_exports(flows, engine=engine), 0
    if country_set is not None:
        world, dropped = restrict_panel(world, country_set)
    parts = []
    for matrix in iter_year_matrices(world):
        r = complexity_year(matrix)
        members = [m for m in members_by_year.get(r.year, []) if m in set(r.exporters)]
        rows = np.flatnonzero(np.isin(r.exporters, members))
        c, p = np.nonzero(r.rca[rows] < 1)
        c = rows[c]
        density, pci, cog = r.space.density[c, p], r.pci[p], r.cog[c, p]
        feasibility = (weights.density * _norm(density, c) + weights.pci * _norm(pci, c)
                       + weights.cog * _norm(cog, c))
        products = r.products[p]
        parts.append(pa.table({
            "year": np.full(len(c), r.year, dtype=np.int64), "member": pa.array(r.exporters[c], pa.string()),
            "product": pa.array(products, pa.string()), "rca": r.rca[c, p], "density": density, "pci": pci,
            "cog": cog, "feasibility": feasibility,
            "w_density": np.full(len(c), weights.density), "w_pci": np.full(len(c), weights.pci),
            "w_cog": np.full(len(c), weights.cog)}))
    table = pa.concat_tables(parts).join(imports, keys=["year", "product"], join_type="left outer")
    table = table.set_column(table.schema.get_field_index("attractiveness"), "attractiveness",
                             pc.fill_null(table["attractiveness"], 0.0))
    table = table.select(["year", "member", "product", "rca", "density", "pci", "cog", "feasibility",
                          "attractiveness", "w_density", "w_pci", "w_cog"])
    order = pc.sort_indices(table, [("year", "ascending"), ("member", "ascending"), ("feasibility", "descending")])
    kept = len(pc.unique(world["exporter"])) if world.num_rows else 0
    return table.take(order).replace_schema_metadata({"countries": str(kept), "products_dropped": str(dropped)})


def set_size(table: pa.Table) -> tuple[int, int]:
    """(countries kept, products dropped) of an `opportunities` result, from its schema metadata."""
    meta = table.schema.metadata or {}
    return int(meta.get(b"countries", b"0")), int(meta.get(b"products_dropped", b"0"))


def top_per_member(table: pa.Table, n: int) -> pa.Table:
    """The `n` most feasible rows of each (year, member) of a table ranked as `opportunities` returns it."""
    keys = pc.binary_join_element_wise(table["year"].cast(pa.string()), table["member"], "|")
    _, first = np.unique(keys.to_numpy(zero_copy_only=False), return_index=True)
    start = np.zeros(table.num_rows, dtype=np.int64)
    start[np.sort(first)] = 1
    group_start = np.maximum.accumulate(np.where(start == 1, np.arange(table.num_rows), 0))
    return table.filter(pa.array(np.arange(table.num_rows) - group_start < n))
