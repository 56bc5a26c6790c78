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

Every figure is an aggregate of the flows, never a join of flow-sized tables: each flow is counted twice,
as its exporter's export and as its importer's import (`country_partner_trade`, `country_product_trade`),
and the sums per country, partner or product are grouped from those rows; the joins and windows work on
tables of one row per country and year. Given the panel as one table per year, the country measures are
aggregated one year at a time and the small per-year tables stacked (UNION ALL, still one engine query):
every measure but the CAGR is a sum within one year, so the engine's hash tables hold one year's
(country, product) groups instead of every year's. At 200M rows (29 years) the all-years aggregate ran
DuckDB out of its 2 GB cap even while spilling (hash tables 1.8 GiB in memory after 3.3 GiB spilled).
Each year's table must read only that year's rows (`PanelInput.year_exprs` filters the version's own
year column, so the engine reads only that year's row groups): a year filter over the shared panel
would have DuckDB scan the panel once and feed every year's aggregate at once (its CTE fan-out), all of
their hash tables alive together (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import _

from scobank.analytics.indicators import country_partner_trade, country_product_trade


def _limit(table: ir.Table, countries: Sequence[str] | None) -> ir.Table:
    return table if countries is None else table.filter(_.country.isin(list(countries)))


def _stacked(flows: ir.Table | Sequence[ir.Table], per_year) -> ir.Table:
    """`per_year` of the panel, or of each of its per-year tables stacked (UNION ALL; module docstring)."""
    parts = [per_year(part) for part in ([flows] if isinstance(flows, ir.Table) else flows)]
    return parts[0].union(*parts[1:], distinct=False) if len(parts) > 1 else parts[0]


def partner_overview(flows: ir.Table | Sequence[ir.Table], *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country, partner, exports, imports, balance); `flows` as for `country_overview`."""
    out = _stacked(flows, country_partner_trade).mutate(balance=_.exports - _.imports)
    return _limit(out, countries).order_by(["year", "country", "partner"])


def _product_year(flows: ir.Table) -> ir.Table:
    return country_product_trade(flows).mutate(
        balance=_.exports - _.imports, market_share=_.exports / _.exports.sum().over(group_by=[_.year, _.product]))


def product_overview(flows: ir.Table | Sequence[ir.Table], *, countries: Sequence[str] | None = None) -> ir.Table:
    """(year, country, product, exports, imports, balance, market_share); `flows` as for `country_overview`."""
    return _limit(_stacked(flows, _product_year), countries).order_by(["year", "country", "product"])


def _partner_measures(flows: ir.Table, blocs: ir.Table) -> ir.Table:
    """(year, country, exports, imports, intra_bloc_export_share, intra_bloc_import_share,
    export_hhi_partners): sums over the country's partners, each partner a bloc member of that year or not."""
    pairs = country_partner_trade(flows)
    members = blocs.select(year_b=_.year, member=_.member)
    pairs = pairs.left_join(members, [pairs.year == members.year_b, pairs.partner == members.member])
    in_bloc = _.member.notnull() & (_.member != _.country)
    per = pairs.group_by(["year", "country"]).aggregate(
        exports=_.exports.sum(), imports=_.imports.sum(), to_bloc=ibis.ifelse(in_bloc, _.exports, 0.0).sum(),
        from_bloc=ibis.ifelse(in_bloc, _.imports, 0.0).sum(), squares=(_.exports * _.exports).sum())
    return per.select("year", "country", "exports", "imports",
                      intra_bloc_export_share=_.to_bloc / _.exports.nullif(0.0),
                      intra_bloc_import_share=_.from_bloc / _.imports.nullif(0.0),
                      export_hhi_partners=_.squares / (_.exports * _.exports).nullif(0.0))


def _product_measures(flows: ir.Table) -> ir.Table:
    """(year, country, export_hhi_products, grubel_lloyd): sums over the country's products. HHI = the sum
    of squared export shares = sum(x^2) / sum(x)^2 (null for a country that exports nothing); Grubel-Lloyd
    as `indicators.grubel_lloyd`."""
    per = country_product_trade(flows).group_by(["year", "country"]).aggregate(
        x=_.exports.sum(), squares=(_.exports * _.exports).sum(), gross=(_.exports + _.imports).sum(),
        gap=(_.exports - _.imports).abs().sum())
    return per.select(year_p=_.year, country_p=_.country,
                      export_hhi_products=_.squares / (_.x * _.x).nullif(0.0),
                      grubel_lloyd=(_.gross - _.gap) / _.gross)


def _cagr(value: ir.NumericColumn, first: ir.NumericColumn, years: ir.IntegerColumn) -> ir.NumericColumn:
    return ibis.ifelse((years > 0) & (first > 0), (value / first.nullif(0.0)).pow(1.0 / years.cast("float64")) - 1,
                       ibis.null("float64"))


def _year_measures(flows: ir.Table, blocs: ir.Table) -> ir.Table:
    """The measures that are sums within a year, per (year, country): `_partner_measures` beside
    `_product_measures`."""
    base = _partner_measures(flows, blocs)
    products = _product_measures(flows)
    return base.left_join(products, [base.year == products.year_p, base.country == products.country_p]) \
        .drop("year_p", "country_p")


def country_overview(flows: ir.Table | Sequence[ir.Table], blocs: ir.Table, *,
                     countries: Sequence[str] | None = None) -> ir.Table:
    """One row per country and year (module docstring). `flows`: the panel, or the panel as one table per
    year (`inputs.PanelInput.year_exprs`), whose sums are aggregated one table at a time and stacked."""
    return overview_of_sums(year_sums(flows, blocs), countries=countries)


def year_sums(flows: ir.Table | Sequence[ir.Table], blocs: ir.Table) -> ir.Table:
    """The first step of `country_overview`: one row per country and year of the sums within the year
    (exports, imports, the intra-bloc shares, both HHIs, Grubel-Lloyd). Years may be summed in separate
    queries and their rows stacked before `overview_of_sums`."""
    return _stacked(flows, lambda part: _year_measures(part, blocs))


def overview_of_sums(base: ir.Table, *, countries: Sequence[str] | None = None) -> ir.Table:
    """The second step of `country_overview` over the rows of `year_sums` of every year: balance, world
    shares and the CAGR since each country's first year (windows over one row per country and year)."""
    base = base.mutate(y0=_.year.min().over(group_by=_.country))
    base = base.mutate(x0=ibis.ifelse(_.year == _.y0, _.exports, None).max().over(group_by=_.country),
                       m0=ibis.ifelse(_.year == _.y0, _.imports, None).max().over(group_by=_.country))
    base = base.mutate(balance=_.exports - _.imports,
                       world_export_share=_.exports / _.exports.sum().over(group_by=_.year),
                       exports_cagr=_cagr(_.exports, _.x0, _.year - _.y0),
                       imports_cagr=_cagr(_.imports, _.m0, _.year - _.y0))
    base = base.select("year", "country", "exports", "imports", "balance", "world_export_share",
                       "intra_bloc_export_share", "intra_bloc_import_share", "exports_cagr", "imports_cagr",
                       "export_hhi_partners", "export_hhi_products", "grubel_lloyd")
    return _limit(base, countries).order_by(["year", "country"])
