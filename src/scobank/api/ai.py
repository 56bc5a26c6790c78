"""REST endpoints of the ai area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query
from pydantic import BaseModel

import scobank.ai.kinds  # noqa: F401  (registers the listeners that keep the index fresh)
from scobank.api.analytics import ForecastPublic
from scobank.api.analytics import forecast as analytics_forecast
from scobank.deps import DbSession

router = APIRouter(tags=["ai"])


class SuggestionPublic(BaseModel):
    code: str
    heading: str
    score: float
    description: str
    heading_names: dict[str, str]
    confidence: int
    matched_words: list[str]


class HsAnswerPublic(BaseModel):
    status: str
    message: str
    language: str
    match: float
    truncated: bool
    suggestions: list[SuggestionPublic]


@router.get("/ai/hs-suggest", response_model=HsAnswerPublic)
def hs_suggest(session: DbSession, text: str = Query("", max_length=20000),
               top: int = Query(5, ge=1, le=50)) -> HsAnswerPublic:
    """HS 2022 headings for a product description in en/ru/zh (or an HS code), best first, each with a
    calibrated confidence; `status` says when nothing fits ("no-match"), there are no words
    ("no-words") or the language is not yet supported ("language-not-supported")."""
    from scobank.ai.hs_suggest import suggest_hs

    return HsAnswerPublic(**asdict(suggest_hs(session, text, top=top)))


# GET /ai/forecast is GET /analytics/forecast (same function, same service), kept as an alias.
router.get("/ai/forecast", response_model=ForecastPublic, summary="Forecast (alias of /analytics/forecast)")(
    analytics_forecast)
