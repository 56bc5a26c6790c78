"""A question that needs more memory than the query engine's cap gets a typed error naming the cap and
what to do, never DuckDB's OutOfMemoryException as a traceback (found at 200M rows by
benchmarks/scale_rows.py: the trade overview at the default 2 GB cap)."""

from __future__ import annotations

import os

import ibis
import pytest

from scobank.errors import EngineOutOfMemory
from scobank.lake.engine import open_engine


@pytest.fixture
def small_cap(lake_home, monkeypatch):
    from scobank.config import reset_settings

    monkeypatch.setenv("SCOBANK_QUERY_MEMORY_LIMIT", "20MB")
    monkeypatch.setenv("SCOBANK_QUERY_THREADS", "1")
    reset_settings()
    yield
    reset_settings()


def _many_groups() -> ibis.Table:
    """Ten million distinct keys, each aggregated into a list: a hash table far over 20 MB."""
    keys = ibis.range(10_000_000).unnest().name("k").as_table()
    return keys.group_by("k").aggregate(items=keys.k.collect(), n=keys.k.count())


def test_a_question_over_the_memory_cap_says_so_with_the_cap_and_the_way_out(small_cap):
    with open_engine() as engine, pytest.raises(EngineOutOfMemory) as caught:
        engine.to_arrow(_many_groups())
    error = caught.value
    assert error.status == 507 and error.code == "engine-out-of-memory"
    assert "20MB" in error.message and "SCOBANK_QUERY_MEMORY_LIMIT" in error.message
    assert "SCOBANK_ENGINE=spark" in error.message


def test_a_streamed_result_over_the_cap_says_so_too(small_cap):
    with open_engine() as engine, pytest.raises(EngineOutOfMemory):
        reader = engine.to_batches(_many_groups())
        for _ in reader:
            pass


def test_a_big_aggregate_spills_to_the_banks_home_and_answers(small_cap, lake_home):
    """A million groups need more than 20 MB (DuckDB without a spill folder fails this at 20 MB): the
    hash aggregate spills to <home>/tmp/duckdb/<pid> (one folder per process: DuckDB names its spill
    files the same in every process), not to a ".tmp" in whatever folder the process started in, and the
    answer is exact."""

    from scobank.lake.engines.duckdb import spill_directory

    keys = ibis.range(1_000_000).unnest().name("k").as_table()
    per_key = keys.group_by("k").aggregate(n=keys.k.count())
    with open_engine() as engine:
        got = engine.to_arrow(per_key.aggregate(groups=per_key.count(), rows=per_key.n.sum()))
        folder = engine._cursor.sql("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert got.to_pylist() == [{"groups": 1_000_000, "rows": 1_000_000}]
    assert folder == str(lake_home.resolve() / "tmp" / "duckdb" / str(os.getpid())) == str(spill_directory())

