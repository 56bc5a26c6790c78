"""The home page: the bloc at a glance (parties on a map, newest datasets and listings)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scobank.api import reference as reference_api
from scobank.api.deps import DbSession
from scobank.web.i18n import pick, request_language
from scobank.web.render import render, translate
from scobank.web.visitor import PageReader

router = APIRouter()

STATUS_COLOURS = {"member": "#0b4f8a", "observer": "#4f9bd9", "partner": "#a9cbe8"}


def party_map(request: Request, parties: reference_api.PartiesPublic, lang: str) -> dict:
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


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    lang = request_language(request)
    parties = reference_api.list_parties(session)
    by_status = {s: [p for p in parties.parties if p.status == s] for s in STATUS_COLOURS}
    return render(request, "home.html", section="home", parties=parties, by_status=by_status,
                  party_map=party_map(request, parties, lang), json_url="/api/v1/reference/parties")
