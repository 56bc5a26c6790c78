"""The analyses over datasets in the bank, as JSON tables: what the REST API and the portal call.

Every function passes the access gate for each input (purpose "statistics") and writes its ledger entry
on every call (`inputs.use_panel`); the computation over the rows is kept by `cache.cached` under the
input versions' content hashes and the parameters, so a repeated call skips only the read and the
computation. Each returns an `AnalyticsResult`: the parameters used and
one or more named tables of rows (NaN as null), each cut to `limit` rows with the full count given.
Defaults name the demo's datasets: world exports by SITC2 product (complexity, RCA), the BACI
HS17 2020 bilateral sample (flows) and the OECD ICIO 2022 intermediate flows by exporting sector
(opportunities and input-output dependency: a bilateral panel in which the members export). Results
over flows state their value unit in `parameters["unit"]` ("USD" or "USD million").
"""

from __future__ import annotations

import json
from typing import Any, Literal

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.bloc import Bloc, bloc, blocs_for, members_by_year, stated_blocs
from scobank.analytics.goods import ProductScope, restrict, restrict_expr
from scobank.analytics.notices import no_member_exporters, no_rows, notice
from scobank.analytics.complexity import Convention, YearComplexity, complexity_year
from scobank.analytics.country_sets import CountrySet, CountrySetName, country_set, ordinal_rank, restrict_panel
from scobank.analytics.execution import EngineResult, run, table_of
from scobank.analytics.indicators import complementarity_table
from scobank.analytics.cache import cached, result_name
from scobank.analytics.inputs import PanelInput, use_panel
from scobank.analytics.opportunities import Weights, opportunities, set_size
from scobank.analytics.overview import country_overview, overview_of_sums, year_sums
from scobank.analytics.panel import BILATERAL_COLUMNS, TRADE_COLUMNS, iter_year_matrices
from scobank.analytics.substitution import bloc_table, bloc_totals, finished_rows, import_substitution, ranked
from scobank.reference.lookup import country_code
from scobank.catalog import refs as catalog_refs
from scobank.config import get_settings
from scobank.errors import NotFound
from scobank.lake.query import rows_for_json
from scobank.reference.products import with_product_names

# The default datasets are settings (SCOBANK_EXPORTS_DATASET, ...), not slugs written here.
EXPORTS_DATASET = get_settings().exports_dataset
FLOWS_DATASET = get_settings().flows_dataset
ICIO_FLOWS_DATASET = get_settings().icio_flows_dataset
FLOWS_CHOICES = (ICIO_FLOWS_DATASET, FLOWS_DATASET)  # bilateral datasets the portal offers in its selectors
# The portal's default bilateral dataset: the ICIO flows, where six members export and import (the BACI
# sample has only AFG and ZAF as exporters, so no member appears as a supplier there).
PAGE_FLOWS_DATASET = ICIO_FLOWS_DATASET
# The member profile's bilateral dataset (imports, substitution, complementarity), page and API alike; its
# product view reads the newest product-level data held for the member (`member_products`).
PROFILE_FLOWS_DATASET = PAGE_FLOWS_DATASET
MEMBER_EXPORTER_DATASETS = (ICIO_FLOWS_DATASET,)  # bilateral datasets of the demo in which members export


class AnalyticsTable(BaseModel):
    rows_total: int
    rows: list[dict[str, Any]]


class AnalyticsResult(BaseModel):
    analysis: str
    parameters: dict[str, Any]
    tables: dict[str, AnalyticsTable]


def _table(table: pa.Table, limit: int) -> AnalyticsTable:
    return AnalyticsTable(rows_total=table.num_rows, rows=rows_for_json(table.slice(0, limit)))


def named_table(session: Session, table: pa.Table, limit: int, *, classification: str | None,
                column: str = "product", rows_total: int | None = None) -> AnalyticsTable:
    """`_table` with a `product_name` column (English) after `column` in the rows returned, named by
    `classification` from the reference store (null where it has no name). `rows_total`: the count when
    `table` is already a page of a larger result."""
    head = with_product_names(session, table.slice(0, limit), classification=classification, column=column)
    return AnalyticsTable(rows_total=table.num_rows if rows_total is None else rows_total, rows=rows_for_json(head))


