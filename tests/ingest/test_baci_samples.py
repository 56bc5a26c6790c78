"""The real CEPII BACI extracts in SCOBANK_DATA_DIR, staged as canonical trade flows."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from scobank.ingest.pipeline import stage_file

HS17 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
HS92 = "trade-baci-samples/baci_2021_exporters_AFG_ZAF.csv.gz"


def query(parquet, sql: str) -> list[tuple]:
    """Run `sql` over a staged Parquet file, named `staged` in the query."""
    return duckdb.connect().read_parquet(str(parquet)).query("staged", sql).fetchall()


@pytest.fixture
def hs17(bank, data_dir):
    with bank.session() as session:
        return stage_file(session, source=data_dir / HS17, kind="trade")


def test_the_hs17_2020_file_gives_72097_flows_of_afghanistan_and_south_africa(hs17, data_dir):
    assert hs17.row_count == 72_097
    report = hs17.report.to_dict()
    assert {k: v for k, v in report.items() if k != "detected"} == {
        "file": "baci_hs17_2020_exporters_AFG_ZAF.csv.gz", "valid": True, "rows_read": 72_097,
        "rows_accepted": 72_097, "problems_total": 0, "problems": [], "aggregate_rows": {}}
    assert (report["detected"]["encoding"]["value"], report["detected"]["delimiter"]["value"],
            report["detected"]["header_rows"]) == ("utf-8", ",", [1])
    exporters = query(hs17.parquet_path, "SELECT DISTINCT exporter FROM staged ORDER BY 1")
    assert exporters == [("AFG",), ("ZAF",)]
    assert hs17.source_name == "baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
    assert hs17.source_sha256 == hashlib.sha256((data_dir / HS17).read_bytes()).hexdigest()
    assert hs17.parquet_path.parent.name == "staging"


def test_values_are_in_usd_and_match_the_file_in_thousands(hs17, data_dir):
    source = data_dir / HS17
    expected = duckdb.connect().read_csv(str(source)).query("src", "SELECT sum(v) * 1000 FROM src WHERE i = 4").fetchall()[0][0]
    staged = query(hs17.parquet_path, "SELECT sum(value_usd) FROM staged WHERE exporter = 'AFG'")[0][0]
    assert staged == pytest.approx(expected, rel=1e-12)
    assert round(staged) == 513_844_299  # Afghanistan's exports to the world in 2020 (BACI HS17), USD


def test_bacis_own_country_codes_are_mapped_india_699_is_ind(hs17):
    rows = query(hs17.parquet_path, "SELECT count(*) FROM staged WHERE importer = 'IND'")
    assert rows[0][0] > 0
    codes = query(hs17.parquet_path, "SELECT DISTINCT length(exporter), length(importer) FROM staged")
    assert codes == [(3, 3)]


def test_leading_zeros_of_hs_codes_are_restored(hs17):
    first = query(hs17.parquet_path, "SELECT product, quantity, unit, hs_revision FROM staged LIMIT 4")
    assert first[3] == ("071120", 0.308, "t", "HS17")  # k=71120 in the file
    lengths = query(hs17.parquet_path, "SELECT DISTINCT length(product) FROM staged")
    assert lengths == [(6,)]


def test_the_canonical_schema_has_types_units_and_key(hs17):
    fields = {f["name"]: (f["type"], f.get("unit")) for f in hs17.table_schema["fields"]}
    assert fields == {"year": ("integer", None), "exporter": ("string", None), "importer": ("string", None),
                      "product": ("string", None), "hs_revision": ("string", None),
                      "value_usd": ("number", "USD"), "quantity": ("number", "t"), "unit": ("string", None)}
    assert hs17.table_schema["primaryKey"] == ["year", "exporter", "importer", "product"]
    types = query(hs17.parquet_path, "DESCRIBE SELECT * FROM staged")
    assert [(t[0], t[1]) for t in types] == [
        ("year", "INTEGER"), ("exporter", "VARCHAR"), ("importer", "VARCHAR"), ("product", "VARCHAR"),
        ("hs_revision", "VARCHAR"), ("value_usd", "DOUBLE"), ("quantity", "DOUBLE"), ("unit", "VARCHAR")]


def test_the_same_file_gives_byte_identical_parquet(bank, data_dir, hs17):
    with bank.session() as session:
        again = stage_file(session, source=data_dir / HS17, kind="trade")
    assert again.parquet_path != hs17.parquet_path
    assert again.parquet_path.read_bytes() == hs17.parquet_path.read_bytes()


def test_the_hs92_2021_file_with_quoted_padded_quantities(bank, data_dir):
    with bank.session() as session:
        staged = stage_file(session, source=data_dir / HS92, kind="trade")
    assert staged.row_count == 71_192
    first = query(staged.parquet_path, "SELECT * FROM staged LIMIT 1")[0]
    assert first == (2021, "AFG", "AGO", "382390", "HS92", 52051.0, 13.235, "t")
    by_exporter = query(staged.parquet_path, "SELECT exporter, count(*) FROM staged GROUP BY 1 ORDER BY 1")
    assert by_exporter == [("AFG", 3_070), ("ZAF", 68_122)]
