"""A product's page (`/products/HS22/7208`, `/products/SITC2/671`): where the search box sends a typed code."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scobank.analytics.country_sets import CountrySetName
from scobank.deps import DbSession
from scobank.search.products import product_card
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()


@router.get("/products/{classification}/{code}", response_class=HTMLResponse)
def product_page(request: Request, classification: str, code: str, session: DbSession,
                 reader: PageReader, country_set: CountrySetName = "ranked") -> HTMLResponse:
    card = product_card(session, reader=reader, classification=classification, code=code, country_set=country_set)
    return render(request, "products/product.html", card=card, header_q=code, country_set=country_set,
                  json_url=f"/api/v1/products/{classification}/{code}?country_set={country_set}")
