"""Member pages: the SCO parties, and one member's page (status history, the data its offices publish,
its enterprises' listings). Services: reference parties, catalog search, exchange listings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scobank.reference.directory import parties_on
from scobank.deps import DbSession
from scobank.catalog.search import search_datasets
from scobank.errors import NotFound
from scobank.exchange.listings import search_listings
from scobank.reference.parties import history
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter(prefix="/members")


@router.get("", response_class=HTMLResponse)
def members_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    parties = parties_on(session)
    return render(request, "members/list.html", section="members", parties=parties,
                  json_url="/api/v1/reference/parties")


@router.get("/{iso3}", response_class=HTMLResponse)
def member_page(request: Request, iso3: str, session: DbSession, reader: PageReader) -> HTMLResponse:
    iso3 = iso3.upper()
    parties = parties_on(session)
    party = next((p for p in parties.parties if p.iso3 == iso3), None)
    if party is None:
        raise NotFound(f"{iso3} is not a party of the SCO today")
    return render(request, "members/member.html", section="members", party=party,
                  periods=history(session, iso3),
                  datasets=search_datasets(session, reader=reader, party=iso3, limit=20),
                  listings=search_listings(session, reader=reader, party=iso3, limit=8),
                  json_url=f"/api/v1/search?party={iso3}")
