"""A product's card, where a typed code leads: its names in every language, its place in the
nomenclature (parent, subdivisions), the published listings of that product and the datasets
classified by its product system (only those the reader may see), and for an HS code its trade in the
bank's product-level datasets, in their own units and periods (`analytics.product_views`)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.country_sets import CountrySetName
from scobank.analytics.exporter_ranking import exporter_ranking
from scobank.analytics.product_views import product_trade
from scobank.analytics.service import AnalyticsResult
from scobank.catalog.search import SearchHit, search_datasets
from scobank.errors import NotFound
from scobank.exchange.listings import search_listings
from scobank.exchange.schemas import ListingPublic
from scobank.reference.texts import product_texts

CLASSIFICATIONS = ("HS22", "SITC2")


class ProductLine(BaseModel):
    code: str
    names: dict[str, str]


class ProductCard(BaseModel):
    classification: str
    code: str
    names: dict[str, str] = Field(description="by language; `derived` says where a derived name comes from")
    derived: dict[str, str] = Field(default_factory=dict)
    parent: ProductLine | None = None
    children: list[ProductLine] = Field(default_factory=list)
    listings: list[ListingPublic] = Field(default_factory=list)
    datasets: list[SearchHit] = Field(default_factory=list)
    trade: AnalyticsResult | None = Field(None, description="an HS code's trade in the bank's product-level "
                                          "datasets (India's EIDB exports, BACI crude oil 2021)")
    ranking: AnalyticsResult | None = Field(None, description="every exporter of the product ranked within "
                                            "the stated country set, from the datasets with every "
                                            "country's exports of it (BACI crude oil 2021; the SITC panel, "
                                            "in relative weights)")


def product_card(session: Session, *, reader: Reader, classification: str, code: str,
                 country_set: CountrySetName = "ranked") -> ProductCard:
    """The card of `code` in `classification` (HS22 or SITC2); exporters ranked within `country_set`.
    Raises NotFound for an unknown code."""
    lines = _lines(session, classification, code)
    if code not in lines:
        raise NotFound(f"{classification} has no product {code}")
    names = dict(lines[code])
    derived = names.pop("derived", {}) if isinstance(names.get("derived"), dict) else {}
    parent_code = code[:-2] if classification == "HS22" else code[:-1]
    children = sorted(c for c in lines if c.startswith(code) and c != code
                      and len(c) == len(code) + (2 if classification == "HS22" else 1))
    listings = search_listings(session, reader=reader, hs=code[:6], limit=10).items if classification == "HS22" else []
    family = "HS" if classification == "HS22" else "SITC"
    datasets = [h for h in search_datasets(session, reader=reader, limit=200).items
                if (h.classification or "").upper().startswith(family)]
    hs6 = classification == "HS22" and len(code) <= 6
    trade = product_trade(session, reader=reader, code=code) if hs6 else None
    ranking = exporter_ranking(session, reader=reader, family=family, code=code,
                               country_set=country_set) if hs6 or family == "SITC" else None
    return ProductCard(classification=classification, code=code, names=_texts(names), derived=derived, trade=trade,
                       ranking=ranking,
                       parent=ProductLine(code=parent_code, names=_texts(lines[parent_code])) if parent_code in lines else None,
                       children=[ProductLine(code=c, names=_texts(lines[c])) for c in children],
                       listings=listings, datasets=datasets)


def _lines(session: Session, classification: str, code: str) -> dict[str, dict]:
    if classification not in CLASSIFICATIONS or not code.isalnum() or len(code) > 12:
        raise NotFound(f"no product classification {classification!r}; known: {', '.join(CLASSIFICATIONS)}")
    return product_texts(session, classification, prefix=code[:2] if classification == "HS22" else code[:1])


def _texts(value: dict) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(v, str)}
