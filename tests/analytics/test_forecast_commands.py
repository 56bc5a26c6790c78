"""Forecasts are an analysis: `scobank analytics forecast` and GET /api/v1/analytics/forecast, with the
`ai` command and route kept as aliases of the same function (same numbers)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select


@pytest.fixture
def macro(bank, data_dir) -> None:
    """The WDI and IMF macro tables published as `make demo` publishes them (the forecasts' inputs),
    open to everyone as the demo opens its public data."""
    from scobank.access import policies
    from scobank.catalog.models import Dataset
    from scobank.catalog.refs import ref_of
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        for slug in ("wdi-macro-1960-2024", "imf-weo-macro-1980-2024"):
            publish_one(session, slug, data_dir=data_dir)
            dataset = session.scalar(select(Dataset).where(Dataset.slug == slug))
            policies.set_dataset_policy(session, dataset=ref_of(session, dataset), document={"audience": "public"}, actor="tests")


def forecast_entries(bank) -> list[tuple[str, str, str, int]]:
    """(dataset slug, purpose, analysis, rows) of each analytics ledger entry."""
    import json

    from scobank.access.models import LedgerEntry
    from scobank.catalog.models import Dataset

    with bank.session() as session:
        rows = session.execute(select(Dataset.slug, LedgerEntry.purpose, LedgerEntry.detail, LedgerEntry.rows)
                               .join(Dataset, Dataset.id == LedgerEntry.dataset_id)
                               .where(LedgerEntry.action == "analytics").order_by(LedgerEntry.seq)).all()
    return [(slug, purpose, json.loads(detail)["analysis"], n) for slug, purpose, detail, n in rows]


def test_the_analytics_command_forecasts_kazakhstans_exports_and_the_ai_command_is_its_alias(bank, macro):
    result = bank.cli("analytics", "forecast", "--country", "kaz", "--horizon", "2", "--json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    best = next(m for m in body["models"] if m["model"] == body["best_model"])
    assert [p["year"] for p in best["points"]] == [body["years"][-1] + 1, body["years"][-1] + 2]
    low95, high95 = best["points"][0]["intervals"]["95"]
    low80, high80 = best["points"][0]["intervals"]["80"]
    assert low95 <= low80 <= best["points"][0]["mean"] <= high80 <= high95  # nested intervals
    naive = next(m for m in body["models"] if m["model"] == "Naive")
    # Kazakhstan's goods exports: no model beats the naive forecast in the backtest, and the result says so
    assert body["beats_naive"] is False and body["best_model"] == "Naive"
    fitted = [m for m in body["models"] if m["model"] in ("AutoETS", "AutoARIMA")]
    assert fitted and all(m["backtest"]["mase"] >= 0.99 * naive["backtest"]["mase"] for m in fitted)
    assert body["verdict"].startswith("no fitted model beats the naive forecast in the backtest by 1%")
    assert best["points"][0]["mean"] == body["values"][-1]  # naive: next year = the last year, with its interval
    alias = bank.cli("ai", "forecast", "--country", "KAZ", "--horizon", "2", "--json")
    assert alias.exit_code == 0 and json.loads(alias.stdout) == body
    entries = forecast_entries(bank)  # one ledger entry per forecast, for statistics, rows of KAZ only
    assert len(entries) == 2 and entries[0] == entries[1]
    slug, purpose, analysis, rows = entries[0]
    assert (slug, purpose, analysis) == ("wdi-macro-1960-2024", "statistics", "forecast")
    assert len(body["years"]) <= rows <= 2024 - 1960 + 1
    text = bank.cli("analytics", "forecast", "--country", "KAZ", "--horizon", "2")
    assert "shown: Naive (no fitted model beats the naive forecast in the backtest" in text.stdout


def test_the_forecast_reads_the_imf_table_when_asked_and_names_a_dataset_that_is_not_there(bank, macro):
    imf = bank.cli("analytics", "forecast", "--country", "KAZ", "--indicator", "gdp", "--horizon", "2",
                   "--dataset", "imf-weo-macro-1980-2024", "--json")
    assert imf.exit_code == 0, imf.stderr
    years = json.loads(imf.stdout)["years"]
    assert years[0] >= 1980 and years[-1] >= 2024  # the IMF table starts in 1980 and has projections
    assert forecast_entries(bank)[-1][:3] == ("imf-weo-macro-1980-2024", "statistics", "forecast")
    unknown = bank.cli("analytics", "forecast", "--country", "KAZ", "--dataset", "no-such-table")
    assert unknown.exit_code == 3 and "no-such-table" in unknown.stderr


def test_the_analytics_command_explains_its_inputs_and_outputs_and_refuses_a_short_horizon(bank, macro):
    text = " ".join(bank.cli("analytics", "forecast", "--help").stdout.replace("│", " ").split())  # unwrapped
    assert "WDI/IMF" in text and "access gate" in text and "80% and 95% intervals" in text and "MASE" in text
    bad = bank.cli("analytics", "forecast", "--country", "KAZ", "--horizon", "0")
    assert bad.exit_code != 0 and "horizon must be 1 to 20 years, got 0" in bad.stderr
    missing = bank.cli("analytics", "forecast", "--country", "XXX")
    assert missing.exit_code == 3 and "no exports_goods_bop for XXX in wdi-macro-1960-2024 v1" in missing.stderr


def test_the_analytics_route_and_its_ai_alias_give_the_same_forecast(bank, macro):
    from scobank.api.app import create_app

    client = TestClient(create_app())
    params = {"country": "CHN", "indicator": "imports_goods_bop", "horizon": 3}
    body = client.get("/api/v1/analytics/forecast", params=params).json()
    assert body["horizon"] == 3 and body["levels"] == [80, 95] and len(body["models"]) == 4
    assert body["years"][-1] >= 2024 and all(v > 0 for v in body["values"])
    assert client.get("/api/v1/ai/forecast", params=params).json() == body
    missing = client.get("/api/v1/analytics/forecast", params={"country": "XXX"})
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"