def _latest_complexity(session: Session, *, reader: Reader, dataset: str, version: int | None,
                       convention: Convention, rca_cutoff: float, year: int | None,
                       country_set: CountrySetName = "ranked") -> tuple[YearComplexity, dict, dict]:
    """(the complexity of one year of a country-product dataset over the stated `country_set`, the set
    as stated, the period of the data). A one-period dataset (no year column) answers for any year of its
    coverage, since its figures stand for the whole period (the SITC 1998-2000 average for 1999)."""
    panel = use_panel(session, slug=dataset, reader=reader, columns=TRADE_COLUMNS, analysis="complexity",
                      version=version)
    years, period = panel.facts().years, panel.period
    if year is not None and year not in years and not period["start"] <= year <= period["end"]:
        raise NotFound(f"dataset {dataset!r} has no year {year}; years: {period['label']}")
    chosen = years[-1] if year is None or year not in years else year

    def compute_set() -> pa.Table:
        table = country_product_totals(panel, chosen)
        chosen_set = country_set_of(country_set, countries=pc.unique(table["exporter"]).to_pylist(),
                                    years=period["years"])
        cut, dropped = restrict_panel(table, chosen_set)
        return pa.table({"exporter": pc.unique(cut["exporter"]), "dropped": [dropped] * len(pc.unique(cut["exporter"]))})

    members = cached("complexity-set", inputs=[panel], params={"year": chosen, "set": country_set}, compute=compute_set)

    def compute() -> YearComplexity:
        chosen_set = country_set_of(country_set, countries=members["exporter"].to_pylist(), years=period["years"])
        table, _ = restrict_panel(country_product_totals(panel, chosen), chosen_set)
        matrix = next(m for m in iter_year_matrices(table) if m.year == chosen)
        return complexity_year(matrix, convention=convention, rca_cutoff=rca_cutoff)

    r = cached("complexity", inputs=[panel], compute=compute,
               params={"year": chosen, "convention": convention, "rca_cutoff": rca_cutoff, "set": country_set})
    dropped = members["dropped"][0].as_py() if members.num_rows else 0
    stated = country_set_of(country_set, countries=[], years=[]).stated(size=len(r.exporters),
                                                                        products_dropped=dropped)
    return r, stated, period


def country_product_totals(panel: PanelInput, year: int | None = None, *, engine: str | None = None) -> pa.Table:
    """(year, exporter, product, value) of one year (every year: None), duplicates summed on the engine:
    the country-product matrix RCA and M are computed from (in numpy, with the eigenproblem), not the
    panel's rows."""
    t = panel.expr(engine)
    t = t if year is None else t.filter(t.year == year)
    return run(t.group_by(["year", "exporter", "product"]).aggregate(value=t.value.sum()), engine=engine)


def country_set_of(name: str, *, countries: list[str], years: list[int]) -> CountrySet:
    """The named country set over the real data's reference files (`country_sets`)."""
    return country_set(name, data_dir=get_settings().resolved_data_dir, countries=countries, years=years)


def complexity(session: Session, *, reader: Reader, dataset: str = EXPORTS_DATASET, version: int | None = None,
               convention: Convention = "ecomplexity", rca_cutoff: float = 1.0, year: int | None = None,
               country_set: CountrySetName = "ranked", limit: int = 500) -> AnalyticsResult:
    """ECI/COI per country and PCI per product of one year (the latest unless `year`), ranked within the
    stated `country_set` (default: the Growth Lab's ranked countries; "all" on request): every country
    row says its rank and the set's size ("90th of 122")."""
    r, stated, period = _latest_complexity(session, reader=reader, dataset=dataset, version=version,
                                           convention=convention, rca_cutoff=rca_cutoff, year=year,
                                           country_set=country_set)
    countries = pa.table({"exporter": r.exporters.astype(str), "diversity": r.diversity.astype(np.int64),
                          "eci": r.eci, "coi": r.coi,
                          "rank": np.array([ordinal_rank(r.eci, i) for i in range(len(r.eci))], np.int64),
                          "of": np.full(len(r.eci), len(r.eci), np.int64)})
    products = pa.table({"product": r.products.astype(str), "ubiquity": r.ubiquity.astype(np.int64), "pci": r.pci})
    countries = countries.sort_by([("eci", "descending")])
    products = products.sort_by([("pci", "descending")])
    params = {"dataset": dataset, "version": version, "year": r.year, "convention": convention,
              "rca_cutoff": rca_cutoff, "country_set": stated, "period": period}
    return AnalyticsResult(analysis="complexity", parameters=params,
                           tables={"country": _table(countries, limit), "product": _table(products, limit)})


