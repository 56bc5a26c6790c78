"""The analyses over a dataset in the bank are computed on the configured engine (SCOBANK_ENGINE) and give
the same numbers on DuckDB and on Spark (local): the same service calls, the panel an expression over the
engine's own table of the version, the gate passed and the ledger written on each.

Small real inputs (Spark is slow to start): 3,000 rows of the BACI HS17 2020 sample, the SITC2
1998-2000 exports of fruit and vegetables (group 05: 221 countries x 22 products), and the OECD ICIO 2022
intermediate flows (271,801 rows: opportunities and dependency, where six members export). Each analysis
runs once per engine. A real gap of an engine would be a strict xfail raising EngineUnsupported (as Ibis's
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


def same_rows(duck: list[dict], spark: list[dict], keys: list[str], *, rel: float = 1e-9) -> None:
    """The same rows (by `keys`), floats equal to `rel` (also inside lists of structs), the rest exactly."""
    assert len(duck) == len(spark) > 0
    by_key = {tuple(r[k] for k in keys): r for r in spark}
    assert len(by_key) == len(spark)
    for row in duck:
        other = by_key[tuple(row[k] for k in keys)]
        for column, value in row.items():
            assert _same(other[column], value, rel), (column, row)


def _same(got, want, rel: float) -> bool:
    if isinstance(want, float):
        return got == pytest.approx(want, rel=rel, abs=1e-12)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(_same(g, w, rel) for g, w in zip(got, want, strict=True))
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(_same(got[k], w, rel) for k, w in want.items())
    return got == want


def test_the_panel_is_an_expression_on_the_configured_engine_counted_there(bank, on_engine, baci):
    """The rows the ledger records are counted on the engine; the expression's backend is the engine's.
    The same query finds the exporters the notices name (the sample holds AFG's and ZAF's exports)."""
    def backend_and_rows(session):
        panel = use_panel(session, slug=baci, reader=OPERATOR, columns=BILATERAL_COLUMNS, analysis="overview")
        facts = panel.facts()
        return panel.expr()._find_backend().name, facts.rows, facts.years, facts.exporters

    seen = each_engine(bank, on_engine, backend_and_rows)
    assert seen["duckdb"] == ("duckdb", ROWS, (2020,), ("AFG", "ZAF"))
    assert seen["spark"] == ("pyspark", ROWS, (2020,), ("AFG", "ZAF"))
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


@pytest.fixture
def icio(bank, data_dir) -> str:
    """The ICIO flows published as `make demo` publishes them."""
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        assert "271,801 rows" in publish_one(session, ICIO, data_dir=data_dir)
    return ICIO


ICIO = "oecd-icio-2022-intermediate-flows"


def icio_analyses(session) -> tuple:
    """Opportunities (bloc of 2024, every product) and dependency (every sector) over the ICIO flows."""
    return (service.opportunity_table(session, reader=OPERATOR, dataset=ICIO, bloc_year=2024, products="all",
                                      limit=100_000),
            service.dependency(session, reader=OPERATOR, dataset=ICIO, products="all", limit=100_000))


def same_icio_analyses(got: dict) -> None:
    """Opportunities and dependency equal on both engines, each to 1e-10; figures a user would check."""
    (duck_opp, duck_dep), (spark_opp, spark_dep) = got["duckdb"], got["spark"]
    assert duck_opp.parameters == spark_opp.parameters and duck_dep.parameters == spark_dep.parameters
    rows = spark_opp.tables["opportunities"].rows
    same_rows(duck_opp.tables["opportunities"].rows, rows, ["year", "member", "product"], rel=1e-10)
    assert {r["member"] for r in rows} == {"BLR", "CHN", "IND", "KAZ", "PAK", "RUS"}
    h52 = next(r for r in rows if (r["member"], r["product"]) == ("KAZ", "H52"))
    assert h52["rca"] == pytest.approx(0.77606, abs=1e-5) and h52["attractiveness"] == pytest.approx(19_195.1039)
    deps = spark_dep.tables["dependency"].rows
    same_rows(duck_dep.tables["dependency"].rows, deps, ["member", "sector"], rel=1e-10)
    chemicals = next(r for r in deps if (r["member"], r["sector"]) == ("RUS", "C20"))
    assert chemicals["top_outside_suppliers"][0]["supplier"] == "DEU" and chemicals["from_outside"] > 0
    assert spark_dep.parameters["bloc_totals"]["allocated_value"] == pytest.approx(
        duck_dep.parameters["bloc_totals"]["allocated_value"], rel=1e-10)


def test_opportunities_and_dependency_give_the_same_numbers_on_both_engines(bank, on_engine, icio):
    """Only the country-product totals and the bloc's imports (opportunities) and the member x sector rows
    (dependency) come back from the engine; the numbers are DuckDB's."""
    same_icio_analyses(each_engine(bank, on_engine, icio_analyses))


