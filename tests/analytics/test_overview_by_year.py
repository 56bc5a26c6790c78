"""The overview of a dataset in the bank is aggregated one year at a time (each year's rows read on their
own, so the engine's hash tables hold one year's groups: the 200M-row panel ran DuckDB out of its 2 GB
cap as one aggregate) and stacked in one engine query, with the numbers of the all-years aggregate."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from scobank.access.reader import OPERATOR
from scobank.analytics import service
from scobank.analytics.bloc import blocs_for
from scobank.analytics.cache import PANEL_FACTS
from scobank.analytics.execution import run
from scobank.analytics.inputs import use_panel
from scobank.analytics.overview import country_overview
from scobank.analytics.panel import BILATERAL_COLUMNS
from scobank.analytics.substitution import bloc_table
from test_engine_analytics import BACI_2020, publish
from test_engine_round_trips import queries  # noqa: F401 (the fixture: the engine's queries, counted)

ROWS, YEARS = 2000, (2018, 2019, 2020)


@pytest.fixture
def baci_years(bank, data_dir, tmp_path) -> str:
    """2,000 rows of the real BACI 2020 sample as three years (2018 and 2019: its flows, values x 0.8, x 1.1)."""
    raw = pacsv.read_csv(data_dir / BACI_2020).slice(0, ROWS)
    parts = [raw.set_column(0, "t", pa.array([year] * ROWS, raw.schema.field("t").type))
             .set_column(4, "v", pc.multiply(raw["v"], factor)) for year, factor in zip(YEARS, (0.8, 1.1, 1.0), strict=True)]
    pacsv.write_csv(pa.concat_tables(parts), tmp_path / "baci_hs17_2018_2020.csv")
    return publish(bank, tmp_path / "baci_hs17_2018_2020.csv", "baci-years", "trade")


def test_each_years_expression_reads_that_year_only(bank, baci_years):
    with bank.session() as session:
        panel = use_panel(session, slug=baci_years, reader=OPERATOR, columns=BILATERAL_COLUMNS, analysis="overview")
        counted = [run(part.group_by("year").aggregate(rows=part.count())).to_pylist() for part in panel.year_exprs()]
    assert sum(r["rows"] for rows in counted for r in rows) == panel.facts().rows > 3 * 1900
    assert [[r["year"] for r in rows] for rows in counted] == [[y] for y in YEARS]


def test_the_overview_by_year_is_the_all_years_aggregate_in_the_same_two_queries(bank, baci_years, queries):  # noqa: F811
    PANEL_FACTS.clear()
    with bank.session() as session:
        result = service.overview(session, reader=OPERATOR, dataset=baci_years, limit=100_000)
        assert len(queries) == 2, queries  # the facts, then the overview: years stacked in one query
        panel = use_panel(session, slug=baci_years, reader=OPERATOR, columns=BILATERAL_COLUMNS, analysis="overview")
        blocs = bloc_table(blocs_for(session, years=list(YEARS)))
        whole = run(country_overview(panel.expr(), blocs)).to_pylist()
    got = {(r["year"], r["country"]): r for r in result.tables["country"].rows}
    assert len(got) == len(whole) == result.tables["country"].rows_total
    assert {year for year, _ in got} == set(YEARS)
    afg_2020 = got[(2020, "AFG")]  # the 2,000 rows are Afghanistan's exports
    assert afg_2020["exports_cagr"] == pytest.approx((1.0 / 0.8) ** 0.5 - 1, rel=1e-9)  # every flow x 1.25
    assert got[(2019, "AFG")]["world_export_share"] == 1.0
    for row in whole:
        mine = got[(row["year"], row["country"])]
        for column, value in row.items():
            if mine[column] is None and column in service.EXPORT_COLUMNS:
                continue  # a country that exports nothing in the dataset: its exports are unknown (service)
            if isinstance(value, float):
                assert mine[column] == pytest.approx(value, rel=1e-9, abs=1e-12), (column, row)
            else:
                assert mine[column] == value, (column, row)


def test_the_overview_command_on_a_dataset_reads_it_year_by_year(bank, baci_years, tmp_path):
    """`scobank analytics overview --dataset`: the three tables, each year's rows aggregated on their own."""
    import pyarrow.parquet as pq

    result = bank.cli("analytics", "overview", "--dataset", baci_years, "--out", tmp_path / "ov")
    assert result.exit_code == 0, result.stderr
    country = pq.read_table(tmp_path / "ov" / "country.parquet").to_pylist()
    afg = {r["year"]: r for r in country if r["country"] == "AFG"}
    assert sorted(afg) == list(YEARS) and afg[2020]["exports_cagr"] == pytest.approx((1.0 / 0.8) ** 0.5 - 1, rel=1e-9)
    product = pq.read_table(tmp_path / "ov" / "product.parquet").to_pandas()
    assert set(product.year) == set(YEARS)
    shares = product[product.exports > 0].groupby(["year", "product"]).market_share.sum()
    assert shares.to_numpy() == pytest.approx(1.0, rel=1e-9)  # each year's exporters of a product hold all of it
    partner = pq.read_table(tmp_path / "ov" / "partner.parquet").to_pandas()
    by_year = partner[partner.country == "AFG"].groupby("year").exports.sum()
    assert by_year[2019] == pytest.approx(by_year[2020] * 1.1, rel=1e-9)


def test_a_panel_larger_than_one_query_is_summed_in_batches_of_years(bank, baci_years, queries, monkeypatch):  # noqa: F811
    """Past OVERVIEW_ROWS_PER_QUERY rows the years' sums run in batches (one engine query each) and the
    per-country table is finished in one more: the same rows as the one-query overview."""
    PANEL_FACTS.clear()
    with bank.session() as session:
        one = service.overview(session, reader=OPERATOR, dataset=baci_years, limit=100_000)
        queries.clear()
        monkeypatch.setattr(service, "OVERVIEW_ROWS_PER_QUERY", 4_000)  # 2 years of ~2,000 rows a query
        batched = service.overview(session, reader=OPERATOR, dataset=baci_years, limit=100_000)
    assert len(queries) == 3, queries  # facts known: 2018-2019, then 2020, then the finishing step
    assert batched.tables["country"].rows_total == one.tables["country"].rows_total > 300
    want = {(r["year"], r["country"]): r for r in one.tables["country"].rows}
    for row in batched.tables["country"].rows:
        for column, value in row.items():
            mine = want[(row["year"], row["country"])][column]
            assert value == (pytest.approx(mine, rel=1e-9, abs=1e-12) if isinstance(mine, float) else mine), column
