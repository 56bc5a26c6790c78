"""A member's profile for the portal: what it exports and imports, where it stands, what it could supply
or buy inside the bloc, and whom it complements. One call, JSON tables (service.AnalyticsResult).

Each input dataset passes the gate and gets its ledger entry on every call; the analyses over the whole
dataset (complexity, substitution, complementarity, imports by country) are kept by `analytics.cache`,
and the member's rows are cut from them per call.
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.cache import cached
from scobank.analytics.complexity import YearComplexity
from scobank.analytics.execution import run, table_of
from scobank.analytics.inputs import PanelInput
from scobank.analytics.service import (
    EXPORTS_DATASET,
    PROFILE_FLOWS_DATASET,
    AnalyticsResult,
    AnalyticsTable,
    _blocs,
    _flow_panel,
    _latest_complexity,
    _table,
    classification_of,
    complementarity_pairs,
    named_table,
    substitution_page,
)
from scobank.analytics.country_sets import CountrySetName, ordinal_rank
from scobank.analytics.eci_series import ECI_DATASET, published_eci
from scobank.analytics.goods_totals import MACRO_DATASET, goods_totals
from scobank.analytics.member_products import member_product_trade
from scobank.analytics.mirror import LITTLE_REPORTED, mirror_trade
from scobank.analytics.sector_view import ICIO_TOTALS_DATASET, member_sectors
from scobank.analytics.notices import notice
from scobank.errors import AccessDenied, NotFound
from scobank.reference.lookup import country_code

FEW_EXPORTERS = 12  # name the exporters when a dataset has no more than this many


def imports_by(flows: ir.Table, *, key: str) -> ir.Table:
    """(year, importer, `key`, imports): the flows' imports per importer and product or exporter."""
    return flows.group_by(["year", "importer", key]).aggregate(imports=_.value.sum())


def _imports_by(flows: PanelInput, key: str) -> pa.Table:
    return cached(f"imports-by-{key}", inputs=[flows], params={},
                  compute=lambda: run(imports_by(table_of(flows.table()), key=key)))


def _top_imports(table: pa.Table, *, iso3: str, year: int, key: str, top: int) -> tuple[pa.Table, float]:
    """The member's `top` rows by imports in `year` with their share of its imports, and its total."""
    mine = table.filter(pc.and_(pc.and_(pc.equal(table["importer"], iso3), pc.equal(table["year"], year)),
                                pc.greater(table["imports"], 0.0)))
    total = pc.sum(mine["imports"]).as_py() or 0.0
    mine = mine.sort_by([("imports", "descending"), (key, "ascending")]).slice(0, top)
    shares = pc.divide(mine["imports"], total) if total else pa.nulls(mine.num_rows, pa.float64())
    return pa.table({key: mine[key], "imports": mine["imports"], "share": shares}), total


def member_imports(flows: PanelInput, *, iso3: str, top: int) -> tuple[dict, pa.Table, pa.Table]:
    """What `iso3` imports in the latest year of `flows`: (facts, top products, top partners). Facts: the
    year, the total, the unit (`PanelInput.unit`), what the products are ("code" or "sector": ICIO
    industries), and the dataset's exporters when they are few (the
    imports shown are then only imports from them)."""
    year = flows.facts().years[-1]
    products, total = _top_imports(_imports_by(flows, "product"), iso3=iso3, year=year, key="product", top=top)
    partners, _ = _top_imports(_imports_by(flows, "exporter"), iso3=iso3, year=year, key="exporter", top=top)
    partners = partners.rename_columns(["partner", "imports", "share"])
    exporters = cached("exporters", inputs=[flows], params={},
                       compute=lambda: sorted(pc.unique(flows.table()["exporter"]).to_pylist()))
    facts = {"imports_year": year, "imports_total": total, "imports_unit": flows.unit,
             "imports_product_kind": flows.product_kind,
             "flows_exporters": len(exporters),
             "flows_exporters_named": exporters if len(exporters) <= FEW_EXPORTERS else None}
    return facts, products, partners


