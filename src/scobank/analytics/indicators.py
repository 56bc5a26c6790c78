"""Bilateral trade indicators (WITS definitions, ANALYTICS.md), engine-agnostic Ibis expressions.

Input everywhere: bilateral flows (year, exporter, importer, product, value) with duplicates summed
(`substitution.summed_flows`). Shares are per year. `countries` limits the pairs (j, k) computed.

- trade complementarity TC[j,k] = 100 (1 - sum_p |m[k,p] - x[j,p]| / 2), m = product shares of k's
  imports, x = product shares of j's exports. Since both share vectors sum to 1 this equals
  100 sum_p min(m[k,p], x[j,p]), which needs only the products both have.
- trade intensity TII[j,k] = (X[j->k] / X[j]) / (X[w->k] / X[w]), w = every exporter in the input.
- export similarity ES[j,k] = 100 sum_p min(x[j,p], x[k,p]) (Finger-Kreinin).
- Grubel-Lloyd GL[c,p] = 1 - |X[c,p] - M[c,p]| / (X[c,p] + M[c,p]); per country aggregated weighted
  by trade: sum_p (X+M - |X-M|) / sum_p (X+M).
- HHI of a country's exports over partners or over products: sum of squared shares (0-1].
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import _


def _limit(table: ir.Table, column: str, countries: Sequence[str] | None) -> ir.Table:
    return table if countries is None else table.filter(table[column].isin(list(countries)))


def export_shares(flows: ir.Table) -> ir.Table:
    """(year, country, product, share): product shares of each exporter's exports to the world."""
    x = flows.group_by(["year", "exporter", "product"]).aggregate(v=_.value.sum())
    return x.select("year", country=_.exporter, product=_.product,
                    share=_.v / _.v.sum().over(group_by=[_.year, _.exporter]))


def import_shares(flows: ir.Table) -> ir.Table:
    """(year, country, product, share): product shares of each importer's imports from the world."""
    m = flows.group_by(["year", "importer", "product"]).aggregate(v=_.value.sum())
    return m.select("year", country=_.importer, product=_.product,
                    share=_.v / _.v.sum().over(group_by=[_.year, _.importer]))


def _min_share_overlap(left: ir.Table, right: ir.Table, a: str, b: str) -> ir.Table:
    lhs = left.select("year", "product", **{a: _.country, "s_a": _.share})
    rhs = right.select(year_r=_.year, product_r=_.product, **{b: _.country, "s_b": _.share})
    pairs = lhs.join(rhs, [lhs.year == rhs.year_r, lhs.product == rhs.product_r])
    return (pairs.filter(pairs[a] != pairs[b]).group_by(["year", a, b])
            .aggregate(overlap=ibis.least(_.s_a, _.s_b).sum()))


def trade_complementarity(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, exporter, importer, trade_complementarity) in 0-100 for exporter j, importer k."""
    x = _limit(export_shares(flows), "country", countries)
    m = _limit(import_shares(flows), "country", countries)
    overlap = _min_share_overlap(x, m, "exporter", "importer")
    return overlap.select("year", "exporter", "importer", trade_complementarity=100 * _.overlap)


def export_similarity(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country_a, country_b, export_similarity) in 0-100, both orders."""
    x = _limit(export_shares(flows), "country", countries)
    overlap = _min_share_overlap(x, x, "country_a", "country_b")
    return overlap.select("year", "country_a", "country_b", export_similarity=100 * _.overlap)


