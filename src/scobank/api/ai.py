"""REST endpoints of the ai area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query
from pydantic import BaseModel

import scobank.ai.kinds  # noqa: F401  (registers the listeners that keep the index fresh)
from scobank.api.analytics import ForecastPublic
from scobank.api.analytics import forecast as analytics_forecast
from scobank.api.deps import CurrentReader, DbSession

router = APIRouter(tags=["ai"])


class SuggestionPublic(BaseModel):
    code: str
    heading: str
    score: float
    description: str
    heading_names: dict[str, str]


class HitPublic(BaseModel):
    kind: str
    id: str
    title: dict[str, str]
    score: float
    similarity: float | None
    url: str | None
    details: dict


@router.get("/ai/hs-suggest", response_model=list[SuggestionPublic])
def hs_suggest(session: DbSession, text: str = Query(..., min_length=1, max_length=2000),
               top: int = Query(5, ge=1, le=50)) -> list[SuggestionPublic]:
    """HS 2022 codes for a free-text product description (en/ru/zh and more), best first."""
    from scobank.ai.hs_suggest import suggest_hs

    return [SuggestionPublic(**asdict(s)) for s in suggest_hs(session, text, top=top)]


@router.get("/ai/search", response_model=list[HitPublic])
def search(session: DbSession, reader: CurrentReader, q: str = Query(..., min_length=1, max_length=2000),
           kind: list[str] | None = Query(None), limit: int = Query(10, ge=1, le=100)) -> list[HitPublic]:
    """Datasets, listings, enterprises and HS headings matching `q` by meaning and by words, in any
    language; only what the reader may see."""
    from scobank.ai.hybrid import search as hybrid_search

    hits = hybrid_search(session, reader=reader, q=q, kinds=kind or None, limit=limit)
    return [HitPublic(**asdict(h)) for h in hits]


# GET /ai/forecast is GET /analytics/forecast (same function, same service), kept as an alias.
router.get("/ai/forecast", response_model=ForecastPublic, summary="Forecast (alias of /analytics/forecast)")(
    analytics_forecast)
