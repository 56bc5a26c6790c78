"""The relational analytics give the same numbers on DuckDB and on Spark: one local Spark session, then
a real standalone cluster (a master and two worker JVMs on 127.0.0.1, tests/analytics/spark_cluster.py)."""

from __future__ import annotations

import os
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from conftest import baci_flows
from spark_cluster import on_cluster
from test_engine_analytics import (baci, conversions, each_engine, icio, icio_analyses, on_engine,  # noqa: F401 (fixtures)
                                   same_conversions, same_icio_analyses, same_rows)
from scobank.analytics.execution import run, table_of
from scobank.analytics.indicators import complementarity_table
from scobank.analytics.lists import sort_struct_lists
from scobank.analytics.overview import country_overview, product_overview
from scobank.analytics.substitution import bloc_table, import_substitution

pytestmark = pytest.mark.spark

BLOC_2020 = {2020: ["CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]}
HAND = [(2020, "USA", "CHN", "010121", 100.0), (2020, "DEU", "CHN", "010121", 50.0),
        (2020, "RUS", "CHN", "010121", 10.0), (2020, "RUS", "IND", "010121", 30.0),
        (2020, "KAZ", "DEU", "010121", 40.0), (2020, "USA", "DEU", "020000", 500.0),
        (2020, "KAZ", "USA", "020000", 1.0), (2020, "CHN", "KAZ", "020000", 9.0)]


@pytest.fixture(scope="module")
def spark():
    from scobank.lake.engines.spark import local_spark_session

    return local_spark_session()


@pytest.fixture(scope="module")
def flows(data_dir, _template) -> pa.Table:
    """The real BACI sample (AFG, ZAF exports) plus a few member flows so suppliers exist."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine(_template[0])
    with Session(engine) as session:
        baci = baci_flows(data_dir, session)
    engine.dispose()
    cols = ("year", "exporter", "importer", "product", "value")
    hand = pa.table({c: [r[i] for r in HAND] for i, c in enumerate(cols)}).cast(baci.schema)
    return pa.concat_tables([baci, hand])


def same(expr, keys: list[str], lists: dict[str, list] | None = None) -> None:
    """Both engines give the same rows; list-of-struct columns compared after ordering their items."""
    tables = [run(expr, engine=name) for name in ("duckdb", "spark")]
    for column, by in (lists or {}).items():
        tables = [sort_struct_lists(t, column, by=by) for t in tables]
    duck, spark = (t.to_pandas().sort_values(keys).reset_index(drop=True) for t in tables)
    assert len(duck) == len(spark) > 0
    for column in duck.columns:
        if duck[column].dtype.kind == "f":
            assert spark[column].to_numpy() == pytest.approx(duck[column].to_numpy(), rel=1e-9, nan_ok=True), column
        elif column in (lists or {}):
            assert [list(x) for x in duck[column]] == [list(x) for x in spark[column]], column
        else:
            assert list(duck[column]) == list(spark[column]), column


def test_import_substitution_is_the_same_on_both_engines(spark, flows):
    expr = import_substitution(table_of(flows), bloc_table(BLOC_2020))
    same(expr, ["year", "importer", "product"],
         lists={"suppliers": [("room", "descending"), ("supplier", "ascending")],
                "allocated_suppliers": [("value", "descending"), ("supplier", "ascending")]})
    spark_rows = {(r["importer"], r["product"]): r for r in run(expr, engine="spark").to_pylist()}
    china = spark_rows[("CHN", "010121")]
    # CHN buys 150 of 010121 outside (USA 100, DEU 50); KAZ (room 40) and RUS (40 - 10 to CHN) supply
    assert china["extra_bloc_imports"] == 150 and china["substitutable_value"] == 70
    assert sorted(s["supplier"] for s in china["suppliers"]) == ["KAZ", "RUS"]
    # allocated: RUS sells only inside the bloc, KAZ sells 40 to DEU: the 40 go to CHN (and KAZ, whose
    # 9 of 020000 from CHN is inside the bloc)
    assert china["redirectable_supply"] == 40 and china["allocated_value"] == pytest.approx(40)


def test_a_supplier_without_room_divides_by_zero_as_duckdb_does(spark, flows):
    """RUS sells 030000 only to CHN: its room for CHN is 0, the only supplier's, so the share room /
    bloc_room is 0 / 0. DuckDB answers NULL; Spark 4 in ANSI mode failed the whole query (found at 1M
    rows by benchmarks/scale_rows.py); the session now keeps DuckDB's semantics."""
    zero = pa.table({"year": [2020, 2020], "exporter": ["RUS", "USA"], "importer": ["CHN", "CHN"],
                     "product": ["030000", "030000"], "value": [5.0, 20.0]}).cast(flows.schema)
    expr = import_substitution(table_of(pa.concat_tables([flows, zero])), bloc_table(BLOC_2020))
    same(expr, ["year", "importer", "product"],
         lists={"suppliers": [("room", "descending"), ("supplier", "ascending")],
                "allocated_suppliers": [("value", "descending"), ("supplier", "ascending")]})
    row = next(r for r in run(expr, engine="spark").to_pylist() if (r["importer"], r["product"]) == ("CHN", "030000"))
    assert row["extra_bloc_imports"] == 20 and row["bloc_room"] == 0 and row["substitutable_value"] == 0
    assert row["suppliers"] == [{"supplier": "RUS", "room": 0.0, "share": None}]
    assert spark.sql("SELECT 1 / 0 AS x").collect()[0].x is None


def test_complementarity_and_overview_are_the_same_on_both_engines(spark, flows):
    t = table_of(flows)
    same(complementarity_table(t, countries=["AFG", "ZAF", "CHN", "IND", "RUS"]), ["year", "exporter", "importer"])
    same(country_overview(t, bloc_table(BLOC_2020), countries=["AFG", "ZAF", "CHN", "IND"]), ["year", "country"])
    same(product_overview(t, countries=["ZAF"]), ["year", "country", "product"])


def test_the_overview_one_year_at_a_time_is_the_same_on_both_engines(spark, flows):
    """The per-year tables stacked in one query (what the service asks of a dataset: overview.py), over
    the sample as two years (2021: its flows x 1.2, so every country's CAGR is 0.2 where it trades)."""
    later = flows.set_column(0, "year", pa.array([2021] * flows.num_rows, flows.schema.field("year").type)) \
        .set_column(4, "value", pc.multiply(flows["value"], 1.2))
    t = table_of(pa.concat_tables([flows, later]))
    blocs = bloc_table({**BLOC_2020, 2021: BLOC_2020[2020]})
    expr = country_overview([t.filter(t.year == y) for y in (2020, 2021)], blocs, countries=["AFG", "ZAF", "CHN", "IND"])
    same(expr, ["year", "country"])
    rows = run(expr, engine="spark").to_pylist()
    cagrs = [r["exports_cagr"] for r in rows if r["year"] == 2021 and r["exports_cagr"] is not None]
    assert len(cagrs) == 3 and cagrs == pytest.approx([0.2] * 3)  # AFG, ZAF, CHN export; IND does not


def test_spark_streams_results_in_batches_equal_to_duckdb(spark, flows):
    from scobank.lake.engine import get_engine

    expr = table_of(flows).filter(lambda t: t.exporter == "ZAF").order_by(["importer", "product", "year"])
    reader = get_engine("spark").to_batches(expr, chunk_size=1000)
    batches = list(reader)
    assert len(batches) > 1 and all(b.num_rows <= 1000 for b in batches)
    streamed = pa.Table.from_batches(batches, schema=reader.schema).to_pandas()
    duck = run(expr, engine="duckdb").to_pandas()
    keys = ["importer", "product", "year"]
    streamed, duck = (d.sort_values(keys).reset_index(drop=True) for d in (streamed, duck))
    assert len(streamed) == len(duck) > 1000
    assert list(streamed["importer"]) == list(duck["importer"])
    assert streamed["value"].to_numpy() == pytest.approx(duck["value"].to_numpy(), rel=1e-9)


@pytest.fixture(scope="module")
def spark_cluster(standalone_master):
    """The bank's Spark engine pointed at the session's two-worker standalone cluster; local Spark after."""
    with on_cluster(standalone_master) as session:
        yield session


def test_standalone_cluster_gives_duckdbs_numbers(spark_cluster, flows):
    context = spark_cluster.sparkContext
    assert context.master.startswith("spark://127.0.0.1:")
    # two executors, one per worker, each a separate JVM (the driver is not among them)
    deadline = time.monotonic() + 60
    while context._jsc.sc().getExecutorMemoryStatus().size() < 3 and time.monotonic() < deadline:
        time.sleep(1)
    assert context._jsc.sc().getExecutorMemoryStatus().size() == 3
    expr = import_substitution(table_of(flows), bloc_table(BLOC_2020))
    same(expr, ["year", "importer", "product"],
         lists={"suppliers": [("room", "descending"), ("supplier", "ascending")],
                "allocated_suppliers": [("value", "descending"), ("supplier", "ascending")]})
    same(country_overview(table_of(flows), bloc_table(BLOC_2020), countries=["AFG", "ZAF", "CHN", "IND"]),
         ["year", "country"])


def test_cluster_executors_read_the_lake_and_the_result_streams(spark_cluster, flows, tmp_path):
    """The workers read the version's Parquet from the lake path themselves (same machine, same path)."""
    import pyarrow.parquet as pq

    from scobank.config import reset_settings
    from scobank.lake.engine import get_engine
    from scobank.lake.store import put

    saved = os.environ.get("SCOBANK_HOME")
    os.environ["SCOBANK_HOME"] = str(tmp_path / "home")
    reset_settings()
    try:
        pq.write_table(flows, tmp_path / "flows.parquet")
        content_hash = put(tmp_path / "flows.parquet").content_hash
        totals = {}
        for name in ("duckdb", "spark"):
            t = get_engine(name).table(content_hash)
            reader = get_engine(name).to_batches(t.group_by(["exporter", "importer"]).agg(value=t.value.sum()),
                                                 chunk_size=10)
            batches = list(reader)
            assert len(batches) > 1
            rows = pa.Table.from_batches(batches, schema=reader.schema).to_pylist()
            totals[name] = {(r["exporter"], r["importer"]): r["value"] for r in rows}
    finally:
        os.environ.pop("SCOBANK_HOME") if saved is None else os.environ.__setitem__("SCOBANK_HOME", saved)
        reset_settings()
    assert totals["spark"].keys() == totals["duckdb"].keys() and len(totals["spark"]) > 10
    assert all(totals["spark"][k] == pytest.approx(v, rel=1e-9) for k, v in totals["duckdb"].items())


def test_cluster_computes_the_analyses_of_a_bank_dataset_as_duckdb_does(spark_cluster, bank, on_engine, baci):  # noqa: F811
    """SCOBANK_ENGINE=spark with the cluster's master: the overview and the allocated substitution of a
    dataset in the bank are computed by the executors over the lake file, with DuckDB's numbers."""
    from scobank.access.reader import OPERATOR
    from scobank.analytics import service

    got = each_engine(bank, on_engine, lambda session: (
        service.overview(session, reader=OPERATOR, dataset=baci, limit=100_000),
        service.substitution(session, reader=OPERATOR, dataset=baci, products="all", limit=100_000)))
    (duck_over, duck_sub), (spark_over, spark_sub) = got["duckdb"], got["spark"]
    assert spark_cluster.sparkContext.master.startswith("spark://127.0.0.1:")
    same_rows(duck_over.tables["country"].rows, spark_over.tables["country"].rows, ["year", "country"])
    same_rows(duck_sub.tables["substitution"].rows, spark_sub.tables["substitution"].rows,
              ["year", "importer", "product"])


def test_cluster_computes_opportunities_dependency_and_conversions_as_duckdb_does(spark_cluster, bank, on_engine,  # noqa: F811
                                                                                   icio, baci, data_dir):  # noqa: F811
    """The analyses that read whole panels into the API process before: on the cluster's executors, with
    DuckDB's numbers (1e-10) and the figures a user checks (KAZ's warehousing RCA, Russia's chemicals
    suppliers, Afghanistan's exports to India in HS 2022 and in rupees)."""
    same_icio_analyses(each_engine(bank, on_engine, icio_analyses))
    same_conversions(each_engine(bank, on_engine, lambda session: conversions(session, baci)), data_dir)
    assert spark_cluster.sparkContext.master.startswith("spark://127.0.0.1:")