def conversions(session, dataset: str) -> tuple:
    """Afghanistan's exports to India in HS 2022 codes and in rupees, and the first page of every flow in yuan
(every flow has no HS 2022 codes: HS17 271000 has no concordance weight, and is refused as before)."""
    return (service.conversion(session, reader=OPERATOR, dataset=dataset, hs_from="HS17", hs_to="HS22",
                               exporter="afg", importer="IND", limit=100_000),
            service.conversion(session, reader=OPERATOR, dataset=dataset, currency="inr", exporter="AFG",
                               importer="IND", limit=100_000),
            service.conversion(session, reader=OPERATOR, dataset=dataset, currency="CNY", limit=25))


def same_conversions(got: dict, data_dir) -> None:
    (duck_hs, duck_inr, duck_page), (spark_hs, spark_inr, spark_page) = got["duckdb"], got["spark"]
    raw = pacsv.read_csv(data_dir / BACI_2020).slice(0, ROWS).to_pandas()
    afg_ind = raw[(raw.i == 4) & (raw.j == 699)].v.sum() * 1000  # BACI codes: 4 Afghanistan, 699 India
    hs22 = spark_hs.tables["flows"].rows
    same_rows(duck_hs.tables["flows"].rows, hs22, ["year", "exporter", "importer", "product"], rel=1e-10)
    assert sum(r["value"] for r in hs22) == pytest.approx(afg_ind, rel=1e-9) and afg_ind > 0
    assert {len(r["product"]) for r in hs22} == {6}
    same_rows(duck_inr.tables["flows"].rows, spark_inr.tables["flows"].rows,
              ["year", "exporter", "importer", "product"], rel=1e-10)
    assert spark_inr.parameters == duck_inr.parameters and spark_inr.parameters["unit"] == "INR"
    (rate,) = spark_inr.parameters["rates"]
    assert sum(r["value"] for r in spark_inr.tables["flows"].rows) == pytest.approx(afg_ind * rate["rate_per_usd"],
                                                                                   rel=1e-9)
    # a page of 25 of every flow, in the same order on both engines, with the count of all rows
    assert spark_page.tables["flows"].rows_total == duck_page.tables["flows"].rows_total > 25
    keys = [[(r["exporter"], r["importer"], r["product"]) for r in page.tables["flows"].rows]
            for page in (duck_page, spark_page)]
    assert keys[0] == keys[1] and len(keys[0]) == 25
    assert [r["value"] for r in spark_page.tables["flows"].rows] == pytest.approx(
        [r["value"] for r in duck_page.tables["flows"].rows], rel=1e-10)


def test_conversions_give_the_same_rows_on_both_engines(bank, on_engine, baci, data_dir):
    """The concordance weights and the rates are joined on the engine; a page and a count come back."""
    same_conversions(each_engine(bank, on_engine, lambda session: conversions(session, baci)), data_dir)
    refused = each_engine(bank, on_engine, lambda session: refusal(session, baci))
    assert refused["duckdb"] == refused["spark"]
    assert refused["spark"].startswith("1 product code(s) have no HS17 concordance weights: 271000")


def refusal(session, dataset: str) -> str:
    """The message refusing every flow in HS 2022 codes (a code without weights), found on the engine."""
    from scobank.errors import BadRequest

    with pytest.raises(BadRequest) as refused:
        service.conversion(session, reader=OPERATOR, dataset=dataset, hs_from="HS17", hs_to="HS22")
    return str(refused.value)