def _flow_panel(session: Session, reader: Reader, dataset: str, version: int | None, analysis: str) -> PanelInput:
    """The bilateral panel of `dataset`, gate passed and use recorded; rows read only on a cache miss."""
    return use_panel(session, slug=dataset, reader=reader, columns=BILATERAL_COLUMNS, analysis=analysis,
                     version=version)


def classification_of(session: Session, dataset: str) -> str | None:
    """The catalog `classification` of a dataset that this call has already read through the gate (it
    names the products of results over it: `scobank.reference.products`)."""
    return catalog_refs.classification_of(session, dataset)


def _blocs(session: Session, flows: PanelInput) -> dict[int, list[str]]:
    return members_by_year(session, years=flows.facts().years)


ROWS_TOTAL, BLOC_TOTALS = b"rows_total", b"bloc_totals"  # a kept page's count and totals (schema metadata)


def substitution_page(session: Session, *, flows: PanelInput, level: int | None = None, importer: str | None = None,
                      products: ProductScope = "all", limit: int = 500) -> tuple[pa.Table, int, list[dict]]:
    """(the first `limit` rows of the import substitution (substitution.py) in the `products` scope, of
    `importer` (an ISO3 code; every member: None), ranked, lists sorted, each row stating its bloc and
    the panel's unit; how many such rows there are; the bloc totals per year over the scope, every
    importer: `substitution.bloc_totals`).

    The whole table (every member, product and year: 744,282 rows at 200M flows) is computed once and
    written where the engine runs (`execution.EngineResult`, kept per flows version, level and bloc);
    the totals with the count, and the page are two small engine queries over it, so only they reach
    this process. The answer is kept in the analytics cache per call's parameters (count and totals in the
    page's schema metadata, so that it is one Arrow file)."""
    blocs = _blocs(session, flows)
    whole = {"level": level, "blocs": blocs}

    def compute() -> pa.Table:
        def build() -> ir.Table:
            return import_substitution(flows.expr(), bloc_table(blocs), product_level=level, ordered=False)

        with EngineResult(build, name=result_name("substitution-table", inputs=[flows], params=whole)) as result:
            scoped = restrict_expr(result.table(), products=products, kind=flows.product_kind,
                                   classification=flows.classification)
            totals = run(bloc_totals(scoped, counted=None if importer is None else scoped.importer == importer))
            chosen = scoped if importer is None else scoped.filter(scoped.importer == importer)
            page = finished_rows(run(ranked(chosen).limit(limit)), blocs, unit=flows.unit)
        count = sum(totals["rows"].to_pylist())
        return page.replace_schema_metadata({ROWS_TOTAL: str(count),
                                             BLOC_TOTALS: json.dumps(totals.drop_columns(["rows"]).to_pylist())})

    page = cached("substitution", inputs=[flows], compute=compute,
                  params={**whole, "importer": importer, "products": products, "limit": limit})
    return page, int(page.schema.metadata[ROWS_TOTAL]), json.loads(page.schema.metadata[BLOC_TOTALS])


def panel_exporters(flows: PanelInput) -> list[str]:
    """The exporters of a bilateral panel, sorted: counted with its rows and years (`PanelInput.facts`),
    so no query of its own."""
    return list(flows.facts().exporters)


