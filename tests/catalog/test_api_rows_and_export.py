"""The REST API as an analyst's client calls it: upload, rows (filters, groups, pages), export, diff."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from .trade_files import HS17, revised_release


@pytest.fixture
def baci(client, data_dir):
    """The real BACI HS17 sample published through the API as version 1 of `baci-hs17`."""
    assert client.post("/api/v1/organisations", json={"slug": "cepii", "party": "FRA",
                                                       "names": {"en": "CEPII"}}).status_code == 201
    created = client.post("/api/v1/datasets", json={"slug": "baci-hs17", "organisation": "cepii", "kind": "trade",
                                                    "classification": "HS17",
                                                    "title": {"en": "BACI HS17 sample", "ru": "BACI HS17"}})
    assert created.status_code == 201, created.text
    with (data_dir / HS17).open("rb") as fh:
        response = client.post("/api/v1/datasets/baci-hs17/versions", files={"file": (HS17.split("/")[-1], fh)})
    assert response.status_code == 201, response.text
    return response.json()


def test_uploading_the_same_bytes_again_returns_the_existing_version(client, baci, data_dir):
    with (data_dir / HS17).open("rb") as fh:
        again = client.post("/api/v1/datasets/baci-hs17/versions", files={"file": ("copy.csv.gz", fh)})
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["version"]["number"] == 1
    assert [v["number"] for v in client.get("/api/v1/datasets/baci-hs17/versions").json()] == [1]
    assert client.get("/api/v1/datasets/baci-hs17/versions/1").json()["row_count"] == 72_097


def test_a_rejected_upload_is_422_with_the_report(client, baci):
    bad = b"t,i,j,k,v,q\n2020,4,586,100630,12.5,3\n2020,4,699,100630,-7,1\n"
    response = client.post("/api/v1/datasets/baci-hs17/versions", files={"file": ("negative.csv", bad)})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "ingest-rejected" and body["report"]["problems_total"] == 1
    assert [(p["row"], p["column"]) for p in body["problems"]] == [(2, "v")]
    assert [v["number"] for v in client.get("/api/v1/datasets/baci-hs17/versions").json()] == [1]


def test_afghanistans_exports_grouped_by_importer(client, baci, data_dir):
    response = client.get("/api/v1/datasets/baci-hs17/rows", params={
        "filter": "exporter:eq:AFG", "group_by": "importer", "agg": ["value_usd:sum", "count"],
        "sort": "-value_usd_sum", "limit": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["name"] for c in body["columns"]] == ["importer", "value_usd_sum", "count"]
    expected = duckdb.connect().execute("SELECT sum(v) * 1000, count(*) FROM read_csv($p) WHERE i = 4 AND j = 586",
                              {"p": str(data_dir / HS17)}).fetchone()
    top = body["rows"][0]
    assert top["importer"] == "PAK"  # Pakistan, Afghanistan's first market in 2020
    assert (top["value_usd_sum"], top["count"]) == (pytest.approx(expected[0]), expected[1])
    assert body["version"] == 1 and body["next_cursor"] is not None
    total = client.get("/api/v1/datasets/baci-hs17/rows", params={"filter": "exporter:eq:AFG",
                                                                   "agg": "value_usd:sum"}).json()
    assert round(total["rows"][0]["value_usd_sum"]) == 513_844_299


def test_pages_of_rows_cover_every_row_exactly_once(client, baci):
    params = {"filter": ["exporter:eq:AFG", "product:prefix:08"], "select": "importer,product,value_usd",
              "limit": 50}
    keys, cursor = [], None
    while True:
        body = client.get("/api/v1/datasets/baci-hs17/rows", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        keys += [(r["importer"], r["product"]) for r in body["rows"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    count = client.get("/api/v1/datasets/baci-hs17/rows", params={"filter": params["filter"], "agg": "count"}).json()
    assert len(keys) == len(set(keys)) == count["rows"][0]["count"] > 50


@pytest.mark.parametrize(("params", "message"), [
    ({"filter": "tariff:eq:5"}, "filter on 'tariff': unknown column 'tariff'"),
    ({"filter": "year:range:2019"}, "filter year:range takes 2 values, got 1"),
    ({"group_by": "importer", "agg": "value_usd:median"}, "expected COLUMN:FN"),
    ({"select": "exporter", "group_by": "importer"}, "select and group_by/agg do not combine"),
    ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor is not valid"),
])
def test_a_bad_query_is_400_naming_what_is_wrong(client, baci, params, message):
    response = client.get("/api/v1/datasets/baci-hs17/rows", params=params)
    assert response.status_code == 400
    assert response.json()["code"] == "bad-request" and message in response.json()["message"]


def test_unknown_dataset_or_version_is_404(client, baci):
    assert client.get("/api/v1/datasets/nothing/rows").status_code == 404
    assert client.get("/api/v1/datasets/baci-hs17/rows", params={"version": 7}).json()["message"] == \
        "dataset 'baci-hs17' has no version 7"
    assert client.get("/api/v1/datasets/baci-hs17/export", params={"format": "dbf"}).status_code == 422


def test_every_export_format_reads_back_to_the_version(client, baci):
    exported = {fmt: client.get("/api/v1/datasets/baci-hs17/export", params={"format": fmt})
                for fmt in ("csv", "parquet", "json", "ndjson")}
    assert all(r.status_code == 200 for r in exported.values())
    parquet = exported["parquet"].content
    assert hashlib.sha256(parquet).hexdigest() == baci["version"]["content_hash"]
    table = pq.read_table(io.BytesIO(parquet))
    assert table.num_rows == 72_097
    rows = list(csv.DictReader(io.StringIO(exported["csv"].text)))
    assert len(rows) == 72_097 and rows[3]["product"] == table.column("product")[3].as_py()
    assert exported["csv"].headers["content-disposition"] == 'attachment; filename="baci-hs17-v1.csv"'
    ndjson = [json.loads(line) for line in exported["ndjson"].text.splitlines()]
    assert ndjson == exported["json"].json()
    assert len(ndjson) == 72_097 and ndjson[0] == table.slice(0, 1).to_pylist()[0]


def test_a_diff_over_the_api(client, baci, data_dir, tmp_path):
    revised = tmp_path / "baci_revised.csv"
    expected = revised_release(data_dir, revised)
    with revised.open("rb") as fh:
        assert client.post("/api/v1/datasets/baci-hs17/versions", files={"file": (revised.name, fh)}).status_code == 201
    diff = client.get("/api/v1/datasets/baci-hs17/diff", params={"from": 1, "to": 2, "sample": 2}).json()
    assert {k: diff[k] for k in ("added", "removed", "changed")} == expected
    assert len(diff["added_sample"]) == 2
    assert client.get("/api/v1/datasets/baci-hs17").json()["latest_version"] == 2


def test_the_next_page_reads_the_version_the_first_page_read(client, baci, data_dir, tmp_path):
    params = {"filter": "importer:eq:PAK", "select": "exporter,product", "limit": 10}
    first = client.get("/api/v1/datasets/baci-hs17/rows", params=params).json()
    revised = tmp_path / "baci_revised.csv"
    revised_release(data_dir, revised)  # withdraws Pakistan's rows
    with revised.open("rb") as fh:
        assert client.post("/api/v1/datasets/baci-hs17/versions", files={"file": (revised.name, fh)}).status_code == 201
    second = client.get("/api/v1/datasets/baci-hs17/rows", params={**params, "cursor": first["next_cursor"]}).json()
    assert (first["version"], second["version"]) == (1, 1)
    assert len(second["rows"]) == 10 and not set(map(str, second["rows"])) & set(map(str, first["rows"]))
    fresh = client.get("/api/v1/datasets/baci-hs17/rows", params=params).json()
    assert (fresh["version"], fresh["rows"]) == (2, [])
