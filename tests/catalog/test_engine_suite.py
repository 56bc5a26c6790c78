"""The dataset query (/rows: filters, groups, sort, pages, totals) and the export (CSV, XLSX, Parquet,
streamed from the engine's `to_batches`) once per engine: DuckDB, Spark local, and the session's real
Spark standalone cluster (two worker JVMs on 127.0.0.1, `standalone_master`). The same API calls, with
SCOBANK_ENGINE set for the module's turn; the answers are checked against DuckDB's reading of the
source file itself. A real gap of an engine is a strict xfail raising EngineUnsupported (as Ibis's own
backend suite marks `notimpl`); none is known on Spark 4.0 with Ibis 12.

The engine is a module-scoped parameter, so pytest runs every test on DuckDB, then on Spark local, then
on the cluster: one switch of the Spark session each way.
"""

from __future__ import annotations

import csv
import io
import os

import duckdb
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from .trade_files import HS17

pytestmark = pytest.mark.spark

ENGINES = ("duckdb", "spark", "cluster")
SLUG = "baci-hs17"


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    """SCOBANK_ENGINE for the module's turn (the cluster's master for "cluster")."""
    from scobank.config import reset_settings

    saved = os.environ.get("SCOBANK_ENGINE")
    os.environ["SCOBANK_ENGINE"] = "duckdb" if request.param == "duckdb" else "spark"
    reset_settings()
    try:
        if request.param == "cluster":
            from spark_cluster import on_cluster

            with on_cluster(request.getfixturevalue("standalone_master")):
                yield request.param
        else:
            yield request.param
    finally:
        os.environ.pop("SCOBANK_ENGINE") if saved is None else os.environ.__setitem__("SCOBANK_ENGINE", saved)
        reset_settings()


@pytest.fixture
def baci(engine, client, data_dir) -> str:
    """The real BACI HS17 sample (AFG's and ZAF's exports, 2020: 72,097 rows) published through the API."""
    from scobank.config import reset_settings

    reset_settings()  # the bank fixture reset them to its home: SCOBANK_ENGINE stays the module's
    assert client.post("/api/v1/organisations", json={"slug": "cepii", "party": "FRA",
                                                       "names": {"en": "CEPII"}}).status_code == 201
    assert client.post("/api/v1/datasets", json={"slug": SLUG, "organisation": "cepii", "kind": "trade",
                                                  "classification": "HS17", "title": {"en": "BACI"}}).status_code == 201
    with (data_dir / HS17).open("rb") as fh:
        assert client.post(f"/api/v1/datasets/{SLUG}/versions", files={"file": ("baci.csv.gz", fh)}).status_code == 201
    return SLUG


def source(data_dir, sql: str) -> list[tuple]:
    """DuckDB over the source file itself (BACI codes: 4 Afghanistan, 586 Pakistan; v in thousand USD)."""
    return duckdb.connect().execute(sql.replace("SRC", "read_csv($p, types={'k': 'VARCHAR'})"),
                                    {"p": str(data_dir / HS17)}).fetchall()


