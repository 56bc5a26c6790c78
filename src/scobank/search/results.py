"""The public shape of a search: results grouped by kind, each with a readable match."""

from __future__ import annotations

from pydantic import BaseModel, Field

from scobank.catalog.search import SearchResult
from scobank.search.relevance import Match

KINDS = ("product", "dataset", "listing", "enterprise", "member")


class Result(BaseModel):
    kind: str = Field(description="product | dataset | listing | enterprise | member")
    id: str = Field(description="HS22:7208, SITC2:671, a dataset slug, a listing or enterprise id, an ISO3 code")
    title: dict[str, str] = Field(description="names by language (only the languages that have one)")
    url: str | None = Field(None, description="the portal page")
    api_url: str | None = Field(None, description="the same item in the API")
    match: Match
    details: dict = Field(default_factory=dict)


class Group(BaseModel):
    kind: str
    items: list[Result]


class SearchAnswer(SearchResult):
    """`groups`: the best few of each kind, best first. `total`, `items`, `facets`: the datasets found
    (the same datasets, in the same order, as the dataset group), pageable and with facet counts."""

    q: str = ""
    language: str = Field("", description="the detected language of the query (ISO 639-1)")
    language_name: str = Field("", description="that language's name in the reader's language (`?lang=`), e.g. казахский")
    supported: bool = Field(True, description="False: the language is not yet supported; only exact words count")
    notice: str | None = Field(None, description="what the reader should know about this answer")
    notice_code: str | None = Field(None, description="no-words | language-not-supported | truncated")
    goto: str | None = Field(None, description="the product page when the query is an HS code")
    groups: list[Group] = Field(default_factory=list)
    matches: dict[str, Match] = Field(default_factory=dict, description="the match of each dataset in `items`, by slug")
    listed: list[Result] = Field(default_factory=list, description=(
        "datasets listed so that the (logged-in) reader may ask for them: their listing only (title, publisher, "
        "description), found by those words; details.request_url files the request. Not in `items` or `total`"))
