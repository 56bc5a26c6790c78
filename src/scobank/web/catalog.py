"""Catalog pages: the dataset list and search, a dataset (metadata in every language, versions,
preview, a chart, downloads, the policy, "request access"), and the diff of two versions.

Every figure comes from the catalog's services (`scobank.catalog`), which ask the access gate; a page
shows what the gate decided (e.g. "request access" when a query is refused), it never decides."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from scobank.stewardship import policies as stewardship
from scobank.stewardship.signatures import dataset_signatures
from scobank.deps import DbSession
from scobank.catalog import datasets, diff, query, versions
from scobank.catalog.schemas import QueryResult, VersionPublic
from scobank.errors import AccessDenied, BadRequest, NotFound
from scobank.catalog.export import FORMATS
from scobank.catalog.sdmx import sdmx_links
from scobank.lake.query import QuerySpec
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()

PREVIEW_ROWS = 20
YEAR_NAMES = ("year", "t", "period", "time")
VALUE_NAMES = ("value_usd", "value", "v", "trade", "trade_value", "amount", "quantity", "q")
PARTNER_NAMES = ("importer", "partner", "j", "country", "iso3")


@dataclass(frozen=True)
class ChartPlan:
    """What the dataset page draws: a sum of `value` by `by` (a line over years, or the top bars)."""

    kind: str  # "line" | "bar"
    by: str
    value: str


def chart_plans(table_schema: dict, *, one_year: bool = False) -> list[ChartPlan]:
    """Charts that suit the version's columns, best first: the total of its main measure by year (when
    it has a year column and covers more than `one_year`), then by partner or first text column (top 12)."""
    fields = table_schema.get("fields", []) if table_schema else []
    numeric = [f["name"] for f in fields if f.get("type") in ("integer", "number")]
    by_name = {f["name"].lower(): f["name"] for f in fields}
    year = next((by_name[n] for n in YEAR_NAMES if n in by_name), None)
    measures = [by_name[n] for n in VALUE_NAMES if n in by_name and by_name[n] in numeric]
    measures += [n for n in numeric if n != year and n not in measures]
    if not measures:
        return []
    texts = [by_name[n] for n in PARTNER_NAMES if n in by_name]
    texts += [f["name"] for f in fields if f.get("type") == "string" and f["name"] not in texts]
    plans = [ChartPlan("line", year, measures[0])] if year is not None and not one_year else []
    return plans + [ChartPlan("bar", texts[0], measures[0])] if texts else plans


def _chart(session, *, slug: str, reader, plans: list[ChartPlan], version: int | None) -> dict | None:
    """The first plan that gives a chart worth drawing (a line needs two years or more)."""
    for plan in plans:
        chart = _chart_of(session, slug=slug, reader=reader, plan=plan, version=version)
        if chart is not None and len(chart["rows"]) >= 2:
            return chart
    return None


def _chart_of(session, *, slug: str, reader, plan: ChartPlan, version: int | None) -> dict | None:
    # A line is ordered by its group key already (the query's tiebreak); naming it again in `sort`
    # makes the lake's query fail with a duplicate column.
    sort = [] if plan.kind == "line" else [f"-{plan.value}_sum"]
    spec = QuerySpec.parse(group_by=[plan.by], aggregates=[f"{plan.value}:sum"], sort=sort,
                           limit=200 if plan.kind == "line" else 12)
    try:
        result = query.query_dataset(session, slug=slug, reader=reader, spec=spec, version=version)
    except (AccessDenied, BadRequest):
        return None
    key = f"{plan.value}_sum"
    rows = [r for r in result.rows if r.get(plan.by) is not None and r.get(key) is not None]
    if plan.kind == "line":
        return {"kind": "line", "by": plan.by, "value": plan.value, "rows": rows,
                "data": {"series": [{"name": plan.value, "points": [[r[plan.by], r[key]] for r in rows]}]}}
    return {"kind": "bar", "by": plan.by, "value": plan.value, "rows": rows,
            "data": {"items": [{"label": str(r[plan.by]), "value": r[key]} for r in rows]}}


def _one_year(dataset) -> bool:
    """Whether the metadata says the data covers a single year (then a line by year is pointless)."""
    return dataset.temporal_start is not None and dataset.temporal_start == dataset.temporal_end


def _preview(session, *, slug: str, reader, version: int | None) -> tuple[QueryResult | None, str | None]:
    """The first rows, or why the reader cannot see them (the gate's message)."""
    try:
        return query.query_dataset(session, slug=slug, reader=reader,
                                   spec=QuerySpec(limit=PREVIEW_ROWS), version=version), None
    except AccessDenied as exc:
        return None, exc.message


def _signature(session, *, slug: str, reader, version: int) -> dict | None:
    """The publishing party's signature of the version (None for a version signed before signing began)."""
    try:
        found = dataset_signatures(session, reader=reader, slug=slug, number=version)
    except NotFound:
        return None
    return found["versions"][0] if found["versions"] else None


@router.get("/datasets/{slug}", response_class=HTMLResponse)
def dataset_page(request: Request, slug: str, session: DbSession, reader: PageReader,
                 version: int | None = Query(None)) -> HTMLResponse:
    dataset = datasets.get_dataset(session, slug=slug, reader=reader)
    if dataset.listed_only:  # listed so that the reader may ask: its listing, no data
        return render(request, "catalog/listed.html", section="catalog", dataset=dataset,
                      json_url=f"/api/v1/datasets/{slug}")
    history = versions.list_versions(session, slug=slug, reader=reader)
    wanted = version or dataset.latest_version  # by default the newest version not withdrawn
    shown: VersionPublic | None = next((v for v in history if v.number == wanted), None) or \
        (max(history, key=lambda v: v.number) if history else None)
    preview, denied = (None, None)
    chart = None
    if shown is not None:
        preview, denied = _preview(session, slug=slug, reader=reader, version=shown.number)
        if denied is None:
            chart = _chart(session, slug=slug, reader=reader, plans=chart_plans(shown.table_schema, one_year=_one_year(dataset)),
                           version=shown.number)
    policy = stewardship.policy_view(session, reader=reader, slug=slug)
    signature = _signature(session, slug=slug, reader=reader, version=shown.number) if shown else None
    return render(request, "catalog/dataset.html", section="catalog", dataset=dataset, versions=history,
                  shown=shown, preview=preview, denied=denied, chart=chart, formats=list(FORMATS), policy=policy,
                  signature=signature, sdmx=sdmx_links(slug, shown) if shown else None,
                  json_url=f"/api/v1/datasets/{slug}")


@router.get("/datasets/{slug}/diff", response_class=HTMLResponse)
def diff_page(request: Request, slug: str, session: DbSession, reader: PageReader,
              from_: int = Query(..., alias="from"), to: int = Query(...)) -> HTMLResponse:
    dataset = datasets.get_dataset(session, slug=slug, reader=reader)
    result = diff.diff_versions(session, slug=slug, reader=reader, from_version=from_, to_version=to, sample=20)
    return render(request, "catalog/diff.html", section="catalog", dataset=dataset, diff=result,
                  json_url=f"/api/v1/datasets/{slug}/diff?from={from_}&to={to}")