def rows(client, **params) -> dict:
    response = client.get(f"/api/v1/datasets/{SLUG}/rows", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_filters_groups_sort_and_totals(engine, client, baci, data_dir):
    from scobank.lake.engine import get_engine

    assert get_engine().name == ("duckdb" if engine == "duckdb" else "spark")
    body = rows(client, filter=["exporter:eq:AFG", "year:range:2019,2021"], group_by="importer",
                agg=["value_usd:sum", "count"], sort="-value_usd_sum", limit=5)
    expected = source(data_dir, "SELECT j, sum(v) * 1000 AS s, count(*) FROM SRC WHERE i = 4 GROUP BY j ORDER BY s DESC")
    assert [r["importer"] for r in body["rows"]][:1] == ["PAK"] and expected[0][0] == 586
    assert [r["value_usd_sum"] for r in body["rows"]] == pytest.approx([e[1] for e in expected[:5]], rel=1e-9)
    assert [r["count"] for r in body["rows"]] == [e[2] for e in expected[:5]]
    assert body["total"] == len(expected) and body["next_cursor"]
    # prefix and range filters, rows sorted by value then key
    hs08 = rows(client, filter=["exporter:eq:AFG", "product:prefix:08", "value_usd:range:1000000,"],
                select="importer,product,value_usd", sort="-value_usd", limit=1000)
    want = source(data_dir, "SELECT count(*), max(v) * 1000 FROM SRC WHERE i = 4 AND lpad(k, 6, '0') LIKE '08%' "
                            "AND v >= 1000")[0]
    assert hs08["total"] == len(hs08["rows"]) == want[0] > 0
    assert hs08["rows"][0]["value_usd"] == pytest.approx(want[1], rel=1e-9)
    assert [r["value_usd"] for r in hs08["rows"]] == sorted((r["value_usd"] for r in hs08["rows"]), reverse=True)


def test_pages_cover_every_row_exactly_once(engine, client, baci, data_dir):
    params = {"filter": ["exporter:eq:AFG", "product:prefix:08"], "select": "importer,product,value_usd", "limit": 40}
    keys, cursor, pages = [], None, 0
    while True:
        body = rows(client, **params, **({"cursor": cursor} if cursor else {}))
        keys += [(r["importer"], r["product"]) for r in body["rows"]]
        cursor, pages = body["next_cursor"], pages + 1
        if not cursor:
            break
    (count,) = source(data_dir, "SELECT count(*) FROM SRC WHERE i = 4 AND lpad(k, 6, '0') LIKE '08%'")[0]
    assert len(keys) == len(set(keys)) == count > 40 and pages == -(-count // 40)


def test_exports_stream_and_read_back_to_the_rows(engine, client, baci, data_dir):
    """CSV, XLSX and Parquet of a selection (so the file is written from the engine's batches, not copied
    from the lake): the rows and the total of the source file."""
    params = {"filter": "exporter:eq:AFG", "columns": "importer,product,value_usd"}
    (count, total), = source(data_dir, "SELECT count(*), sum(v) * 1000 FROM SRC WHERE i = 4")
    got = {fmt: client.get(f"/api/v1/datasets/{SLUG}/export", params={**params, "format": fmt})
           for fmt in ("csv", "xlsx", "parquet")}
    assert {fmt: r.status_code for fmt, r in got.items()} == {"csv": 200, "xlsx": 200, "parquet": 200}
    table = pq.read_table(io.BytesIO(got["parquet"].content))
    assert table.column_names == ["importer", "product", "value_usd"] and table.num_rows == count
    assert sum(table["value_usd"].to_pylist()) == pytest.approx(total, rel=1e-9)
    lines = list(csv.DictReader(io.StringIO(got["csv"].text)))
    assert len(lines) == count and sum(float(r["value_usd"]) for r in lines) == pytest.approx(total, rel=1e-9)
    sheet = load_workbook(io.BytesIO(got["xlsx"].content), read_only=True).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0] == ("importer", "product", "value_usd") and len(cells) == count + 1
    assert sum(c[2] for c in cells[1:]) == pytest.approx(total, rel=1e-9)


def test_a_whole_version_streams_in_several_batches(engine, bank, baci):
    """The export service's stream of every row: more than one chunk, each batch from `to_batches`."""
    from scobank.access.reader import OPERATOR
    from scobank.catalog.export import Selection, export_dataset

    with bank.session() as session:
        stream = export_dataset(session, slug=SLUG, reader=OPERATOR, fmt="csv",
                                selection=Selection.parse(columns=["exporter,importer,product,value_usd"]))
        chunks = list(stream.chunks)
        session.commit()
    assert stream.rows == 72_097 and len(chunks) > 1
    assert b"".join(chunks).count(b"\n") == 72_097 + 1
