"""Forecasts are an analysis: `scobank analytics forecast` and GET /api/v1/analytics/forecast, with the
`ai` command and route kept as aliases of the same function (same numbers)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient


def test_the_analytics_command_forecasts_kazakhstans_exports_and_the_ai_command_is_its_alias(bank):
    result = bank.cli("analytics", "forecast", "--country", "kaz", "--horizon", "2", "--json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    best = next(m for m in body["models"] if m["model"] == body["best_model"])
    assert [p["year"] for p in best["points"]] == [body["years"][-1] + 1, body["years"][-1] + 2]
    low95, high95 = best["points"][0]["intervals"]["95"]
    low80, high80 = best["points"][0]["intervals"]["80"]
    assert low95 <= low80 <= best["points"][0]["mean"] <= high80 <= high95  # nested intervals
    assert best["backtest"]["mase"] == min(m["backtest"]["mase"] for m in body["models"])
    alias = bank.cli("ai", "forecast", "--country", "KAZ", "--horizon", "2", "--json")
    assert alias.exit_code == 0 and json.loads(alias.stdout) == body


def test_the_analytics_command_explains_its_inputs_and_outputs_and_refuses_a_short_horizon(bank):
    text = bank.cli("analytics", "forecast", "--help").stdout
    assert "WDI/IMF" in text and "80% and 95% intervals" in text and "MASE" in text
    bad = bank.cli("analytics", "forecast", "--country", "KAZ", "--horizon", "0")
    assert bad.exit_code != 0 and "horizon must be 1 to 20 years, got 0" in bad.stderr
    missing = bank.cli("analytics", "forecast", "--country", "XXX")
    assert missing.exit_code == 3 and "no exports_goods_bop for XXX" in missing.stderr


def test_the_analytics_route_and_its_ai_alias_give_the_same_forecast(bank):
    from scobank.api.app import create_app

    client = TestClient(create_app())
    params = {"country": "CHN", "indicator": "imports_goods_bop", "horizon": 3}
    body = client.get("/api/v1/analytics/forecast", params=params).json()
    assert body["horizon"] == 3 and body["levels"] == [80, 95] and len(body["models"]) == 4
    assert body["years"][-1] >= 2024 and all(v > 0 for v in body["values"])
    assert client.get("/api/v1/ai/forecast", params=params).json() == body
    missing = client.get("/api/v1/analytics/forecast", params={"country": "XXX"})
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"
