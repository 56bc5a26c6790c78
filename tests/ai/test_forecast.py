"""Forecasts of a real series: Kazakhstan's goods exports (WDI/IMF balance of payments, 1995-2024)."""

from __future__ import annotations

import json

import pytest

from scobank.errors import AnalyticsInputError


@pytest.fixture(scope="module")
def kaz(data_dir):
    import pyarrow.parquet as pq

    from scobank.analytics.forecast import forecast_series, macro_series

    table = pq.read_table(data_dir / "macro-wdi-imf" / "atlas_wdi_data.parquet")
    years, values = macro_series(table, country="KAZ", indicator="exports_goods_bop", source="atlas_wdi_data")
    return years, values, forecast_series(years, values, 5)


@pytest.fixture
def wdi(bank, data_dir) -> str:
    """The WDI macro table published and opened to everyone as `make demo` does: the forecasts' input."""
    from sqlalchemy import select

    from scobank.access import policies
    from scobank.catalog.models import Dataset
    from scobank.catalog.refs import ref_of
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        publish_one(session, "wdi-macro-1960-2024", data_dir=data_dir)
        dataset = session.scalar(select(Dataset).where(Dataset.slug == "wdi-macro-1960-2024"))
        policies.set_dataset_policy(session, dataset=ref_of(session, dataset), document={"audience": "public"}, actor="tests")
    return "wdi-macro-1960-2024"


def test_kazakhstan_exports_are_forecast_five_years_past_the_last_year_with_nested_intervals(kaz):
    years, values, result = kaz
    assert years[0] <= 1995 and years[-1] >= 2024 and len(years) == len(values)
    assert {m.model for m in result.models} == {"AutoETS", "AutoARIMA", "Naive", "RandomWalkWithDrift"}
    for m in result.models:
        assert [p.year for p in m.points] == list(range(years[-1] + 1, years[-1] + 6))
        for p in m.points:
            lo95, hi95 = p.intervals[95]
            lo80, hi80 = p.intervals[80]
            assert lo95 <= lo80 <= p.mean <= hi80 <= hi95


def test_the_naive_forecast_repeats_the_last_year_and_the_best_model_has_the_lowest_mase(kaz):
    _, values, result = kaz
    assert all(p.mean == pytest.approx(values[-1]) for p in result.model("Naive").points)
    mases = {m.model: m.backtest.mase for m in result.models}
    winners = {m: v for m, v in mases.items()  # fitted models only: drift is a baseline like naive
               if m not in ("Naive", "RandomWalkWithDrift") and v < mases["Naive"] * 0.99}
    assert result.best_model == (min(winners, key=winners.get) if winners else "Naive")  # 1% better or naive
    assert result.beats_naive == bool(winners)
    for m in result.models:  # exports swing with oil prices: errors are real but bounded
        assert 0 < m.backtest.mase < 10 and 0 < m.backtest.smape < 100


def test_the_backtest_of_a_straight_line_is_perfect_for_the_drift_model():
    from scobank.analytics.forecast import forecast_series

    years = list(range(2000, 2015))
    result = forecast_series(years, [100.0 + 10 * i for i in range(15)], 3, models=["RandomWalkWithDrift", "Naive"])
    assert result.model("RandomWalkWithDrift").backtest.mase == pytest.approx(0, abs=1e-9)
    assert result.model("Naive").backtest.mase > 1
    assert result.model("RandomWalkWithDrift").points[0].mean == pytest.approx(250.0)


def test_a_series_with_a_gap_or_too_few_years_is_refused_with_the_reason():
    from scobank.analytics.forecast import forecast_series

    with pytest.raises(AnalyticsInputError, match="breaks after 2004"):
        forecast_series([2000, 2001, 2002, 2003, 2004, 2006, 2007, 2008, 2009], [1.0] * 9, 2)
    with pytest.raises(AnalyticsInputError, match="at least 8 years"):
        forecast_series([2000, 2001, 2002], [1.0, 2.0, 3.0], 2)


def test_the_cli_prints_the_forecast_as_json(bank, wdi):
    result = bank.cli("ai", "forecast", "--country", "KAZ", "--horizon", "2", "--json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["horizon"] == 2 and body["best_model"] in {m["model"] for m in body["models"]}
    assert body["years"][-1] >= 2024


def test_the_api_returns_the_forecast_with_intervals_and_backtest(bank, wdi):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    client = TestClient(create_app())
    response = client.get("/api/v1/ai/forecast", params={"country": "CHN", "horizon": 3})
    assert response.status_code == 200
    body = response.json()
    best = next(m for m in body["models"] if m["model"] == body["best_model"])
    assert [p["year"] for p in best["points"]] == [body["years"][-1] + i for i in (1, 2, 3)]
    assert set(best["points"][0]["intervals"]) == {"80", "95"}
    assert best["backtest"]["mase"] > 0
    missing = client.get("/api/v1/ai/forecast", params={"country": "XXX"})
    assert missing.status_code == 404 and "no exports_goods_bop for XXX" in missing.json()["message"]
