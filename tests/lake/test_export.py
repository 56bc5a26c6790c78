"""Every export format streams in chunks and reads back to the same rows."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from scobank.lake.engine import open_engine
from scobank.lake.export import stream


def _export(version, fmt: str) -> tuple[bytes, int]:
    with open_engine() as engine:
        chunks = list(stream(fmt, engine.to_batches(engine.table(version.content_hash), chunk_size=10_000)))
    return b"".join(chunks), len(chunks)


@pytest.fixture
def original(baci_version) -> pa.Table:
    with open_engine() as engine:
        return engine.to_arrow(engine.table(baci_version.content_hash))


def test_csv_reads_back_to_the_same_rows_in_several_chunks(baci_version, original):
    data, chunks = _export(baci_version, "csv")
    back = pacsv.read_csv(io.BytesIO(data), convert_options=pacsv.ConvertOptions(
        column_types={"product": pa.string(), "year": pa.int32(), "exporter": pa.int32(), "importer": pa.int32()}))
    assert chunks > 5
    assert back.num_rows == 72097
    assert back.equals(original)


def test_parquet_reads_back_to_the_same_table(baci_version, original):
    data, _ = _export(baci_version, "parquet")
    assert pq.read_table(io.BytesIO(data)).equals(original)


def test_ndjson_has_one_object_per_row(baci_version, original):
    data, _ = _export(baci_version, "ndjson")
    lines = data.decode().splitlines()
    assert len(lines) == original.num_rows
    first = json.loads(lines[0])
    assert first == {k: (None if v != v else v) for k, v in original.slice(0, 1).to_pylist()[0].items()}


def test_json_is_one_array_of_rows(baci_version, original):
    data, _ = _export(baci_version, "json")
    rows = json.loads(data)
    assert len(rows) == original.num_rows
    assert rows[-1]["product"] == original.column("product")[-1].as_py()
    assert sum(r["value_usd"] for r in rows) == pytest.approx(pa.compute.sum(original["value_usd"]).as_py())
