"""The search page behind the header's and the home page's search box: the search service's groups
(products, datasets, listings, enterprises, members), each result with its readable match. A query
that is an HS code goes straight to the product's page."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scobank.deps import DbSession
from scobank.search.service import search
from scobank.web.i18n import request_language
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, session: DbSession, reader: PageReader,
                q: str = Query("", max_length=20000)) -> Response:
    answer = search(session, reader=reader, q=q, lang=request_language(request))
    if answer.goto:
        return RedirectResponse(answer.goto, status_code=303)
    return render(request, "search/results.html", answer=answer, header_q=answer.q,
                  json_url="/api/v1/search?" + urlencode({"q": answer.q}))