def exports_unit(session: Session, dataset: str) -> str:
    """The unit of a country-product dataset's value column this call has read (`PanelInput.unit`)."""
    from scobank.analytics.inputs import unit_of_dataset

    return unit_of_dataset(session, dataset)


def _top_exports(r: YearComplexity, c: int, top: int) -> pa.Table:
    """Country row `c`'s `top` products by export value, with share, RCA and PCI."""
    order = np.argsort(-r.value[c])[:top]
    return pa.table({"product": r.products[order].astype(str), "value": r.value[c, order],
                     "share": r.value[c, order] / r.value[c].sum(), "rca": r.rca[c, order], "pci": r.pci[order]})


def eci_series(session: Session, *, reader: Reader, iso3: str, country_set: CountrySetName) -> tuple[pa.Table, dict]:
    """The member's published Growth Lab ECI series (`eci_series.published_eci`), or no rows and a notice
    saying why (the dataset is not in the bank or not readable, or has no ECI for the member)."""
    try:
        return published_eci(session, reader=reader, iso3=iso3, country_set=country_set)
    except (NotFound, AccessDenied) as exc:
        empty = pa.table({"year": pa.array([], pa.int64()), "eci": pa.array([], pa.float64()),
                          "rank": pa.array([], pa.int64()), "of": pa.array([], pa.int64())})
        return empty, {"dataset": ECI_DATASET, "notices": [notice("no-eci-series", str(exc), datasets=[ECI_DATASET])]}


def _unavailable(dataset: str, code: str, exc: Exception) -> dict:
    return {"dataset": dataset, "notices": [notice(code, str(exc), datasets=[dataset])]}


def real_goods(session: Session, *, reader: Reader, iso3: str, panel_years: list[int]) -> tuple[pa.Table, dict]:
    """The member's WDI goods exports and imports in US$ (`goods_totals`), or no rows and a notice."""
    try:
        return goods_totals(session, reader=reader, iso3=iso3, panel_years=panel_years)
    except (NotFound, AccessDenied) as exc:
        return pa.table({"year": pa.array([], pa.int64())}), _unavailable(MACRO_DATASET, "no-goods-totals", exc)


def sectors(session: Session, *, reader: Reader, iso3: str) -> tuple[pa.Table, dict]:
    """The member's ICIO industries (`sector_view.member_sectors`, goods), or no rows and a notice."""
    try:
        return member_sectors(session, reader=reader, iso3=iso3)
    except (NotFound, AccessDenied) as exc:
        return pa.table({"sector": pa.array([], pa.string())}), _unavailable(ICIO_TOTALS_DATASET, "no-sectors", exc)


def product_table(session: Session, rows: pa.Table, sources: list[dict]) -> AnalyticsTable:
    """The product view's rows, each source's products named in its own classification (English)."""
    named = [r for s in sources for r in named_table(
        session, rows.filter(pc.equal(rows["dataset"], s["dataset"])), rows.num_rows,
        classification=s["classification"]).rows]
    return AnalyticsTable(rows_total=rows.num_rows, rows=named)


