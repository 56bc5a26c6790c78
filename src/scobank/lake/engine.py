"""The one engine seam (STYLE.md §5). Analytics and queries build Ibis expressions over
`engine.table(content_hash)` and never name DuckDB or Spark; an engine runs them. The lake knows a
version only by the hash of its Parquet bytes (the catalog's `DatasetVersion.content_hash`).

    engine = get_engine()                     # this thread's default engine (SCOBANK_ENGINE, "duckdb")
    trade = engine.table(version.content_hash)  # ibis.Table over the version's Parquet in the lake
    engine.to_arrow(trade.filter(...))        # pa.Table
    with open_engine() as eng:                # a private engine for a long stream (exports)
        for batch in eng.to_batches(expr): ...

An operation an engine lacks raises EngineUnsupported(op, engine) by construction, never a silent
fallback.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import ibis
import pyarrow as pa

from scobank.config import get_settings

# name -> "module:Class". The analytics area adds "spark".
ENGINES = {
    "duckdb": "scobank.lake.engines.duckdb:DuckDBEngine",
    "spark": "scobank.lake.engines.spark:SparkEngine",
}


class Engine(Protocol):
    name: str

    def table(self, content_hash: str) -> ibis.Table:
        """The rows of one immutable lake file (a version's Parquet, by the sha256 of its bytes)."""

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        """Run `expr` and return its result in memory."""

    def to_batches(self, expr: ibis.Expr, *, chunk_size: int = 65536) -> pa.RecordBatchReader:
        """Run `expr` and stream its result in record batches (nothing materialised whole)."""

    def write_parquet(self, expr: ibis.Expr, folder: Path) -> None:
        """Run `expr` and write its result as Parquet files into the new `folder` (under the lake), where
        the engine runs: the rows never come to this process."""

    def read_parquet(self, folder: Path) -> ibis.Table:
        """The rows `write_parquet` wrote into `folder`."""

    def forget(self, folder: Path) -> None:
        """Drop what `read_parquet` registered for `folder` (its files are the caller's)."""

    def close(self) -> None:
        """Release the engine's connection."""


def _engine_class(name: str) -> type:
    try:
        target = ENGINES[name]
    except KeyError:
        from scobank.errors import EngineUnsupported

        raise EngineUnsupported(f"unknown engine {name!r}; known: {', '.join(ENGINES)}") from None
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)


def new_engine(name: str | None = None) -> Engine:
    """A fresh engine the caller owns (and closes)."""
    return _engine_class(name or get_settings().engine)()


_local = threading.local()


def get_engine(name: str | None = None) -> Engine:
    """This thread's shared engine for short queries (cached per thread, lake folder and name).

    Do not hold a stream open on it across calls: use `open_engine` for that."""
    name = name or get_settings().engine
    key = (name, str(get_settings().lake_dir.resolve()))
    cache: dict = getattr(_local, "engines", None) or {}
    _local.engines = cache
    if key not in cache:
        for other in [k for k in cache if k[1] != key[1]]:  # another lake: that engine is done
            cache.pop(other).close()
        cache[key] = new_engine(name)
    return cache[key]


@contextmanager
def open_engine(name: str | None = None) -> Iterator[Engine]:
    engine = new_engine(name)
    try:
        yield engine
    finally:
        engine.close()
