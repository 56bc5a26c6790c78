"""Trade overview per country, partner, product and year (engine-agnostic Ibis expressions).

From bilateral flows (year, exporter, importer, product, value; duplicates summed) and the bloc by year
(year, member: the parties with member status on 31 December of that year):

- by country and year: exports, imports, balance = exports - imports; world_export_share = exports /
  exports of every exporter in the input that year; intra_bloc_export_share = exports to bloc members
  (other than itself) / exports, intra_bloc_import_share likewise for imports; exports_cagr and
  imports_cagr = (value in year / value in the country's first year)^(1 / years between) - 1 (null in
  the first year and when the first value is 0); export_hhi_partners, export_hhi_products (indicators.export_hhi); grubel_lloyd.
- by country, partner and year: exports (country -> partner), imports (partner -> country), balance.
- by country, product and year: exports, imports, balance, market_share = the country's exports of p /
  exports of p by every exporter in the input.
`countries` limits the rows to those countries (default: every country in the input).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import _

from scobank.analytics.indicators import country_product_trade, export_hhi, grubel_lloyd


def _limit(table: ir.Table, countries: Sequence[str] | None) -> ir.Table:
    return table if countries is None else table.filter(_.country.isin(list(countries)))


def partner_overview(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country, partner, exports, imports, balance)."""
    x = flows.group_by(["year", "exporter", "importer"]).aggregate(exports=_.value.sum()) \
        .rename(country="exporter", partner="importer")
    m = flows.group_by(["year", "importer", "exporter"]).aggregate(imports=_.value.sum()) \
        .rename(country="importer", partner="exporter")
    both = x.outer_join(m, ["year", "country", "partner"])
    out = both.select(year=ibis.coalesce(_.year, _.year_right), country=ibis.coalesce(_.country, _.country_right),
                      partner=ibis.coalesce(_.partner, _.partner_right),
                      exports=_.exports.fill_null(0.0), imports=_.imports.fill_null(0.0))
    return _limit(out.mutate(balance=_.exports - _.imports), countries).order_by(["year", "country", "partner"])


def product_overview(flows: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country, product, exports, imports, balance, market_share)."""
    cp = country_product_trade(flows)
    cp = cp.mutate(balance=_.exports - _.imports,
                   market_share=_.exports / _.exports.sum().over(group_by=[_.year, _.product]))
    return _limit(cp, countries).order_by(["year", "country", "product"])


def _bloc_shares(flows: ir.Table, blocs: ir.Table) -> ir.Table:
    partner = blocs.select(year_b=_.year, member=_.member)
    pairs = flows.group_by(["year", "exporter", "importer"]).aggregate(v=_.value.sum())
    x = pairs.left_join(partner, [pairs.year == partner.year_b, pairs.importer == partner.member]) \
        .mutate(to_bloc=ibis.ifelse(_.member.notnull() & (_.member != _.exporter), _.v, 0.0))
    x = x.group_by(["year", "exporter"]).aggregate(to_bloc=_.to_bloc.sum(), x=_.v.sum()).rename(country="exporter")
    m = pairs.left_join(partner, [pairs.year == partner.year_b, pairs.exporter == partner.member]) \
        .mutate(from_bloc=ibis.ifelse(_.member.notnull() & (_.member != _.importer), _.v, 0.0))
    m = m.group_by(["year", "importer"]).aggregate(from_bloc=_.from_bloc.sum(), m=_.v.sum()).rename(country="importer")
    both = x.outer_join(m, ["year", "country"])
    return both.select(year=ibis.coalesce(_.year, _.year_right), country=ibis.coalesce(_.country, _.country_right),
                       exports=_.x.fill_null(0.0), imports=_.m.fill_null(0.0),
                       intra_bloc_export_share=_.to_bloc / _.x.nullif(0.0),
                       intra_bloc_import_share=_.from_bloc / _.m.nullif(0.0))


def _cagr(value: ir.NumericColumn, first: ir.NumericColumn, years: ir.IntegerColumn) -> ir.NumericColumn:
    return ibis.ifelse((years > 0) & (first > 0), (value / first.nullif(0.0)).pow(1.0 / years.cast("float64")) - 1,
                       ibis.null("float64"))


def country_overview(flows: ir.Table, blocs: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """One row per country and year (module docstring)."""
    base = _bloc_shares(flows, blocs)
    base = base.mutate(y0=_.year.min().over(group_by=_.country))
    base = base.mutate(x0=ibis.ifelse(_.year == _.y0, _.exports, None).max().over(group_by=_.country),
                       m0=ibis.ifelse(_.year == _.y0, _.imports, None).max().over(group_by=_.country))
    base = base.mutate(balance=_.exports - _.imports,
                       world_export_share=_.exports / _.exports.sum().over(group_by=_.year),
                       exports_cagr=_cagr(_.exports, _.x0, _.year - _.y0),
                       imports_cagr=_cagr(_.imports, _.m0, _.year - _.y0))
    keys = ["year", "country"]
    for extra in (export_hhi(flows, over="importer").rename(export_hhi_partners="hhi"),
                  export_hhi(flows, over="product").rename(export_hhi_products="hhi"), grubel_lloyd(flows)):
        extra = extra.rename(year_x="year", country_x="country")
        base = base.left_join(extra, [base.year == extra.year_x, base.country == extra.country_x]) \
            .drop("year_x", "country_x")
    base = base.select("year", "country", "exports", "imports", "balance", "world_export_share",
                       "intra_bloc_export_share", "intra_bloc_import_share", "exports_cagr", "imports_cagr",
                       "export_hhi_partners", "export_hhi_products", "grubel_lloyd")
    return _limit(base, countries).order_by(keys)
