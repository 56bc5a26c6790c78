"""The catalog's front page: a search box (any language), facets and results.

When the AI index of datasets is built (and its embedder installed), a query is ranked by the AI
area's hybrid search (`scobank.ai.hybrid`: keyword and meaning rankings fused by reciprocal rank), so
a Chinese query finds a dataset described only in Russian; the catalog's search
(`scobank.catalog.search`) then lists those hits first, with every other keyword match, and counts
the facets over all of them. Both apply the access gate: a dataset the reader may not see is neither
listed nor counted. Without the index the page is the catalog's keyword search alone."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.api.deps import DbSession
from scobank.catalog.search import search_datasets
from scobank.errors import BadRequest
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()
PAGE_SIZE = 20
FILTERS = ("party", "organisation", "theme", "license", "classification")
MEANING_HITS = 50  # how many hybrid hits lead the list (the hybrid search's candidates per ranking)


def meaning_ranked(session: Session, *, reader: Reader, q: str | None) -> tuple[list[str], dict[str, float]]:
    """Slugs of the datasets the hybrid search ranks for `q` (best first, only those `reader` may see)
    and the similarity of meaning of each found by meaning; ([], {}) without a query, when the AI
    index of datasets has not been built or the embedder is not installed."""
    from scobank.ai.models import Embedding

    if not q or not q.strip():
        return [], {}
    if session.scalar(select(Embedding.item_id).where(Embedding.kind == "dataset").limit(1)) is None:
        return [], {}
    try:
        from scobank.ai.embedding import embedder
        from scobank.ai.hybrid import search as hybrid_search
        from scobank.ai.index import embedded_count

        if not embedded_count(session, "dataset", embedder()):
            return [], {}
    except (ImportError, BadRequest):
        return [], {}
    hits = hybrid_search(session, reader=reader, q=q, kinds=["dataset"], limit=MEANING_HITS)
    return [h.id for h in hits], {h.id: h.similarity for h in hits if h.similarity is not None}


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
    ranked, similarity = meaning_ranked(session, reader=reader, q=q)
    result = search_datasets(session, reader=reader, q=q or None, party=party or None,
                             organisation=organisation or None, theme=theme or None, license=license or None,
                             classification=classification or None, year_from=year_from, year_to=year_to,
                             limit=PAGE_SIZE, offset=offset, ranked=ranked)
    more = None
    if result.total > offset + len(result.items):
        url = request.url.include_query_params(offset=offset + PAGE_SIZE)
        more = f"{url.path}?{url.query}"
    return render(request, "catalog/search.html", section="catalog", q=q or "", result=result,
                  facets=facet_links(request, result.facets), more=more, similarity=similarity,
                  by_meaning=bool(ranked), year_from=year_from, year_to=year_to,
                  json_url=_json_twin(request, q=q, by_meaning=bool(ranked)))


def _json_twin(request: Request, *, q: str | None, by_meaning: bool) -> str:
    """The API call that gives the page's ranking: the hybrid search when the page used it, else the
    catalog's search (with the same filters)."""
    if by_meaning:
        return "/api/v1/ai/search?" + urlencode({"q": q or "", "kind": "dataset", "limit": MEANING_HITS})
    return "/api/v1/search?" + request.url.query
