"""The catalog's front page: a search box (any language), facets and results. The search and its
facet counts are the catalog's (`scobank.catalog.search`), cut by the access gate; datasets found by
meaning in another language come from the AI area's hybrid search (`scobank.ai.hybrid`)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from scobank.api.deps import DbSession
from scobank.ai.hybrid import search as hybrid_search
from scobank.catalog.search import search_datasets
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
def catalog_page(request: Request, session: DbSession, reader: PageReader, q: str | None = None,
                 party: str | None = None, organisation: str | None = None, theme: str | None = None,
                 license: str | None = None, classification: str | None = None,
                 year_from: int | None = Query(None, ge=0, le=9999), year_to: int | None = Query(None, ge=0, le=9999),
                 offset: int = Query(0, ge=0)) -> HTMLResponse:
    result = search_datasets(session, reader=reader, q=q or None, party=party or None,
                             organisation=organisation or None, theme=theme or None, license=license or None,
                             classification=classification or None, year_from=year_from, year_to=year_to,
                             limit=PAGE_SIZE, offset=offset)
    by_meaning = []
    if q and q.strip():
        found = {hit.slug for hit in result.items}
        by_meaning = [h for h in hybrid_search(session, reader=reader, q=q, kinds=["dataset"], limit=8)
                      if h.id not in found]
    more = None
    if result.total > offset + len(result.items):
        url = request.url.include_query_params(offset=offset + PAGE_SIZE)
        more = f"{url.path}?{url.query}"
    return render(request, "catalog/search.html", section="catalog", q=q or "", result=result,
                  facets=facet_links(request, result.facets), more=more, by_meaning=by_meaning, year_from=year_from, year_to=year_to,
                  json_url="/api/v1/search?" + request.url.query)
