"""The home page: the bloc at a glance (parties on a map, trade among the members over time, the
newest datasets and listings). Every figure comes from a service: reference parties, a catalog query
on the trade panel (through the gate), catalog search, exchange listings."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scobank.access.reader import Reader
from scobank.reference.directory import parties_on
from scobank.reference.schemas import PartiesPublic
from scobank.deps import DbSession
from scobank.catalog import query
from scobank.catalog.search import search_datasets
from scobank.config import get_settings
from scobank.errors import AccessDenied, BadRequest, NotFound
from scobank.exchange.listings import search_listings
from scobank.lake.query import QuerySpec
from scobank.web.i18n import pick, request_language
from scobank.web.render import render, translate
from scobank.web.visitor import PageReader

router = APIRouter()

# The panel of manufacturing trade on the home page (the demo's WTO/UNCTAD AGTPA, USD million): a setting.
AGTPA_SLUG = get_settings().home_trade_dataset
STATUS_COLOURS = {"member": "#0b4f8a", "observer": "#4f9bd9", "partner": "#a9cbe8"}


def party_map(request: Request, parties: PartiesPublic, lang: str) -> dict:
    """What charts.js needs for the choropleth: status by ISO3, names in the page's language, and a
    link to each member's profile."""
    labels = {"member": translate(request, "Member"), "observer": translate(request, "Observer"),
              "partner": translate(request, "Dialogue partner")}
    return {
        "values": {p.iso3: p.status for p in parties.parties},
        "labels": {p.iso3: pick(p.name, lang)[0] or p.iso3 for p in parties.parties},
        "links": {p.iso3: f"/members/{p.iso3}" for p in parties.parties if p.status == "member"},
        "categories": [{"key": k, "label": labels[k], "color": c} for k, c in STATUS_COLOURS.items()],
    }


def member_trade(session, *, reader: Reader, members: list[str]) -> dict | None:
    """Each member's exports to the other members by year, from the AGTPA panel (manufacturing, USD
    million; domestic flows left out). None when the panel is not in the bank or not readable."""
    codes = ",".join(members)
    spec = QuerySpec.parse(filters=[f"exporter:in:{codes}", f"importer:in:{codes}"],
                           group_by=["year", "exporter", "importer"], aggregates=["trade:sum"], limit=10000)
    try:
        result = query.query_dataset(session, slug=AGTPA_SLUG, reader=reader, spec=spec)
    except (NotFound, AccessDenied, BadRequest):
        return None
    by_exporter: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for row in result.rows:
        if row["exporter"] != row["importer"] and row["trade_sum"] is not None:
            by_exporter[row["exporter"]][int(row["year"])] += float(row["trade_sum"])
    if not by_exporter:
        return None
    years = sorted({y for series in by_exporter.values() for y in series})
    series = [{"name": iso, "points": [[y, round(v[y] * 1e6)] for y in years if y in v]}
              for iso, v in sorted(by_exporter.items())]
    return {"years": years, "present": sorted(by_exporter), "series": series,
            "rows": [(y, {iso: by_exporter[iso].get(y) for iso in sorted(by_exporter)}) for y in years]}


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    lang = request_language(request)
    parties = parties_on(session)
    by_status = {s: [p for p in parties.parties if p.status == s] for s in STATUS_COLOURS}
    members = sorted(p.iso3 for p in by_status["member"])
    return render(request, "home.html", section="home", parties=parties, by_status=by_status,
                  party_map=party_map(request, parties, lang),
                  trade=member_trade(session, reader=reader, members=members), trade_slug=AGTPA_SLUG,
                  newest=search_datasets(session, reader=reader, limit=6).items,
                  listings=search_listings(session, reader=reader, limit=6).items,
                  json_url="/api/v1/reference/parties")