def complementarity_pairs(session: Session, *, flows: PanelInput, countries: list[str] | None) -> pa.Table:
    """TC, TII, ES for every ordered pair of `countries`, kept per flows version and countries."""
    return cached("complementarity", inputs=[flows], params={"countries": countries},
                  compute=lambda: run(complementarity_table(flows.expr(), countries=countries)))


UPPER_BOUND = ("bloc_room, substitutable_value and suppliers are per-importer upper bounds: every importer is "
               "offered the same suppliers' whole room, so they do not add up across members; allocated_value "
               "is additive (each supplier's sales outside the bloc allocated once)")


def substitution(session: Session, *, reader: Reader, dataset: str = FLOWS_DATASET, version: int | None = None,
                 level: int | None = None, importer: str | None = None, products: ProductScope = "goods",
                 limit: int = 500) -> AnalyticsResult:
    """Import substitution (substitution.py) over a bilateral dataset, optionally for one importer.
    `level` (HS digits) applies to product codes; sectors (ICIO) are kept as they are (level echoed None).
    `products`: goods (default), services or all. Parameters state the bloc of each year, the unit,
    the bloc totals (from the allocated measure only) and, when the dataset cannot answer, why."""
    flows = _flow_panel(session, reader, dataset, version, "substitution")
    level = level if flows.product_kind == "code" else None
    page, total, totals = substitution_page(session, flows=flows, level=level, products=products, limit=limit,
                                            importer=country_code(importer) if importer else None)
    blocs = _blocs(session, flows)
    members = sorted({m for ms in blocs.values() for m in ms})
    notices = [n for n in [no_member_exporters(dataset, panel_exporters(flows), members,
                                               elsewhere=MEMBER_EXPORTER_DATASETS)] if n]
    params = {"dataset": dataset, "version": version, "level": level, "importer": importer, "unit": flows.unit,
              "product_kind": flows.product_kind, "classification": flows.classification, "products": products,
              "bloc": stated_blocs(blocs), "bloc_totals": totals, "upper_bound": UPPER_BOUND, "notices": notices}
    return AnalyticsResult(analysis="substitution", parameters=params, tables={
        "substitution": named_table(session, page, limit, classification=flows.classification, rows_total=total)})


def opportunity_table(session: Session, *, reader: Reader, dataset: str = ICIO_FLOWS_DATASET,
                      version: int | None = None, weights: Weights = Weights(), member: str | None = None,
                      bloc_year: int | None = None, products: ProductScope = "goods",
                      country_set: CountrySetName = "ranked", limit: int = 500) -> AnalyticsResult:
    """Joint-production opportunities (opportunities.py) with the weights echoed. The bloc of each year
    of the panel is its members on 31 December of that year (the data's year: the default), or those
    of `bloc_year` for every year. `products`: goods (default: HS 01-97, ICIO A-C), services or all;
    complexity is computed over all of them, the rows shown are those asked for. Parameters also give
    `bloc` (stated per year), `members`, `members_with_data` (those exporting in the dataset: only
    they get candidates), `unit`, `country_set` (density, PCI and COG are computed over the stated set:
    default the Growth Lab's ranked countries plus the rule, "all" on request; its size and the products
    dropped), and rows a `product_name` column (English, `named_table`)."""
    flows = _flow_panel(session, reader, dataset, version, "opportunities")
    blocs = blocs_for(session, years=flows.facts().years, bloc_year=bloc_year)
    exporters = panel_exporters(flows)
    chosen = country_set_of(country_set, countries=exporters, years=list(flows.facts().years))
    table = cached("opportunities", inputs=[flows],
                   params={"blocs": blocs, "weights": [weights.density, weights.pci, weights.cog], "set": country_set},
                   compute=lambda: opportunities(flows.expr(), members_by_year=blocs, weights=weights,
                                                 country_set=chosen))
    size, dropped = set_size(table)
    stated = chosen.stated(size=size, products_dropped=dropped)
    table = restrict(table, products=products, kind=flows.product_kind, classification=flows.classification)
    if member:
        table = table.filter(pc.equal(table["member"], country_code(member)))
    members = sorted({m for ms in blocs.values() for m in ms})
    notices = [n for n in [no_member_exporters(dataset, exporters, members, elsewhere=MEMBER_EXPORTER_DATASETS)] if n]
    outside = [m for m in members if m in set(exporters) and chosen.countries is not None and m not in chosen.countries]
    if outside:
        notices.append(notice("outside-country-set", f"{', '.join(outside)} are not in the country set "
                              f"{country_set!r} ({stated['rule']}), so they get no candidates; ask country_set=all"))
    params = {"dataset": dataset, "version": version, "member": member, "bloc_year": bloc_year,
              "country_set": stated, "members_outside_set": outside,
              "bloc": stated_blocs(blocs, bloc_year=bloc_year), "members": members,
              "members_with_data": [m for m in members if m in set(exporters)], "products": products,
              "unit": flows.unit, "product_kind": flows.product_kind, "classification": flows.classification,
              "w_density": weights.density, "w_pci": weights.pci, "w_cog": weights.cog, "notices": notices}
    return AnalyticsResult(analysis="opportunities", parameters=params, tables={
        "opportunities": named_table(session, table, limit, classification=flows.classification)})


