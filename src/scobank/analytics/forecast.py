"""Forecasts of annual trade series with prediction intervals, and a rolling-origin backtest.

Models (statsforecast >= 2.1, no numba; fitted one by one in-process, no worker pool): AutoETS and
AutoARIMA (Hyndman & Khandakar 2008), with Naive and RandomWalkWithDrift as baselines. Annual data:
season length 1. Intervals are each model's own (80% and 95% by default).

Backtest (Tashman 2000, rolling origin): for each of the last `origins` years as forecast origin, fit
on the years before it and forecast up to `horizon` years ahead, against what happened.
- MASE (Hyndman & Koehler 2006): mean |y - f| over the backtest, divided by the in-sample mean
  |y_t - y_{t-1}| of the training part (scale-free; < 1 beats the naive forecast made in-sample).
- sMAPE: mean of 200 |y - f| / (|y| + |f|), in percent.
The recommended model is the one with the lowest backtest MASE.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scobank.errors import AnalyticsInputError, NotFound

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
    best_model: str  # lowest backtest MASE
    models: list[ModelForecast] = field(default_factory=list)

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
    best = min(results, key=lambda m: m.backtest.mase).model
    return ForecastResult(years=[int(t) for t in years], values=[float(v) for v in y], horizon=horizon,
                          levels=tuple(level), best_model=best, models=results)


MACRO_FILE = Path("macro-wdi-imf") / "atlas_wdi_data.parquet"
MACRO_INDICATORS = ("exports_goods_bop", "imports_goods_bop", "gdp", "gdp_const", "current_account")


def macro_series(data_dir: Path, *, country: str, indicator: str) -> tuple[list[int], list[float]]:
    """One country's annual indicator from the WDI/IMF file in the data folder (years with a value,
    the longest run of consecutive years ending at the last one). Raises NotFound."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if indicator not in MACRO_INDICATORS:
        raise NotFound(f"unknown indicator {indicator!r}; known: {', '.join(MACRO_INDICATORS)}")
    path = data_dir / MACRO_FILE
    if not path.exists():
        raise NotFound(f"{path} is missing (SCOBANK_DATA_DIR)")
    table = pq.read_table(path, columns=["iso3_code", "year", indicator])
    table = table.filter(pc.and_(pc.equal(table["iso3_code"], country.upper()), pc.is_valid(table[indicator])))
    rows = sorted(zip(table["year"].to_pylist(), table[indicator].to_pylist(), strict=True))
    if not rows:
        raise NotFound(f"no {indicator} for {country.upper()} in {path.name}")
    start = len(rows) - 1
    while start > 0 and rows[start - 1][0] == rows[start][0] - 1:
        start -= 1
    return [int(r[0]) for r in rows[start:]], [float(r[1]) for r in rows[start:]]


def country_forecast(*, country: str, indicator: str = "exports_goods_bop", horizon: int = 5) -> ForecastResult:
    """The service behind `scobank analytics forecast` and GET /api/v1/analytics/forecast (and their
    `ai` aliases): `country`'s annual `indicator` from the WDI/IMF file of SCOBANK_DATA_DIR
    (`macro_series`: the longest run of consecutive years ending at the last one, current USD), forecast
    `horizon` years ahead by every model with 80/95% intervals and backtested (`forecast_series`).
    Raises NotFound (no data folder, unknown indicator or country) or AnalyticsInputError (too short)."""
    from scobank.config import get_settings

    data_dir = get_settings().resolved_data_dir
    if data_dir is None:
        raise NotFound("no data folder: set SCOBANK_DATA_DIR")
    years, values = macro_series(data_dir, country=country, indicator=indicator)
    return forecast_series(years, values, horizon)
