"""Cooperation exchange pages: search listings, an (anonymous) listing with its explained matches,
and the forms to express, accept or withdraw interest. Services: `scobank.exchange` (the owner,
visibility and contact rules are theirs)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from scobank.deps import DbSession, RowId
from scobank.exchange import interest, listings, mail, profiles
from scobank.exchange.kinds import KINDS, SIZE_BANDS
from scobank.exchange.matching.scorer import Filters
from scobank.exchange.matching.service import find_matches
from scobank.exchange.matching.weights import DEFAULT_WEIGHTS
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter(prefix="/exchange")


@router.get("", response_class=HTMLResponse)
def exchange_page(request: Request, session: DbSession, reader: PageReader, kind: str | None = None,
                  side: str | None = None, hs: str | None = None, party: str | None = None,
                  size_band: str | None = None, offset: int = Query(0, ge=0)) -> HTMLResponse:
    """Search the published listings."""
    clean = {k: v or None for k, v in dict(kind=kind, side=side, hs=hs, party=party, size_band=size_band).items()}
    page = listings.search_listings(session, reader=reader, limit=25, offset=offset, **clean)
    return render(request, "exchange/search.html", section="exchange", page=page, filters=clean, kinds=KINDS,
                  size_bands=SIZE_BANDS, offset=offset,
                  json_url="/api/v1/exchange/listings?" + request.url.query)


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
def listing_page(request: Request, listing_id: RowId, session: DbSession, reader: PageReader) -> HTMLResponse:
    """One listing as anyone sees it (country, sectors, size band; no name). Its owner also sees the
    matches with each factor's part in the score; another user can express interest."""
    listing = listings.public(session, listings.visible_listing(session, reader=reader, listing_id=listing_id),
                              reader=reader)
    report = None
    if listing.mine:
        report = find_matches(session, reader=reader, listing_id=listing_id, item=None, weights={},
                              filters=Filters(), limit=10, explain=10)
    mine = profiles.my_enterprises(session, reader=reader) if reader.user_id is not None else []
    return render(request, "exchange/listing.html", section="exchange", listing=listing, report=report,
                  my_enterprises=[profiles.private(e) for e in mine], default_weights=DEFAULT_WEIGHTS,
                  json_url=f"/api/v1/exchange/listings/{listing_id}")


@router.post("/listings/{listing_id}/interest")
def express_interest(listing_id: RowId, session: DbSession, reader: FormReader,
                     from_enterprise_id: int = Form(...), message: str = Form(""),
                     source_listing_id: int | None = Form(None)) -> RedirectResponse:
    interest.express_interest(session, reader=reader, listing_id=listing_id, from_enterprise_id=from_enterprise_id,
                              message=message or None, source_listing_id=source_listing_id)
    return RedirectResponse("/exchange/mine#interests", status_code=303)


@router.post("/interests/{interest_id}/accept")
def accept_interest(interest_id: RowId, session: DbSession, reader: FormReader) -> RedirectResponse:
    interest.accept_interest(session, reader=reader, interest_id=interest_id)
    return RedirectResponse("/exchange/mine#interests", status_code=303)


@router.post("/interests/{interest_id}/withdraw")
def withdraw_interest(interest_id: RowId, session: DbSession, reader: FormReader) -> RedirectResponse:
    interest.withdraw_interest(session, reader=reader, interest_id=interest_id)
    return RedirectResponse("/exchange/mine#interests", status_code=303)


@router.get("/interests/{interest_id}/contacts", response_class=HTMLResponse)
def contacts_page(request: Request, interest_id: RowId, session: DbSession, reader: PageReader) -> HTMLResponse:
    """The counterpart's name and contacts: the exchange shows them only once both sides accepted."""
    contacts = interest.reveal_contacts(session, reader=reader, interest_id=interest_id)
    return render(request, "exchange/contacts.html", section="exchange", contacts=contacts,
                  json_url=f"/api/v1/exchange/interests/{interest_id}/contacts")


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str = Query("", max_length=64)) -> HTMLResponse:
    """The link in every exchange e-mail: a page with one button (a GET changes nothing, as mail scanners
    open links); the button, or a mail client's one-click POST (RFC 8058), unsubscribes."""
    return render(request, "exchange/unsubscribe.html", section="exchange", token=token, done=False)


@router.post("/unsubscribe", response_class=HTMLResponse)
def unsubscribe(request: Request, session: DbSession, token: str = Query("", max_length=64)) -> HTMLResponse:
    mail.unsubscribe(session, token=token)
    return render(request, "exchange/unsubscribe.html", section="exchange", token=token, done=True)