def complementarity(session: Session, *, reader: Reader, dataset: str = FLOWS_DATASET, version: int | None = None,
                    countries: list[str] | Literal["all"] | None = None, limit: int = 500) -> AnalyticsResult:
    """TC, TII and ES for every ordered pair of `countries` (default: the bloc members; "all": every
    country of the dataset). ES is null where it is undefined (a country that exports nothing here)."""
    flows = _flow_panel(session, reader, dataset, version, "complementarity")
    blocs = _blocs(session, flows)
    members = sorted({m for ms in blocs.values() for m in ms})
    chosen = members if not countries else None if countries == "all" else countries
    table = complementarity_pairs(session, flows=flows, countries=chosen)
    notices = [n for n in [no_member_exporters(dataset, panel_exporters(flows), chosen or members,
                                               elsewhere=MEMBER_EXPORTER_DATASETS)] if n]
    if table.num_rows == 0:
        notices.append(no_rows("complementarity", dataset, "none of the countries asked for exports here, "
                               "and a pair needs the exporter's exports", elsewhere=MEMBER_EXPORTER_DATASETS))
    params = {"dataset": dataset, "version": version, "countries": chosen or "all", "bloc": stated_blocs(blocs),
              "unit": "index 0-100 (complementarity, similarity); ratio (intensity)", "notices": notices}
    return AnalyticsResult(analysis="complementarity", parameters=params, tables={"pairs": _table(table, limit)})


# Panel rows per engine query of the overview. DuckDB builds every year's sums of one query before it
# combines any, so its memory grows with the years a query holds: 200M rows (29 years) in one query ran out
# of memory at a 1.2 GB cap and needed the 2 GB default, 50M rows (7 years) ran within 500 MB (RESULTS.md).
OVERVIEW_ROWS_PER_QUERY = 60_000_000


def overview_table(flows: PanelInput, blocs: ir.Table, *, countries: list[str] | None) -> pa.Table:
    """The country overview of a panel read year by year (`PanelInput.year_exprs`): one engine query when
    it has at most OVERVIEW_ROWS_PER_QUERY rows; else the years' sums in batches of about that many rows,
    one query each, and the small table of one row per country and year finished in one more."""
    parts = flows.year_exprs()
    per_query = max(1, int(OVERVIEW_ROWS_PER_QUERY * len(parts) / max(1, flows.facts().rows)))
    if len(parts) <= per_query:
        return run(country_overview(parts, blocs, countries=countries))
    sums = [run(year_sums(parts[i:i + per_query], blocs)) for i in range(0, len(parts), per_query)]
    return run(overview_of_sums(table_of(pa.concat_tables(sums)), countries=countries))


