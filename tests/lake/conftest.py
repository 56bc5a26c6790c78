"""A lake of its own per test, holding the real BACI HS17 sample (2020, exporters AFG=4 and ZAF=710)
as one Parquet object. The columns keep BACI's codes; these tests are about the lake and the engine,
not about ingest's normalisation."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scobank.catalog.models import DatasetVersion

BACI_HS17 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
PRIMARY_KEY = ["year", "exporter", "importer", "product"]


@pytest.fixture
def lake_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from scobank.config import reset_settings

    monkeypatch.setenv("SCOBANK_HOME", str(tmp_path / "home"))
    reset_settings()
    yield tmp_path / "home"
    reset_settings()


def baci_parquet(data_dir: Path, target: Path) -> Path:
    """The BACI sample as Parquet: year, exporter, importer, product (6-digit text), value_usd, quantity."""
    con = duckdb.connect()
    source = str(data_dir / BACI_HS17)
    con.execute(
        "CREATE TABLE t AS SELECT t::INTEGER AS year, i::INTEGER AS exporter, j::INTEGER AS importer, "
        "lpad(k, 6, '0') AS product, v * 1000 AS value_usd, q AS quantity "
        "FROM read_csv($path, types={'k': 'VARCHAR', 'q': 'DOUBLE'}, nullstr=['NA', ''])", {"path": source})
    pq.write_table(con.sql("SELECT * FROM t ORDER BY ALL").to_arrow_table(), target)
    return target


@pytest.fixture
def baci_version(lake_home: Path, data_dir: Path, tmp_path: Path) -> DatasetVersion:
    from scobank.lake import store

    obj = store.put(baci_parquet(data_dir, tmp_path / "baci.parquet"))
    return DatasetVersion(content_hash=obj.content_hash, number=1,
                          table_schema={"primaryKey": PRIMARY_KEY}, row_count=72097)
