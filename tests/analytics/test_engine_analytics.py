"""The analyses over a dataset in the bank are computed on the configured engine (SCOBANK_ENGINE) and give
the same numbers on DuckDB and on Spark (local): the same service calls, the panel an expression over the
engine's own table of the version, the gate passed and the ledger written on each.

Small real inputs (Spark is slow to start): 3,000 rows of the BACI HS17 2020 sample, and the SITC2
1998-2000 exports of fruit and vegetables (group 05: 221 countries x 22 products). Each analysis runs
once per engine. A real gap of an engine would be a strict xfail raising EngineUnsupported (as Ibis's
`notimpl` marks); these analyses have none on Spark 4.0 with Ibis 12.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from sqlalchemy import select

from conftest import SITC
from scobank.access.models import LedgerEntry
from scobank.access.reader import OPERATOR
from scobank.analytics import service
from scobank.analytics.cache import PANEL_FACTS
from scobank.analytics.inputs import use_panel
from scobank.analytics.panel import BILATERAL_COLUMNS

pytestmark = pytest.mark.spark

ENGINES = ("duckdb", "spark")
BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
ROWS = 3000
PAIRS = ["AFG", "ZAF", "CHN", "IND", "RUS", "USA"]


@pytest.fixture
def on_engine(bank, monkeypatch):
    """Switch SCOBANK_ENGINE; no result or panel facts kept between engines (each computes its own)."""
    from scobank.config import reset_settings

    monkeypatch.setenv("SCOBANK_ANALYTICS_CACHE_SIZE", "0")
    monkeypatch.setenv("SCOBANK_ANALYTICS_CACHE_DISK", "false")

    def use(name: str) -> None:
        monkeypatch.setenv("SCOBANK_ENGINE", name)
        reset_settings()
        PANEL_FACTS.clear()

    yield use
    PANEL_FACTS.clear()


def publish(bank, path, slug: str, kind: str) -> str:
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code in (0, 7)
    result = bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", kind)
    assert result.exit_code == 0, result.stderr
    return slug


@pytest.fixture
def baci(bank, data_dir, tmp_path) -> str:
    raw = pacsv.read_csv(data_dir / BACI_2020)
    pacsv.write_csv(raw.slice(0, ROWS), tmp_path / "baci_hs17_2020_3000.csv")
    return publish(bank, tmp_path / "baci_hs17_2020_3000.csv", "baci-small", "trade")


@pytest.fixture
def sitc_fruit(bank, data_dir, tmp_path) -> str:
    raw = pacsv.read_csv(data_dir / SITC, convert_options=pacsv.ConvertOptions(
        column_types={"country": pa.string(), "product": pa.string()}))
    fruit = raw.filter(pc.starts_with(raw["product"], "05"))
    table = pa.table({"year": pa.array([2000] * fruit.num_rows, pa.int64()), "exporter": fruit["country"],
                      "product": fruit["product"], "value": fruit["value"]})
    pacsv.write_csv(table, tmp_path / "sitc2_05_2000.csv")
    return publish(bank, tmp_path / "sitc2_05_2000.csv", "sitc-fruit", "table")


def each_engine(bank, on_engine, call) -> dict:
    """{engine: call(session)} with SCOBANK_ENGINE set to each engine in turn."""
    results = {}
    for name in ENGINES:
        on_engine(name)
        with bank.session() as session:
            results[name] = call(session)
            session.commit()
    return results


def same_rows(duck: list[dict], spark: list[dict], keys: list[str]) -> None:
    """The same rows (by `keys`), floats equal to 1e-9, everything else exactly."""
    assert len(duck) == len(spark) > 0
    by_key = {tuple(r[k] for k in keys): r for r in spark}
    for row in duck:
        other = by_key[tuple(row[k] for k in keys)]
        for column, value in row.items():
            if isinstance(value, float):
                assert other[column] == pytest.approx(value, rel=1e-9, abs=1e-12), (column, row)
            else:
                assert other[column] == value, (column, row)


def test_the_panel_is_an_expression_on_the_configured_engine_counted_there(bank, on_engine, baci):
    """The rows the ledger records are counted on the engine; the expression's backend is the engine's."""
    def backend_and_rows(session):
        panel = use_panel(session, slug=baci, reader=OPERATOR, columns=BILATERAL_COLUMNS, analysis="overview")
        return panel.expr()._find_backend().name, panel.facts().rows, panel.facts().years

    seen = each_engine(bank, on_engine, backend_and_rows)
    assert seen["duckdb"] == ("duckdb", ROWS, (2020,))
    assert seen["spark"] == ("pyspark", ROWS, (2020,))
    with bank.session() as session:
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.action == "analytics")).all()
    assert [(e.rows, e.cells) for e in entries] == [(ROWS, ROWS * 5)] * 2


def test_overview_and_complementarity_give_the_same_numbers_on_both_engines(bank, on_engine, baci, data_dir):
    def both(session):
        over = service.overview(session, reader=OPERATOR, dataset=baci, limit=100_000)
        pairs = service.complementarity(session, reader=OPERATOR, dataset=baci, countries=PAIRS, limit=100_000)
        return over, pairs

    got = each_engine(bank, on_engine, both)
    (duck_over, duck_pairs), (spark_over, spark_pairs) = got["duckdb"], got["spark"]
    same_rows(duck_over.tables["country"].rows, spark_over.tables["country"].rows, ["year", "country"])
    same_rows(duck_pairs.tables["pairs"].rows, spark_pairs.tables["pairs"].rows, ["year", "exporter", "importer"])
    assert duck_over.parameters == spark_over.parameters
    # the sample holds AFG's and ZAF's exports only: ZAF imports what AFG sells it (thousand USD -> USD)
    raw = pacsv.read_csv(data_dir / BACI_2020).slice(0, ROWS).to_pandas()
    afg_to_zaf = raw[(raw.i == 4) & (raw.j == 710)].v.sum() * 1000
    zaf = next(r for r in spark_over.tables["country"].rows if r["country"] == "ZAF")
    assert zaf["imports"] == pytest.approx(afg_to_zaf, rel=1e-9) and zaf["exports"] > 1000 * zaf["imports"] > 0


def test_allocated_substitution_gives_the_same_numbers_on_both_engines(bank, on_engine, baci):
    got = each_engine(bank, on_engine, lambda session: service.substitution(
        session, reader=OPERATOR, dataset=baci, products="all", limit=100_000))
    duck, spark = got["duckdb"], got["spark"]
    same_rows(duck.tables["substitution"].rows, spark.tables["substitution"].rows, ["year", "importer", "product"])
    assert [t["allocated_value"] for t in spark.parameters["bloc_totals"]] == pytest.approx(
        [t["allocated_value"] for t in duck.parameters["bloc_totals"]], rel=1e-9)
    assert sum(r["extra_bloc_imports"] for r in spark.tables["substitution"].rows) > 0


def test_complexity_is_fed_the_same_country_product_totals_on_both_engines(bank, on_engine, sitc_fruit):
    got = each_engine(bank, on_engine, lambda session: service.complexity(
        session, reader=OPERATOR, dataset=sitc_fruit, country_set="all", limit=1000))
    duck, spark = got["duckdb"], got["spark"]
    assert duck.tables["country"].rows_total == spark.tables["country"].rows_total == 221
    assert duck.tables["product"].rows_total == spark.tables["product"].rows_total == 22
    same_rows(duck.tables["country"].rows, spark.tables["country"].rows, ["exporter"])
    same_rows(duck.tables["product"].rows, spark.tables["product"].rows, ["product"])


def test_the_cli_engine_option_overrides_the_configured_engine(bank, on_engine, baci, tmp_path):
    """`--engine spark` with SCOBANK_ENGINE=duckdb: the dataset's panel is taken on Spark, same numbers."""
    import pyarrow.parquet as pq

    on_engine("duckdb")
    for name in ENGINES:
        result = bank.cli("analytics", "complementarity", "--dataset", baci, "--countries", ",".join(PAIRS),
                          "--engine", name, "--out", tmp_path / f"{name}.parquet")
        assert result.exit_code == 0, result.stderr
    duck, spark = (pq.read_table(tmp_path / f"{name}.parquet").to_pylist() for name in ENGINES)
    same_rows(duck, spark, ["year", "exporter", "importer"])