def overview(session: Session, *, reader: Reader, dataset: str = FLOWS_DATASET, version: int | None = None,
             countries: list[str] | Literal["all"] | None = None, limit: int = 500) -> AnalyticsResult:
    """Trade overview per country and year (overview.py); every country unless `countries`."""
    flows = _flow_panel(session, reader, dataset, version, "overview")
    blocs = _blocs(session, flows)
    chosen = None if countries in (None, "all") else countries
    table = cached("overview", inputs=[flows], params={"blocs": blocs, "countries": chosen},
                   compute=lambda: overview_table(flows, bloc_table(blocs), countries=chosen or None))
    exporters = panel_exporters(flows)
    table, silent = unknown_exports(table, exporters)
    notices = [no_rows("exports", dataset, f"{', '.join(silent)} export nothing here: the dataset holds only the "
                       f"exports of {', '.join(exporters[:12])}{'...' if len(exporters) > 12 else ''}, so their "
                       "exports are unknown (null), not 0", elsewhere=MEMBER_EXPORTER_DATASETS)] if silent else []
    params = {"dataset": dataset, "version": version, "countries": chosen or "all", "bloc": stated_blocs(blocs),
              "unit": flows.unit, "notices": notices}
    return AnalyticsResult(analysis="overview", parameters=params, tables={"country": _table(table, limit)})


EXPORT_COLUMNS = ("exports", "balance", "world_export_share", "intra_bloc_export_share", "exports_cagr",
                  "export_hhi_partners", "export_hhi_products", "grubel_lloyd")


def unknown_exports(table: pa.Table, exporters: list[str]) -> tuple[pa.Table, list[str]]:
    """(the overview with the export figures of countries that export nothing in the dataset set to
    null: a dataset of a few exporters' flows does not say they export 0; those countries, sorted)."""
    missing = pc.invert(pc.is_in(table["country"], pa.array(exporters, pa.string())))
    for name in EXPORT_COLUMNS:
        if name in table.column_names:
            column = table[name]
            table = table.set_column(table.schema.get_field_index(name), name,
                                     pc.if_else(missing, pa.scalar(None, column.type), column))
    return table, sorted(set(table.filter(missing)["country"].to_pylist()))


def dependency_rows(session: Session, *, reader: Reader, dataset: str = ICIO_FLOWS_DATASET,
                    version: int | None = None, bloc_year: int | None = None,
                    engine: str | None = None) -> tuple[pa.Table, Bloc, str]:
    """(the full dependency table, the bloc used, the value unit) over a dataset of intermediate flows
    (exporter, exporter_sector, importer, value_usd_mn; domestic rows included), read through the gate
    (one ledger entry). The bloc is that of the data's year unless `bloc_year`. Sector names: sectors.py."""
    from scobank.analytics.io_dependency import dependency_table
    from scobank.analytics.sectors import sector_table

    panel = use_panel(session, slug=dataset, reader=reader, columns=("year", "exporter", "importer", "product", "value"),
                      analysis="dependency", version=version, domestic=True)
    used = bloc(session, bloc_year if bloc_year is not None else max(panel.facts().years))
    t = panel.expr(engine)
    flows = t.select(exporter=t.exporter, importer=t.importer, sector=t.product, value=t.value)
    table = dependency_table(flows, sector_table(session), members=list(used.members), engine=engine)
    return table, used, panel.unit


def dependency(session: Session, *, reader: Reader, dataset: str = ICIO_FLOWS_DATASET, version: int | None = None,
               bloc_year: int | None = None, member: str | None = None, products: ProductScope = "goods",
               limit: int = 500) -> AnalyticsResult:
    """Input-output dependency (io_dependency.py) over the bank's ICIO intermediate flows (`dependency_rows`),
    goods sectors (A-C) by default."""
    table, used, unit = dependency_rows(session, reader=reader, dataset=dataset, version=version,
                                        bloc_year=bloc_year)
    totals = {"allocated_value": float(pc.sum(restrict(table, products=products, kind="sector",
                                                       column="sector")["allocated_value"]).as_py() or 0.0)}
    table = restrict(table, products=products, kind="sector", column="sector")
    if member:
        table = table.filter(pc.equal(table["member"], country_code(member)))
    params = {"dataset": dataset, "version": version, "bloc_year": used.year, "bloc": [used.stated()],
              "members": list(used.members), "member": member, "unit": unit, "products": products,
              "bloc_totals": totals, "upper_bound": UPPER_BOUND}
    return AnalyticsResult(analysis="dependency", parameters=params, tables={"dependency": _table(table, limit)})


