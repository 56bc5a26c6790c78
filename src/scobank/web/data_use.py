"""Data use: asking for access to a dataset, and for owners and stewards, who used their data (the
ledger), the requests to decide and the agreements in force. Every rule (who may decide, what an
agreement allows) is stewardship's (`scobank.stewardship.requests`, `.ledger_views`)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from scobank.stewardship import letters as access_letters
from scobank.stewardship import notices as access_notices
from scobank.stewardship import requests as access_requests
from scobank.stewardship.ledger_views import owner_entries
from scobank.access.policies import PURPOSES
from scobank.deps import DbSession, RowId
from scobank.catalog import datasets
from scobank.errors import Unauthenticated
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter()
LEDGER_ROWS = 50


def _need_login(reader, what: str) -> None:
    if reader.user_id is None:
        raise Unauthenticated(f"log in to {what}")


@router.get("/datasets/{slug}/request-access", response_class=HTMLResponse)
def request_page(request: Request, slug: str, session: DbSession, reader: PageReader) -> HTMLResponse:
    _need_login(reader, "request access")
    dataset = datasets.get_dataset(session, slug=slug, reader=reader)
    return render(request, "data_use/request.html", section="catalog", dataset=dataset, purposes=PURPOSES,
                  until=date.today() + timedelta(days=365), problems=[])


@router.post("/datasets/{slug}/request-access")
def file_request(slug: str, session: DbSession, reader: FormReader, purpose: str = Form(...),
                 valid_until: date = Form(...), export: bool = Form(False), message: str = Form(""),
                 for_organisation: bool = Form(False)) -> RedirectResponse:
    terms = access_requests.Terms(purpose=purpose, valid_until=valid_until, export=export)
    access_requests.create_request(session, reader=reader, slug=slug, terms=terms, message=message or None,
                                   for_organisation=for_organisation)
    return RedirectResponse("/data-use#my-requests", status_code=303)


@router.get("/data-use/ask", response_class=HTMLResponse)
def askable_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    """The datasets listed so that the reader may ask for them (title, publisher, description)."""
    _need_login(reader, "see the datasets you may ask for")
    return render(request, "data_use/ask.html", section="catalog",
                  listed=datasets.askable_datasets(session, reader=reader), json_url="/api/v1/datasets")


@router.post("/data-use/notices/{notice_id}/read")
def read_notice(notice_id: RowId, session: DbSession, reader: FormReader) -> RedirectResponse:
    access_notices.mark_read(session, reader=reader, notice_id=notice_id)
    return RedirectResponse("/data-use#notices", status_code=303)


@router.get("/data-use", response_class=HTMLResponse)
def data_use_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    """Requests (to decide, and the reader's own), agreements, and the ledger of the reader's data."""
    _need_login(reader, "see the use of your data")
    found = access_requests.list_requests(session, reader=reader)
    return render(request, "data_use/overview.html", section="data-use",
                  notices=access_notices.list_notices(session, reader=reader),
                  to_decide=[r for r in found if r["user"] != reader.email],
                  my_requests=[r for r in found if r["user"] == reader.email],
                  agreements=access_requests.list_agreements(session, reader=reader),
                  ledger=owner_entries(session, reader=reader, limit=LEDGER_ROWS),
                  json_url="/api/v1/ledger")


@router.post("/data-use/requests/{request_id}/{decision}")
def decide(request_id: RowId, decision: str, session: DbSession, reader: FormReader,
           note: str = Form("")) -> RedirectResponse:
    """Approve as asked or refuse (the access area checks the decision and who may make it)."""
    access_requests.decide(session, reader=reader, request_id=request_id, decision=decision, note=note or None)
    return RedirectResponse("/data-use#to-decide", status_code=303)


@router.post("/data-use/agreements/{agreement_id}/revoke")
def revoke(agreement_id: RowId, session: DbSession, reader: FormReader) -> RedirectResponse:
    access_requests.revoke_agreement(session, reader=reader, agreement_id=agreement_id)
    return RedirectResponse("/data-use#agreements", status_code=303)


@router.get("/data-use/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str = Query("", max_length=64)) -> HTMLResponse:
    """The link in every access-request e-mail: a page with one button (a GET changes nothing, as mail
    scanners open links); the button, or a mail client's one-click POST (RFC 8058), unsubscribes."""
    return render(request, "data_use/unsubscribe.html", section="data-use", token=token, done=False)


@router.post("/data-use/unsubscribe", response_class=HTMLResponse)
def unsubscribe(request: Request, session: DbSession, token: str = Query("", max_length=64)) -> HTMLResponse:
    access_letters.unsubscribe(session, token=token)
    return render(request, "data_use/unsubscribe.html", section="data-use", token=token, done=True)
