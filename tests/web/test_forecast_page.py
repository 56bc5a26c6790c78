"""A member's forecast page over the WDI macro table: every model backtested against the naive forecast;
where none beats it (Kazakhstan's goods exports) the page says so and shows the naive forecast."""

from __future__ import annotations

import json
import re

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

WDI = "wdi-macro-1960-2024"
pytestmark = pytest.mark.open_demo(WDI, read_only=True)


def test_kazakhstans_goods_exports_forecast_admits_it_is_no_better_than_naive(client, data_dir):
    raw = pq.read_table(data_dir / "macro-wdi-imf/atlas_wdi_data.parquet", columns=["iso3_code", "year",
                                                                                    "exports_goods_bop"])
    kaz = raw.filter(pc.and_(pc.equal(raw["iso3_code"], "KAZ"), pc.is_valid(raw["exports_goods_bop"])))
    last_year = pc.max(kaz["year"]).as_py()
    last = kaz.filter(pc.equal(kaz["year"], last_year))["exports_goods_bop"][0].as_py()
    page = client.get("/members/KAZ/forecast?lang=en")
    assert page.status_code == 200, page.text
    text = page.text
    assert 'id="verdict" data-beats-naive="false"' in text
    assert "No fitted model forecasts this series better than the naive forecast (next year = this year)" in text
    assert "is not beaten by 1%." in text  # a literal percent, not a format code
    points = re.findall(r'<tr><td>(\d{4})</td><td class="num" data-value="([^"]+)">', text.split('id="forecast-points"')[1])
    assert [int(y) for y, _ in points] == list(range(last_year + 1, last_year + 6))
    assert all(float(v) == pytest.approx(last) for _, v in points)  # naive: next year = this year
    backtest = text.split('id="backtest"', 1)[1].split("</table>", 1)[0]
    assert {"AutoETS", "AutoARIMA", "Naive", "RandomWalkWithDrift"} <= set(re.findall(r"<tr><td>(\w+)</td>", backtest))
    chart = json.loads(re.search(r'<script type="application/json" class="chart-data">(.*?)</script>',
                                 text.split('aria-labelledby="forecast-cap"', 1)[1], re.S).group(1))
    assert [s["name"] for s in chart["series"]] == ["history", "Naive", "Naive 80%", "Naive 80%"]
    api = client.get("/api/v1/analytics/forecast", params={"country": "KAZ", "dataset": WDI}).json()
    assert api["beats_naive"] is False and api["best_model"] == "Naive"
    ru = client.get("/members/KAZ/forecast?lang=ru").text
    assert "Ни одна подобранная модель не прогнозирует этот ряд лучше наивного прогноза" in ru


def test_a_horizon_out_of_range_is_refused_and_an_unknown_series_named(client):
    assert client.get("/members/KAZ/forecast?horizon=50&lang=en").status_code == 422
    page = client.get("/members/KAZ/forecast?indicator=steel&lang=en")
    assert page.status_code == 404 and "unknown indicator" in page.text