def trade_intensity(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, exporter, importer, trade_intensity): 1 = j sells to k as much as the world does."""
    pair = flows.group_by(["year", "exporter", "importer"]).aggregate(v=_.value.sum())
    pair = pair.mutate(x_j=_.v.sum().over(group_by=[_.year, _.exporter]),
                       m_k=_.v.sum().over(group_by=[_.year, _.importer]),
                       x_w=_.v.sum().over(group_by=_.year))
    pair = _limit(_limit(pair, "exporter", countries), "importer", countries)
    return pair.select("year", "exporter", "importer",
                       trade_intensity=(_.v / _.x_j) / (_.m_k / _.x_w))


def _both_sides(flows: ir.Table, other: str) -> ir.Table:
    """Every row of `flows` twice: as its exporter's export and as its importer's import, with `other`
    (importer/exporter as "partner", or "product") kept: (year, country, `other`, exports, imports)."""
    def side(country: str, partner: str, *, exports: bool) -> ir.Table:
        keep = {"partner": flows[partner]} if other == "partner" else {other: flows[other]}
        zero = ibis.literal(0.0)
        return flows.select(year=flows.year, country=flows[country], **keep,
                            exports=flows.value if exports else zero, imports=zero if exports else flows.value)
    return side("exporter", "importer", exports=True).union(side("importer", "exporter", exports=False))


def country_partner_trade(flows: ir.Table) -> ir.Table:
    """(year, country, partner, exports, imports): what each country sells to and buys from each partner
    (the pairs summed first, then each pair counted from both sides: grouped, never joined)."""
    pairs = flows.group_by(["year", "exporter", "importer"]).aggregate(value=_.value.sum())
    return _both_sides(pairs, "partner").group_by(["year", "country", "partner"]) \
        .aggregate(exports=_.exports.sum(), imports=_.imports.sum())


def country_product_trade(flows: ir.Table) -> ir.Table:
    """(year, country, product, exports, imports) for every country as exporter or importer (each flow
    counted from both sides and grouped: an aggregate, which spills to disk, not a join of two
    flow-sized tables)."""
    return _both_sides(flows, "product").group_by(["year", "country", "product"]) \
        .aggregate(exports=_.exports.sum(), imports=_.imports.sum())


def grubel_lloyd(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country, grubel_lloyd): trade-weighted intra-industry trade over products, 0-1."""
    cp = _limit(country_product_trade(flows), "country", countries)
    return (cp.group_by(["year", "country"])
            .aggregate(gross=(_.exports + _.imports).sum(), gap=(_.exports - _.imports).abs().sum())
            .select("year", "country", grubel_lloyd=(_.gross - _.gap) / _.gross))


def export_hhi(flows: ir.Table, *, over: str, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country, hhi): concentration of a country's exports over `over` ("importer" or "product")."""
    x = _limit(flows, "exporter", countries).group_by(["year", "exporter", over]).aggregate(v=_.value.sum())
    x = x.mutate(share=_.v / _.v.sum().over(group_by=[_.year, _.exporter]))
    return x.group_by(["year", "exporter"]).aggregate(hhi=(_.share * _.share).sum()).rename(country="exporter")


def complementarity_table(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, exporter, importer, trade_complementarity, trade_intensity, export_similarity) for every
    ordered pair of `countries` (j exports, k imports); intensity is null where j sells nothing to k;
    similarity is null where it is undefined (k exports nothing), 0 where both export but share nothing."""
    tc = trade_complementarity(flows, countries=countries)
    tii = trade_intensity(flows, countries=countries).rename(year_i="year", exporter_i="exporter",
                                                             importer_i="importer")
    es = export_similarity(flows, countries=countries).rename(year_e="year")
    out = tc.left_join(tii, [tc.year == tii.year_i, tc.exporter == tii.exporter_i, tc.importer == tii.importer_i])
    out = out.left_join(es, [out.year == es.year_e, out.exporter == es.country_a, out.importer == es.country_b])
    sellers = _limit(export_shares(flows), "country", countries).select(year_x=_.year, seller=_.country).distinct()
    out = out.left_join(sellers, [out.year == sellers.year_x, out.importer == sellers.seller])
    return (out.select("year", "exporter", "importer", "trade_complementarity", "trade_intensity",
                       export_similarity=ibis.ifelse(_.seller.isnull(), ibis.null("float64"),
                                                     _.export_similarity.fill_null(0.0)))
            .order_by(["year", "exporter", "importer"]))
