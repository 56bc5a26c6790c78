"""The catalog's front page: a search box (any language), facets and results.

The datasets, their order, the facets and each one's match come from the bank's one search service
(`scobank.search.service.search`, datasets only), exactly as GET /api/v1/search returns them: words
of the metadata in any language, closeness of meaning, and the datasets classified by the product
system of the products the query names. Only datasets the reader may see are listed or counted."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from scobank.deps import DbSession
from scobank.search.service import DatasetFilters, search
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()
PAGE_SIZE = 20
FILTERS = ("party", "organisation", "theme", "license", "classification")


def facet_links(request: Request, facets: dict[str, dict[str, int]]) -> dict[str, list[dict]]:
    """Each facet value with its count and the address that adds (or, when chosen, removes) it."""
    out: dict[str, list[dict]] = {}
    for name, values in facets.items():
        if name == "years" or name not in FILTERS:
            continue
        chosen = request.query_params.get(name)
        links = []
        for value, count in values.items():
            on = chosen == value
            url = request.url.remove_query_params([name, "offset"])
            if not on:
                url = url.include_query_params(**{name: value})
            links.append({"value": value, "count": count, "on": on, "href": f"{url.path}?{url.query}"})
        out[name] = links
    return out


@router.get("/datasets", response_class=HTMLResponse)
def catalog_page(request: Request, session: DbSession, reader: PageReader, q: str | None = Query(None, max_length=20000),
                 party: str | None = None, organisation: str | None = None, theme: str | None = None,
                 license: str | None = None, classification: str | None = None,
                 year_from: int | None = Query(None, ge=0, le=9999), year_to: int | None = Query(None, ge=0, le=9999),
                 offset: int = Query(0, ge=0)) -> HTMLResponse:
    filters = DatasetFilters(party=party or None, organisation=organisation or None, theme=theme or None,
                             license=license or None, classification=classification or None,
                             year_from=year_from, year_to=year_to)
    result = search(session, reader=reader, q=q, kinds=["dataset"], filters=filters, limit=PAGE_SIZE, offset=offset)
    more = None
    if result.total > offset + len(result.items):
        url = request.url.include_query_params(offset=offset + PAGE_SIZE)
        more = f"{url.path}?{url.query}"
    twin = request.url.include_query_params(kind="dataset", limit=PAGE_SIZE)
    return render(request, "catalog/search.html", section="catalog", q=q or "", result=result,
                  facets=facet_links(request, result.facets), more=more, year_from=year_from, year_to=year_to,
                  json_url=f"/api/v1/search?{twin.query}")
