"""Forecasts of annual trade series with prediction intervals, and a rolling-origin backtest.

Models (statsforecast >= 2.1, no numba; fitted one by one in-process, no worker pool): AutoETS and
AutoARIMA (Hyndman & Khandakar 2008), with Naive and RandomWalkWithDrift as baselines. Annual data:
season length 1. Intervals are each model's own (80% and 95% by default).

Backtest (Tashman 2000, rolling origin): for each of the last `origins` years as forecast origin, fit
on the years before it and forecast up to `horizon` years ahead, against what happened.
- MASE (Hyndman & Koehler 2006): mean |y - f| over the backtest, divided by the in-sample mean
  |y_t - y_{t-1}| of the training part (scale-free; < 1 beats the naive forecast made in-sample).
- sMAPE: mean of 200 |y - f| / (|y| + |f|), in percent.
Every model is compared with the naive forecast (next year = this year) and the seasonal naive one;
for annual data the season is one year, so the seasonal naive forecast is the naive one. A fitted model
(AutoETS, AutoARIMA) is recommended only when its backtest MASE is at least 1% below the naive
forecast's (`MIN_IMPROVEMENT`); when none
is (Kazakhstan's goods exports today), the result says so (`beats_naive` False, `verdict`) and shows
the naive forecast with its interval (the drift baseline stays listed with its own MASE).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from scobank.config import get_settings
from scobank.errors import AnalyticsInputError, NotFound

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlalchemy.orm import Session

    from scobank.access.reader import Reader

MIN_YEARS = 8


def _models() -> dict[str, Callable[[], object]]:
    from statsforecast.models import AutoARIMA, AutoETS, Naive, RandomWalkWithDrift

    return {"AutoETS": lambda: AutoETS(season_length=1), "AutoARIMA": lambda: AutoARIMA(season_length=1),
            "Naive": Naive, "RandomWalkWithDrift": RandomWalkWithDrift}


MODEL_NAMES = ("AutoETS", "AutoARIMA", "Naive", "RandomWalkWithDrift")


@dataclass(frozen=True)
class ForecastPoint:
    year: int
    mean: float
    intervals: dict[int, tuple[float, float]]  # level -> (low, high)


@dataclass(frozen=True)
class Backtest:
    origins: int
    mase: float
    smape: float


@dataclass(frozen=True)
class ModelForecast:
    model: str
    points: list[ForecastPoint]
    backtest: Backtest | None


@dataclass(frozen=True)
class ForecastResult:
    years: list[int]
    values: list[float]
    horizon: int
    levels: tuple[int, ...]
    best_model: str  # lowest backtest MASE among the models that beat the naive forecast, else Naive
    models: list[ModelForecast] = field(default_factory=list)
    beats_naive: bool = True  # some model's backtest MASE is below the naive (= seasonal naive) one's
    verdict: str = ""

    def model(self, name: str) -> ModelForecast:
        return next(m for m in self.models if m.model == name)


def _check(years: Sequence[int], values: Sequence[float], horizon: int, level: Sequence[int]) -> np.ndarray:
    if len(years) != len(values):
        raise AnalyticsInputError(f"{len(years)} years but {len(values)} values")
    if len(years) < MIN_YEARS:
        raise AnalyticsInputError(f"a forecast needs at least {MIN_YEARS} years of data, got {len(years)}")
    steps = np.diff(np.asarray(years, dtype=np.int64))
    if (steps != 1).any():
        gap = int(years[int(np.flatnonzero(steps != 1)[0])])
        raise AnalyticsInputError(f"years must be consecutive and increasing; the series breaks after {gap}")
    y = np.asarray(values, dtype=np.float64)
    if not np.isfinite(y).all():
        raise AnalyticsInputError(f"the value for {int(years[int(np.flatnonzero(~np.isfinite(y))[0])])} is missing")
    if not 1 <= horizon <= 20:
        raise AnalyticsInputError(f"horizon must be 1 to 20 years, got {horizon}")
    if not level or any(not 50 <= lv < 100 for lv in level):
        raise AnalyticsInputError(f"interval levels must be between 50 and 99, got {list(level)}")
    return y


def _predict(name: str, y: np.ndarray, h: int, level: Sequence[int]) -> dict[str, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optimiser chatter on short series
        return _models()[name]().forecast(y=y, h=h, level=list(level))


def backtest(name: str, y: np.ndarray, *, horizon: int, origins: int) -> Backtest:
    """Rolling-origin evaluation of model `name` on the last `origins` years (see module docstring)."""
    errors, smapes, scales = [], [], []
    for origin in range(len(y) - origins, len(y)):
        train, actual = y[:origin], y[origin:origin + horizon]
        forecast = _predict(name, train, len(actual), (80,))["mean"]
        errors.extend(np.abs(actual - forecast))
        smapes.extend(200 * np.abs(actual - forecast) / np.maximum(np.abs(actual) + np.abs(forecast), 1e-12))
        scales.append(np.mean(np.abs(np.diff(train))))
    scale = float(np.mean(scales))
    return Backtest(origins=origins, mase=float(np.mean(errors) / scale) if scale > 0 else float("inf"),
                    smape=float(np.mean(smapes)))


def forecast_series(years: Sequence[int], values: Sequence[float], horizon: int,
                    level: Sequence[int] = (80, 95), *, models: Sequence[str] = MODEL_NAMES,
                    origins: int = 5) -> ForecastResult:
    """Forecast an annual series `horizon` years past its last year with each model, with intervals
    at `level` (%), and backtest each model on the last `origins` years. Raises AnalyticsInputError for
    fewer than 8 years, gaps, missing values, a horizon outside 1..20 or a level outside 50..99."""
    y = _check(years, values, horizon, level)
    unknown = sorted(set(models) - set(MODEL_NAMES))
    if unknown:
        raise AnalyticsInputError(f"unknown model {', '.join(unknown)}; known: {', '.join(MODEL_NAMES)}")
    origins = max(1, min(origins, len(y) - MIN_YEARS + 2))
    last = int(years[-1])
    results = []
    for name in models:
        out = _predict(name, y, horizon, level)
        points = [ForecastPoint(year=last + i + 1, mean=float(out["mean"][i]),
                                intervals={lv: (float(out[f"lo-{lv}"][i]), float(out[f"hi-{lv}"][i]))
                                           for lv in level}) for i in range(horizon)]
        results.append(ModelForecast(model=name, points=points, backtest=backtest(name, y, horizon=horizon,
                                                                                  origins=origins)))
    best, beats, verdict = recommend(results)
    return ForecastResult(years=[int(t) for t in years], values=[float(v) for v in y], horizon=horizon,
                          levels=tuple(level), best_model=best, models=results, beats_naive=beats, verdict=verdict)


BASELINES = ("Naive", "RandomWalkWithDrift")
MIN_IMPROVEMENT = 0.01  # a fitted model must have a backtest MASE at least 1% below the naive one


def recommend(results: list[ModelForecast]) -> tuple[str, bool, str]:
    """(the model to show, whether any model beats the naive forecast in the backtest, a sentence)."""
    naive = next((m for m in results if m.model == "Naive"), None)
    best = min(results, key=lambda m: m.backtest.mase)
    if naive is None:
        return best.model, True, f"{best.model} has the lowest backtest MASE (no naive forecast compared)"
    better = [m for m in results  # an ETS fit that is the naive model, 0.002% better, is no improvement
              if m.model not in BASELINES and m.backtest.mase < naive.backtest.mase * (1 - MIN_IMPROVEMENT)]
    if not better:
        return "Naive", False, (f"no fitted model beats the naive forecast in the backtest by 1% (naive MASE "
                                f"{naive.backtest.mase:.3f}; the seasonal naive forecast of annual data is the "
                                "same): the naive forecast with its interval is shown")
    chosen = min(better, key=lambda m: m.backtest.mase)
    return chosen.model, True, (f"{chosen.model} beats the naive forecast in the backtest (MASE "
                                f"{chosen.backtest.mase:.3f} against {naive.backtest.mase:.3f})")


FORECAST_DATASET = get_settings().forecast_dataset  # the demo's WDI macro table; IMF: imf-weo-macro-1980-2024
MACRO_INDICATORS = ("exports_goods_bop", "imports_goods_bop", "gdp", "gdp_const", "current_account")
PURPOSE = "statistics"


def macro_series(table: pa.Table, *, country: str, indicator: str, source: str) -> tuple[list[int], list[float]]:
    """One country's annual `indicator` from a macro table with columns iso3_code, year, `indicator`
    (as the WDI/IMF files): the years with a value, the longest run of consecutive years ending at the
    last one. Raises NotFound for an unknown indicator or no value for the country (naming `source`)."""
    import pyarrow.compute as pc

    if indicator not in MACRO_INDICATORS:
        raise NotFound(f"unknown indicator {indicator!r}; known: {', '.join(MACRO_INDICATORS)}")
    table = table.filter(pc.and_(pc.equal(table["iso3_code"], country.upper()), pc.is_valid(table[indicator])))
    rows = sorted(zip(table["year"].to_pylist(), table[indicator].to_pylist(), strict=True))
    if not rows:
        raise NotFound(f"no {indicator} for {country.upper()} in {source}")
    start = len(rows) - 1
    while start > 0 and rows[start - 1][0] == rows[start][0] - 1:
        start -= 1
    return [int(r[0]) for r in rows[start:]], [float(r[1]) for r in rows[start:]]


def _dataset_series(session: Session, *, reader: Reader, dataset: str, version: int | None, country: str,
                    indicator: str) -> tuple[list[int], list[float]]:
    """`macro_series` of a bank dataset version, read through the gate (QUERY, purpose statistics, rows
    not aggregates) with one ledger entry naming the analysis; only the country's rows are read."""
    from scobank.analytics.table_reads import read_columns

    if indicator not in MACRO_INDICATORS:
        raise NotFound(f"unknown indicator {indicator!r}; known: {', '.join(MACRO_INDICATORS)}")
    table, number = read_columns(session, slug=dataset, reader=reader, version=version, analysis="forecast",
                                 columns={"iso3_code": "string", "year": "int64", indicator: "float64"},
                                 where={"iso3_code": country.upper()},
                                 detail={"country": country.upper(), "indicator": indicator})
    return macro_series(table, country=country, indicator=indicator, source=f"{dataset} v{number}")


def country_forecast(session: Session, *, reader: Reader, country: str, indicator: str = "exports_goods_bop",
                     horizon: int = 5, dataset: str = FORECAST_DATASET, version: int | None = None) -> ForecastResult:
    """The service behind `scobank analytics forecast` and GET /api/v1/analytics/forecast (and their
    `ai` aliases): `country`'s annual `indicator` from the bank dataset `dataset` (a macro table with
    iso3_code, year and the indicator, e.g. the WDI or IMF tables of the demo), read through the gate
    with purpose statistics and one ledger entry (`macro_series`: the longest run of consecutive years
    ending at the last one), forecast `horizon` years ahead by every model with 80/95% intervals and
    backtested (`forecast_series`). Raises NotFound (no such dataset, unknown indicator or no value for
    the country), AccessDenied, BadRequest (the dataset is not such a table) or AnalyticsInputError."""
    years, values = _dataset_series(session, reader=reader, dataset=dataset, version=version, country=country,
                                    indicator=indicator)
    return forecast_series(years, values, horizon)
