"""Catalog search with facets, and the catalog as DCAT-AP JSON-LD."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from scobank.api.deps import CurrentReader, DbSession
from scobank.catalog.dcat import dcat_catalog
from scobank.catalog.search import SearchResult, search_datasets

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResult)
def search(
    session: DbSession,
    reader: CurrentReader,
    q: str | None = Query(None, max_length=500, description="Words in any language (ru/zh/en...)."),
    party: str | None = Query(None, max_length=3, description="ISO3 of the publishing party."),
    organisation: str | None = Query(None, max_length=80, description="Slug of the organisation."),
    theme: str | None = Query(None, max_length=80),
    year_from: int | None = Query(None, ge=0, le=9999),
    year_to: int | None = Query(None, ge=0, le=9999),
    license: str | None = Query(None, max_length=120),
    classification: str | None = Query(None, max_length=32, description="e.g. HS22"),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> SearchResult:
    """Datasets whose metadata holds every word of `q`, best first, with facet counts."""
    return search_datasets(session, reader=reader, q=q, party=party, organisation=organisation, theme=theme,
                           year_from=year_from, year_to=year_to, license=license,
                           classification=classification, limit=limit, offset=offset)


@router.get("/catalog.jsonld", response_class=JSONResponse)
def catalog_jsonld(request: Request, session: DbSession, reader: CurrentReader) -> JSONResponse:
    """The catalog as DCAT-AP JSON-LD (only the datasets the caller may see)."""
    document = dcat_catalog(session, reader=reader, base_url=str(request.base_url))
    return JSONResponse(document, media_type="application/ld+json")