def member_profile(session: Session, *, reader: Reader, iso3: str, exports_dataset: str = EXPORTS_DATASET,
                   flows_dataset: str = PROFILE_FLOWS_DATASET, top: int = 10,
                   country_set: CountrySetName = "ranked") -> AnalyticsResult:
    """Top exports with RCA, ECI and its rank "Nth of M" within the stated country set (default the Growth
    Lab's ranked countries; ecomplexity convention), the exports' unit and period; from the bilateral
    dataset: the member's top imports by product and by partner (latest year, with the unit), its
    import substitution rows, and trade complementarity with each other member (both directions); beside
    the bank's own ECI, the Growth Lab's published ECI series 2012-2024 ranked within the same stated set
    (`eci_series`: table "eci_series", facts in `eci_published`, a notice there when it cannot be read);
    for a member that reports little (`mirror.LITTLE_REPORTED`), its trade as partners report it (table
    "mirror", labelled in `parameters["mirror"]`); its real goods exports and imports in US$ from WDI (table
    "goods_totals", facts in `goods_totals`, with the mean over the SITC panel's years beside the member's
    share of the panel, `panel_share`, a relative weight); its ICIO industries (table "sectors", facts in
    `sectors`: `sector_view`); its trade by product in the newest product-level data the bank holds for it
    (table "product_trade", facts in `product_level`: each dataset with its period and unit,
    `member_products`). A dataset that cannot be read leaves a notice in its facts.
    `periods_differ` says when the exports' period is not the imports' year."""
    iso3 = country_code(iso3)
    r, stated, period = _latest_complexity(session, reader=reader, dataset=exports_dataset, version=None,
                                           convention="ecomplexity", rca_cutoff=1.0, year=None,
                                           country_set=country_set)
    where = np.flatnonzero(r.exporters == iso3)
    if not len(where):
        raise NotFound(f"{iso3} has no exports in {exports_dataset!r} ({period['label']}) among "
                       f"{stated['size']} countries of the set {stated['name']!r}")
    c = int(where[0])
    rank = ordinal_rank(r.eci, c)
    flows = _flow_panel(session, reader, flows_dataset, None, "profile")
    substitution, substitution_rows, _ = substitution_page(session, flows=flows, importer=iso3, limit=top)
    members = sorted({m for ms in _blocs(session, flows).values() for m in ms} | {iso3})
    pairs = complementarity_pairs(session, flows=flows, countries=members)
    pairs = pairs.filter(pc.or_(pc.equal(pairs["exporter"], iso3), pc.equal(pairs["importer"], iso3)))
    imports, import_products, import_partners = member_imports(flows, iso3=iso3, top=top)
    params = {"member": iso3, "exports_dataset": exports_dataset, "flows_dataset": flows_dataset,
              "year": r.year, "eci": float(r.eci[c]), "eci_rank": rank, "countries_ranked": len(r.exporters),
              "country_set": stated, "exports_period": period, "exports_unit": exports_unit(session, exports_dataset),
              "diversity": int(r.diversity[c]), "coi": float(r.coi[c]), **imports}
    series, params["eci_published"] = eci_series(session, reader=reader, iso3=iso3, country_set=country_set)
    goods, params["goods_totals"] = real_goods(session, reader=reader, iso3=iso3, panel_years=period["years"])
    params["panel_share"] = float(r.value[c].sum() / r.value.sum())  # of the set's total: relative weights
    sector_rows, params["sectors"] = sectors(session, reader=reader, iso3=iso3)
    product_rows, params["product_level"] = member_product_trade(session, reader=reader, iso3=iso3, top=top)
    mirror = mirror_trade(session, reader=reader, iso3=iso3, limit=200) if iso3 in LITTLE_REPORTED else None
    params["mirror"] = mirror.parameters if mirror else None
    params["periods_differ"] = params["imports_year"] not in period["years"] or period["kind"] != "year"
    exports_classification = classification_of(session, exports_dataset)
    params |= {"exports_classification": exports_classification, "flows_classification": flows.classification}
    return AnalyticsResult(analysis="member-profile", parameters=params, tables={  # products named in English
        "top_exports": named_table(session, _top_exports(r, c, top), top, classification=exports_classification),
        "top_imports": named_table(session, import_products, top, classification=flows.classification),
        "import_partners": _table(import_partners, top),
        "substitution": named_table(session, substitution, top, classification=flows.classification,
                                    rows_total=substitution_rows),
        "complementarity": _table(pairs, len(members) * 2),
        "eci_series": _table(series, series.num_rows),
        "goods_totals": _table(goods, goods.num_rows),
        "sectors": named_table(session, sector_rows, 60, classification="ICIO-ISIC4", column="sector"),
        "product_trade": product_table(session, product_rows, params["product_level"]["sources"]),
        **({"mirror": mirror.tables["mirror"]} if mirror else {})})
