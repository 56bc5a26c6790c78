"""REST endpoints of the ai area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query
from pydantic import BaseModel

import scobank.ai.kinds  # noqa: F401  (registers the listeners that keep the index fresh)
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


class ForecastPointPublic(BaseModel):
    year: int
    mean: float
    intervals: dict[int, tuple[float, float]]


class BacktestPublic(BaseModel):
    origins: int
    mase: float
    smape: float


class ModelForecastPublic(BaseModel):
    model: str
    points: list[ForecastPointPublic]
    backtest: BacktestPublic | None


class ForecastPublic(BaseModel):
    years: list[int]
    values: list[float]
    horizon: int
    levels: list[int]
    best_model: str
    models: list[ModelForecastPublic]


@router.get("/ai/forecast", response_model=ForecastPublic)
def forecast(country: str = Query(..., min_length=3, max_length=3),
             indicator: str = Query("exports_goods_bop"), horizon: int = Query(5, ge=1, le=20)) -> ForecastPublic:
    """A country's annual trade series (WDI/IMF, public) forecast with intervals and a backtest."""
    from scobank.analytics.forecast import forecast_series, macro_series
    from scobank.config import get_settings
    from scobank.errors import NotFound

    data_dir = get_settings().resolved_data_dir
    if data_dir is None:
        raise NotFound("no data folder: set SCOBANK_DATA_DIR")
    years, values = macro_series(data_dir, country=country, indicator=indicator)
    return ForecastPublic(**asdict(forecast_series(years, values, horizon)))