def year_complexity(session: Session, *, reader: Reader, dataset: str = EXPORTS_DATASET, version: int | None = None,
                    convention: Convention = "ecomplexity", rca_cutoff: float = 1.0,
                    year: int | None = None, country_set: CountrySetName = "ranked") -> YearComplexity:
    """Every measure of one year (the latest unless `year`) of a country-product exports dataset, as arrays:
    RCA, proximity (the product space), density, PCI, COG, over the stated `country_set`. For pages
    drawing the product space."""
    return _latest_complexity(session, reader=reader, dataset=dataset, version=version, convention=convention,
                              rca_cutoff=rca_cutoff, year=year, country_set=country_set)[0]


def conversion(session: Session, *, reader: Reader, dataset: str = FLOWS_DATASET, version: int | None = None,
               hs_to: str | None = None, currency: str | None = None, hs_from: str | None = None,
               exporter: str | None = None, importer: str | None = None, limit: int = 500) -> AnalyticsResult:
    """A bilateral trade dataset's flows with product codes in another HS revision (`hs_to`: each code's
    value split over the target codes by the concordance weights, totals kept) and/or values in a
    member's currency (`currency`, ISO 4217: value x units per USD of the row's year; every row states
    rate_per_usd, rate_year and rate_source, and `parameters.rates` lists them). The codes' revision is
    `hs_from`, else the dataset's catalog classification. Raises BadRequest when there is nothing to convert or the
    dataset has no HS codes; NotFound when no concordance or rate exists."""
    from scobank.analytics.currency import currency_expr, rates_table, revision_expr, stated_rates
    from scobank.errors import BadRequest
    from scobank.reference.hs import REVISIONS

    flows = _flow_panel(session, reader, dataset, version, "convert")  # the gate first: nothing said before it
    if not hs_to and not currency:
        raise BadRequest("say what to convert to: hs_to (an HS revision) and/or currency (ISO 4217)")
    hs_from = (hs_from or flows.classification or "").strip().upper()
    if hs_to and (flows.product_kind != "code" or hs_from not in REVISIONS):
        raise BadRequest(f"dataset {dataset!r} has no HS product codes to convert "
                         f"(classification: {flows.classification or 'none'})")
    t = flows.expr()
    for column, wanted in (("exporter", exporter), ("importer", importer)):
        if wanted:
            t = t.filter(t[column] == wanted.strip().upper())
    if hs_to:
        t = revision_expr(session, t, from_revision=hs_from, to_revision=hs_to)
    rates = []
    if currency:
        used = rates_table(session, currency=currency, years=run(t.select("year").distinct())["year"].to_pylist())
        t, rates = currency_expr(t, used), stated_rates(used)
    unit = flows.unit.replace("USD", currency.strip().upper()) if currency else flows.unit
    params = {"dataset": dataset, "version": version, "hs_from": hs_from or None, "hs_to": hs_to.upper() if hs_to else None,
              "currency": currency.strip().upper() if currency else None, "unit": unit, "rates": rates,
              "exporter": exporter, "importer": importer}
    return AnalyticsResult(analysis="convert", parameters=params, tables={"flows": engine_page(t, limit)})


def engine_page(t: ir.Table, limit: int) -> AnalyticsTable:
    """The first `limit` rows of `t` in the order of its columns (a total order, the same on every
    engine) and its row count, both computed on the engine: only the page comes back."""
    total = run(t.count().as_table())
    page = run(t.order_by(list(t.columns)).limit(limit))
    return AnalyticsTable(rows_total=int(total.column(0)[0].as_py()), rows=rows_for_json(page))
