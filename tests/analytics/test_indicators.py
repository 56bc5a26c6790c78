"""Bilateral indicators (WITS definitions) and the trade overview, on hand-worked and real flows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from conftest import baci_flows
from scobank.analytics.execution import run, table_of
from scobank.analytics.indicators import complementarity_table, export_hhi, grubel_lloyd
from scobank.analytics.overview import country_overview, partner_overview, product_overview
from scobank.analytics.substitution import bloc_table

# Three countries, two products, one year (USD).
HAND = [(2023, "A", "B", "p1", 60.0), (2023, "A", "C", "p2", 40.0), (2023, "B", "A", "p1", 10.0),
        (2023, "B", "C", "p2", 30.0), (2023, "C", "A", "p2", 50.0), (2023, "C", "B", "p1", 20.0)]


def flows(rows) -> pa.Table:
    cols = ("year", "exporter", "importer", "product", "value")
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})


def test_complementarity_intensity_and_similarity_by_hand():
    got = {(r["exporter"], r["importer"]): r for r in run(complementarity_table(table_of(flows(HAND)))).to_pylist()}
    a_b = got[("A", "B")]
    # A exports p1 60%, p2 40%; B imports only p1 (60 from A, 20 from C): TC = 100 (1 - (0.4 + 0.4) / 2) = 60.
    assert a_b["trade_complementarity"] == pytest.approx(60)
    # A sells 60 of its 100 to B; B buys 80 of the world's 210: TII = 0.6 / (80/210) = 1.575.
    assert a_b["trade_intensity"] == pytest.approx(1.575)
    # A exports (0.6, 0.4), B exports (0.25, 0.75): ES = 100 (0.25 + 0.4) = 65.
    assert a_b["export_similarity"] == pytest.approx(65)
    assert got[("B", "A")]["export_similarity"] == pytest.approx(65)
    assert len(got) == 6  # every ordered pair, never a country with itself


def test_grubel_lloyd_and_hhi_by_hand():
    gl = {r["country"]: r["grubel_lloyd"] for r in run(grubel_lloyd(table_of(flows(HAND)))).to_pylist()}
    # A: p1 X 60 M 10, p2 X 40 M 50 -> (70 - 50 + 90 - 10) / 160 = 0.625
    assert gl["A"] == pytest.approx(0.625)
    hhi = {r["country"]: r["hhi"] for r in run(export_hhi(table_of(flows(HAND)), over="importer")).to_pylist()}
    assert hhi["A"] == pytest.approx(0.6**2 + 0.4**2)


def test_real_south_african_export_concentration_over_products(bank, data_dir):
    with bank.session() as session:
        baci = baci_flows(data_dir, session)
    hhi = {r["country"]: r["hhi"] for r in run(export_hhi(table_of(baci), over="product")).to_pylist()}
    zaf = baci.filter(pc.equal(baci["exporter"], "ZAF")).group_by("product").aggregate([("value", "sum")])
    shares = zaf["value_sum"].to_numpy() / zaf["value_sum"].to_numpy().sum()
    assert hhi["ZAF"] == pytest.approx(float(np.sum(shares**2)), rel=1e-9)
    assert 0 < hhi["ZAF"] < hhi["AFG"]  # South Africa is more diversified than Afghanistan


def test_overview_balance_growth_and_intra_bloc_share():
    rows = [(2022, "CHN", "IRN", "p1", 60.0), (2022, "CHN", "RUS", "p2", 40.0), (2022, "USA", "CHN", "p2", 30.0),
            (2024, "CHN", "IRN", "p1", 120.0), (2024, "CHN", "RUS", "p2", 40.0), (2024, "USA", "CHN", "p2", 30.0)]
    blocs = bloc_table({2022: ["CHN", "RUS"], 2024: ["CHN", "IRN", "RUS"]})
    got = {(r["year"], r["country"]): r for r in run(country_overview(table_of(flows(rows)), blocs)).to_pylist()}
    china_22, china_24 = got[(2022, "CHN")], got[(2024, "CHN")]
    assert (china_22["exports"], china_22["imports"], china_22["balance"]) == (100, 30, 70)
    assert china_22["intra_bloc_export_share"] == pytest.approx(0.4)  # IRN is not yet a member in 2022
    assert china_24["intra_bloc_export_share"] == pytest.approx(1.0)
    assert china_24["exports_cagr"] == pytest.approx((160 / 100) ** 0.5 - 1)
    assert china_22["exports_cagr"] is None and china_24["world_export_share"] == pytest.approx(160 / 190)
    partner = run(partner_overview(table_of(flows(rows)), countries=["CHN"])).to_pylist()
    assert {(r["year"], r["partner"], r["balance"]) for r in partner} >= {(2022, "USA", -30.0), (2024, "IRN", 120.0)}
    product = {(r["year"], r["country"], r["product"]): r for r in run(product_overview(table_of(flows(rows)))).to_pylist()}
    assert product[(2022, "CHN", "p2")]["market_share"] == pytest.approx(40 / 70)


def test_overview_one_year_at_a_time_gives_the_all_years_numbers(bank, data_dir):
    """The real BACI sample as three years (2020 as shipped, 2021 and 2022 its flows scaled, a bloc that
    changes): aggregated one year at a time (what the service asks, to stay within the engine's memory
    cap) the overview has every row and number of the all-years aggregate, CAGR included."""
    with bank.session() as session:
        years = [baci_flows(data_dir, session, year=y) for y in (2020, 2021, 2022)]
    years = [t.set_column(4, "value", pc.multiply(t["value"], f)) for t, f in zip(years, (1.0, 1.3, 0.7), strict=True)]
    panel = table_of(pa.concat_tables(years))
    blocs = bloc_table({2020: ["AFG", "IND"], 2021: ["AFG", "IND", "ZAF"], 2022: ["IND"]})
    whole = run(country_overview(panel, blocs)).to_pandas().sort_values(["year", "country"]).reset_index(drop=True)
    split = run(country_overview([panel.filter(panel.year == y) for y in (2020, 2021, 2022)], blocs)).to_pandas() \
        .sort_values(["year", "country"]).reset_index(drop=True)
    assert len(split) == len(whole) > 300 and set(split.year) == {2020, 2021, 2022}
    assert split.imports_cagr.notna().sum() > 300  # AFG's and ZAF's partners: growth across the years
    for column in whole.columns:
        if whole[column].dtype.kind == "f":
            assert split[column].to_numpy() == pytest.approx(whole[column].to_numpy(), rel=1e-9, nan_ok=True), column
        else:
            assert list(split[column]) == list(whole[column])


def test_complementarity_and_overview_commands(bank, tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(flows([(2023, "CHN", "RUS", "p1", 5.0), (2023, "RUS", "CHN", "p2", 7.0),
                          (2023, "KAZ", "CHN", "p1", 2.0), (2023, "USA", "KAZ", "p2", 1.0)]), tmp_path / "f.parquet")
    result = bank.cli("analytics", "complementarity", tmp_path / "f.parquet", "--out", tmp_path / "c.parquet")
    assert result.exit_code == 0, result.stderr
    pairs = pq.read_table(tmp_path / "c.parquet")
    assert pairs.column_names == ["year", "exporter", "importer", "trade_complementarity", "trade_intensity",
                                  "export_similarity"]
    assert "USA" not in pairs["exporter"].to_pylist()  # default: bloc members only
    result = bank.cli("analytics", "overview", tmp_path / "f.parquet", "--out", tmp_path / "ov")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "ov").iterdir()) == ["country.parquet", "partner.parquet", "product.parquet"]
    help_text = bank.cli("analytics", "complementarity", "--help").stdout
    assert "trade_complementarity" in help_text and "export_similarity" in help_text
