"""The bank's one search (grouped by kind, with the datasets' facets), and the catalog as DCAT-AP JSON-LD."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from scobank.api.errors import error_language
from scobank.api.totals import TOTAL_DOC, tell_total
from scobank.analytics.country_sets import CountrySetName
from scobank.analytics.reader_labels import result_in
from scobank.deps import CurrentReader, DbSession
from scobank.catalog.dcat import dcat_catalog
from scobank.search.products import ProductCard, product_card
from scobank.search.results import SearchAnswer
from scobank.search.service import DatasetFilters
from scobank.search.service import search as search_everything

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchAnswer, responses=TOTAL_DOC)
def search(
    session: DbSession,
    reader: CurrentReader,
    response: Response,
    lang: Annotated[str, Depends(error_language)],
    q: str | None = Query(None, max_length=20000, description="Words in any language (ru/zh/en...), or an HS code."),
    kind: list[str] | None = Query(None, description="product, dataset, listing, enterprise, member (repeatable)."),
    per_kind: int = Query(5, ge=1, le=50, description="How many results of each kind in `groups`."),
    party: str | None = Query(None, max_length=3, description="ISO3 of the publishing party."),
    organisation: str | None = Query(None, max_length=80, description="Slug of the organisation."),
    theme: str | None = Query(None, max_length=80),
    year_from: int | None = Query(None, ge=0, le=9999),
    year_to: int | None = Query(None, ge=0, le=9999),
    license: str | None = Query(None, max_length=120),
    classification: str | None = Query(None, max_length=32, description="e.g. HS22"),
    limit: int = Query(20, ge=1, le=200, description="Datasets in `items` (the page of datasets)."),
    offset: int = Query(0, ge=0),
) -> SearchAnswer:
    """Products, datasets, listings, enterprises and members matching `q`, grouped by kind, each with
    a 0-100 match and why; `goto` is the product page when `q` is an HS code. `items`, `total` and
    `facets` page through the datasets found (without `q`: every visible dataset, newest first). A query in a
    member language search does not yet read gets a notice naming it in the reader's language (`?lang=`,
    Accept-Language)."""
    filters = DatasetFilters(party=party, organisation=organisation, theme=theme, license=license,
                             classification=classification, year_from=year_from, year_to=year_to)
    answer = search_everything(session, reader=reader, q=q, kinds=kind, per_kind=per_kind, filters=filters,
                               limit=limit, offset=offset, lang=lang)
    tell_total(response, answer.total)
    return answer


@router.get("/products/{classification}/{code}", response_model=ProductCard)
def product(classification: str, code: str, session: DbSession, reader: CurrentReader,
            lang: Annotated[str, Depends(error_language)], country_set: CountrySetName = "ranked") -> ProductCard:
    """A product (HS22 heading or subheading, SITC2 code): names in every language, parent and
    subdivisions, its published listings and the datasets classified by its system; its trade and every
    exporter ranked within `country_set` (the Growth Lab's ranked set by default, `all` for every country);
    periods and units in the reader's language (`?lang=`, Accept-Language)."""
    card = product_card(session, reader=reader, classification=classification, code=code, country_set=country_set)
    return card.model_copy(update={part: result_in(getattr(card, part), lang) for part in ("trade", "ranking")
                                   if getattr(card, part) is not None})


@router.get("/catalog.jsonld", response_class=JSONResponse, responses={
    200: {"description": "a DCAT-AP dcat:Catalog", "content": {"application/ld+json": {"schema": {"type": "object"}}}}})
def catalog_jsonld(request: Request, session: DbSession, reader: CurrentReader) -> JSONResponse:
    """The catalog as DCAT-AP JSON-LD (only the datasets the caller may see)."""
    document = dcat_catalog(session, reader=reader, base_url=str(request.base_url))
    return JSONResponse(document, media_type="application/ld+json")
