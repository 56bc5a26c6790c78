"""Analytics pages: a member's profile (exports with RCA, complexity position, import substitution,
complementarity with each other member), the import-substitution explorer, the joint-production
opportunities and the member's product space. One call each to the
analytics services (`scobank.analytics.profile`, `.service`), the same the API's /analytics routes make;
inputs are datasets read through the gate with purpose "statistics"."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics import profile, service
from scobank.analytics.inputs import UNIT_SCALE
from scobank.analytics.country_sets import CountrySetName
from scobank.analytics.forecast import FORECAST_DATASET, MACRO_INDICATORS, country_forecast
from scobank.analytics.goods import ProductScope
from scobank.analytics.opportunities import Weights
from scobank.deps import DbSession
from scobank.errors import AnalyticsInputError
from scobank.reference.lookup import country_code
from scobank.reference.products import labelled, product_names
from scobank.web.country_names import country_label
from scobank.web.i18n import request_language
from scobank.web.product_space import member_network
from scobank.web.render import render, translate
from scobank.web.visitor import PageReader

router = APIRouter()
TREEMAP_CELLS = 40


def _statistics(reader: Reader) -> Reader:
    """The reader stating the purpose analytics read their inputs for (the gate checks it)."""
    from dataclasses import replace

    return replace(reader, purpose=reader.purpose or "statistics")


def with_labels(request: Request, session: Session, rows: list[dict], *, classification: str | None,
                column: str = "product", into: str = "label") -> list[dict]:
    """Copies of `rows` with a `label`: "code — name", the name in the page's language from the reference
    store (marked "[en] ..." where it has only English, "[归纳]" where derived); the code alone unnamed."""
    names = product_names(session, classification=classification, codes=[r[column] for r in rows],
                          lang=request_language(request))
    return [{**r, into: labelled(r[column], names.get(str(r[column])) or _marked(r, request))} for r in rows]


def _marked(row: dict, request: Request) -> str | None:
    """A row's own English name (the Atlas' short name of the product space), marked on a page in another
    language, for a product the reference store does not name."""
    name = row.get("product_name") or row.get("name")
    return name if not name or request_language(request) == "en" else f"[en] {name}"


def treemap(rows: list[dict], *, value: str, label: str, group: str | None = None, scale: float = 1.0) -> dict:
    """charts.js treemap data: the largest `TREEMAP_CELLS` rows with a positive `value`, times `scale`
    (a dataset's unit to the US dollars the pages show, as in their tables)."""
    cells = sorted((r for r in rows if (r.get(value) or 0) > 0), key=lambda r: -r[value])[:TREEMAP_CELLS]
    return {"items": [{"label": str(r[label]), "value": r[value] * scale, "group": r.get(group) if group else None}
                      for r in cells]}


def eci_lines(rows: list[dict]) -> dict:
    """charts.js line data: the published ECI by year (one series)."""
    return {"series": [{"name": "ECI", "points": [[r["year"], r["eci"]] for r in rows]}]}


def goods_lines(request: Request, rows: list[dict]) -> dict:
    """charts.js line data: WDI goods exports and imports by year (US dollars)."""
    names = {"exports": translate(request, "Exports"), "imports": translate(request, "Imports")}
    return {"series": [{"name": names[key], "points": [[r["year"], r[key]] for r in rows if r.get(key) is not None]}
                       for key in ("exports", "imports")]}


@router.get("/members/{iso3}/profile", response_class=HTMLResponse)
def profile_page(request: Request, iso3: str, session: DbSession, reader: PageReader,
                 exports: str = service.EXPORTS_DATASET, flows: str = service.PROFILE_FLOWS_DATASET) -> HTMLResponse:
    result = profile.member_profile(session, reader=_statistics(reader), iso3=iso3, exports_dataset=exports,
                                    flows_dataset=flows, top=12)

    p, lang = result.parameters, request_language(request)
    exported = with_labels(request, session, result.tables["top_exports"].rows, classification=p["exports_classification"])
    imported = with_labels(request, session, result.tables["top_imports"].rows, classification=p["flows_classification"])

    sector_rows = with_labels(request, session, result.tables["sectors"].rows, classification="ICIO-ISIC4",
                              column="sector")
    product_rows = [r for s in p["product_level"]["sources"] for r in with_labels(
        request, session, [x for x in result.tables["product_trade"].rows if x["dataset"] == s["dataset"]],
        classification=s["classification"])]

    def bars(rows: list[dict], label: str, value: str) -> dict:
        return {"items": [{"label": r[label], "value": r[value]} for r in rows]}

    return render(request, "analytics/profile.html", section="members", result=result, p=p,
                  exported=exported, imported=imported, sector_rows=sector_rows, product_rows=product_rows,
                  goods_chart=goods_lines(request, result.tables["goods_totals"].rows),
                  exports_chart=bars(exported, "label", "value"), eci_chart=eci_lines(result.tables["eci_series"].rows), imports_chart=bars(imported, "label", "imports"),
                  partners_chart=bars([{**r, "name": country_label(r["partner"], lang)} for r in
                                       result.tables["import_partners"].rows], "name", "imports"),
                  flows_choices=dict.fromkeys((*service.FLOWS_CHOICES, flows)),
                  json_url=f"/api/v1/analytics/members/{iso3.upper()}/profile?exports_dataset={exports}"
                           f"&flows_dataset={flows}&top=12")


@router.get("/opportunities/substitution", response_class=HTMLResponse)
def substitution_page(request: Request, session: DbSession, reader: PageReader, member: str = "KAZ",
                      level: int = Query(4), dataset: str = service.PAGE_FLOWS_DATASET,
                      products: ProductScope = "goods") -> HTMLResponse:
    """Products a member imports from outside the bloc, the allocated substitution and who supplies it,
    beside the per-importer upper bound; bloc totals from the allocated measure only."""
    level = level if level in (2, 4, 6) else 4
    member = country_code(member)
    result = service.substitution(session, reader=_statistics(reader), dataset=dataset, level=level,
                                  importer=member, products=products, limit=500)
    rows = sorted(result.tables["substitution"].rows,  # what could be replaced first, then the largest imports
                  key=lambda r: (-(r["allocated_value"] or 0), -(r["extra_bloc_imports"] or 0)))
    rows = with_labels(request, session, rows, classification=result.parameters["classification"])
    return render(request, "analytics/substitution.html", section="members", result=result, rows=rows,
                  member=member, level=level, dataset=dataset, p=result.parameters,
                  datasets=dict.fromkeys((*service.FLOWS_CHOICES, dataset)),
                  treemap_data=treemap(rows, value="extra_bloc_imports", label="label",
                                       scale=UNIT_SCALE.get(result.parameters["unit"], 1.0)),
                  json_url=f"/api/v1/analytics/substitution?dataset={dataset}&importer={member}&products={products}")


@router.get("/opportunities/joint", response_class=HTMLResponse)
def joint_page(request: Request, session: DbSession, reader: PageReader, member: str = "KAZ",
               dataset: str = service.ICIO_FLOWS_DATASET, w_density: float = 0.60, w_pci: float = 0.15,
               w_cog: float = 0.25, bloc_year: int | None = None, products: ProductScope = "goods",
               country_set: CountrySetName = "ranked") -> HTMLResponse:
    """Products (or, on the ICIO flows, industries) a member does not yet export competitively, ranked by
    feasibility (weights shown), with what the bloc buys of each from outside (attractiveness). The bloc
    is the members of `bloc_year`, by default of the data's year; goods by default (`products`)."""
    weights, member = Weights(w_density, w_pci, w_cog), country_code(member)
    query = (f"dataset={dataset}&member={member}&w_density={w_density}&w_pci={w_pci}&w_cog={w_cog}"
             f"&products={products}&country_set={country_set}" + (f"&bloc_year={bloc_year}" if bloc_year else ""))
    page = {"section": "members", "member": member, "dataset": dataset, "weights": weights, "bloc_year": bloc_year,
            "products": products, "country_set": country_set,
            "datasets": dict.fromkeys((*service.FLOWS_CHOICES, dataset)),
            "json_url": f"/api/v1/analytics/opportunities?{query}"}
    try:
        result = service.opportunity_table(session, reader=_statistics(reader), dataset=dataset, member=member,
                                           weights=weights, bloc_year=bloc_year, products=products,
                                           country_set=country_set, limit=300)
    except AnalyticsInputError as exc:  # the dataset cannot support the analysis: say why, keep the filters
        return render(request, "analytics/joint.html", status=exc.status, error=exc, rows=[], **page)
    rows = with_labels(request, session, result.tables["opportunities"].rows,  # ranked by feasibility
                       classification=result.parameters["classification"])
    scale = UNIT_SCALE.get(result.parameters["unit"], 1.0)  # the chart and table show USD
    return render(request, "analytics/joint.html", result=result, p=result.parameters, rows=rows, scale=scale,
                  treemap_data=treemap(rows, value="attractiveness", label="label", scale=scale), **page)


@router.get("/members/{iso3}/product-space", response_class=HTMLResponse)
def product_space_page(request: Request, iso3: str, session: DbSession, reader: PageReader,
                       dataset: str = service.EXPORTS_DATASET, nodes: int = Query(200, ge=20, le=400)) -> HTMLResponse:
    """The member's product space: its strengths (RCA >= 1) highlighted among the products nearest to them."""
    r = service.year_complexity(session, reader=_statistics(reader), dataset=dataset)
    network = member_network(r, iso3=iso3.upper(), nodes=nodes, session=session, reader=reader)
    classification = service.classification_of(session, dataset)
    rows = sorted(network["rows"], key=lambda x: (not x["strong"], -x["exports"], -x["density"]))
    # the table and the chart's tooltips name products from the reference store in the page's language
    # (else the Atlas' short English name, marked)
    rows = with_labels(request, session, rows, classification=classification)
    rows = with_labels(request, session, [{**r, "name": None} for r in rows], classification=classification,
                       column="neighbour", into="neighbour_label")
    nodes = with_labels(request, session, network["nodes"], classification=classification, column="id", into="name")
    chart_data = {"nodes": [{**n, "name": n["name"].partition(" — ")[2] or n["name"]} for n in nodes],
                  "edges": network["edges"]}
    return render(request, "analytics/product_space.html", section="members", member=iso3.upper(),
                  dataset=dataset, network=network, rows=rows, chart_data=chart_data)


@router.get("/members/{iso3}/forecast", response_class=HTMLResponse)
def forecast_page(request: Request, iso3: str, session: DbSession, reader: PageReader,
                  indicator: str = "exports_goods_bop", horizon: int = Query(5, ge=1, le=20),
                  dataset: str = FORECAST_DATASET) -> HTMLResponse:
    """A member's annual macro series forecast by every model, each backtested against the naive forecast;
    where no fitted model beats it (Kazakhstan's goods exports), the page says so and shows the naive
    forecast with its interval (`forecast.country_forecast`, the API's /analytics/forecast)."""
    iso3 = country_code(iso3)
    page = {"section": "members", "member": iso3, "indicator": indicator, "horizon": horizon, "dataset": dataset,
            "indicators": MACRO_INDICATORS,
            "json_url": f"/api/v1/analytics/forecast?country={iso3}&indicator={indicator}&horizon={horizon}"
                        f"&dataset={dataset}"}
    try:
        result = country_forecast(session, reader=_statistics(reader), country=iso3, indicator=indicator,
                                  horizon=horizon, dataset=dataset)
    except AnalyticsInputError as exc:  # too short or broken a series: say why, keep the form
        return render(request, "analytics/forecast.html", status=exc.status, error=exc, **page)
    shown = result.model(result.best_model)
    history = [[y, v] for y, v in zip(result.years, result.values, strict=True)]
    chart_data = {"series": [
        {"name": "history", "points": history},
        {"name": shown.model, "points": [history[-1]] + [[p.year, p.mean] for p in shown.points]},
        *({"name": f"{shown.model} {lv}%", "points": [[p.year, p.intervals[lv][k]] for p in shown.points]}
          for lv in result.levels[:1] for k in (0, 1))]}
    return render(request, "analytics/forecast.html", result=result, shown=shown, chart_data=chart_data, **page)
