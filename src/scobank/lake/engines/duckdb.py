"""DuckDB through Ibis: the embedded default engine.

One in-memory DuckDB database per process and lake, shared by every engine (each engine is a cursor
of it: its own views and transaction, the same memory cap, threads and caches), so many concurrent
requests share one SCOBANK_QUERY_MEMORY_LIMIT instead of multiplying it. The database can read only
the lake folder: extension autoinstall/autoload are off (an extension would be a download, which
fails offline), `allowed_directories` is the lake and `enable_external_access` is false, so no query
can read or write any other file or URL. What does not fit in the cap spills to
`<home>/tmp/duckdb/<pid>` (hash aggregates, joins and sorts spill; DuckDB's default would be ".tmp" in
whatever folder the process started in). One folder per process: DuckDB names its spill files the same
in every process, so the API's workers must not share one; DuckDB creates the folder when it first
spills and removes it when the database closes.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import sqlglot

from scobank.config import get_settings
from scobank.errors import EngineOutOfMemory
from scobank.lake.store import lake_root, path_for

_lock = threading.Lock()
_databases: dict[str, duckdb.DuckDBPyConnection] = {}


def _database() -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for the current lake, locked down once when first opened."""
    root = lake_root()
    with _lock:
        if str(root) not in _databases:
            for old in _databases.values():  # another lake (tests switch SCOBANK_HOME): let it go
                old.close()
            _databases.clear()
            settings = get_settings()
            root.mkdir(parents=True, exist_ok=True)
            spill = spill_directory()
            spill.parent.mkdir(parents=True, exist_ok=True)
            db = duckdb.connect(config={
                "autoinstall_known_extensions": False, "autoload_known_extensions": False,
                "memory_limit": settings.query_memory_limit, "threads": settings.query_threads,
                "temp_directory": str(spill),
            })
            db.execute("SET allowed_directories = $dirs", {"dirs": [f"{root}/"]})
            db.execute("SET parquet_metadata_cache = true")
            db.execute("SET enable_progress_bar = false")
            db.execute("SET enable_external_access = false")
            _databases[str(root)] = db
        return _databases[str(root)]


def spill_directory() -> Path:
    """Where this process's DuckDB writes what does not fit in its memory cap: a folder of the bank's home."""
    return get_settings().home.resolve() / "tmp" / "duckdb" / str(os.getpid())


def _out_of_memory() -> EngineOutOfMemory:
    """What a reader is told when a question needs more than the engine's memory cap (found at 200M
    rows: the trade overview at the default 2 GB)."""
    cap = get_settings().query_memory_limit
    return EngineOutOfMemory(f"this question needs more memory than the query engine may use ({cap}): ask for "
                             "fewer years or countries, or ask the operator to raise SCOBANK_QUERY_MEMORY_LIMIT "
                             "or to run the bank on Spark (SCOBANK_ENGINE=spark, docs/deploy.md)")


class DuckDBEngine:
    name = "duckdb"

    def __init__(self) -> None:
        self._cursor = _database().cursor()
        self._con = ibis.duckdb.from_connection(self._cursor)
        self._tables: dict[str, ibis.Table] = {}

    def table(self, content_hash: str) -> ibis.Table:
        if content_hash not in self._tables:
            path = path_for(content_hash)
            self._tables[content_hash] = self._con.read_parquet(path, table_name=f"v_{content_hash}")
        return self._tables[content_hash]

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        try:
            return self._con.to_pyarrow(expr)
        except duckdb.OutOfMemoryException as exc:
            raise _out_of_memory() from exc

    def to_batches(self, expr: ibis.Expr, *, chunk_size: int = 65536) -> pa.RecordBatchReader:
        # Ibis 12's to_pyarrow_batches calls a cursor method DuckDB 2 removed; stream the relation of
        # the compiled expression instead (SQL that Ibis generated, never client text).
        try:
            return self._cursor.sql(self._con.compile(expr)).to_arrow_reader(chunk_size)
        except duckdb.OutOfMemoryException as exc:
            raise _out_of_memory() from exc

    def write_parquet(self, expr: ibis.Expr, folder: Path) -> None:
        """Write the result into `folder` as one Parquet file, from the engine straight to the file
        (DuckDB's COPY; it may write only under the lake)."""
        folder.mkdir(parents=True)
        try:
            self._con.to_parquet(expr, str(folder / "part-0.parquet"))
        except duckdb.OutOfMemoryException as exc:
            raise _out_of_memory() from exc

    def read_parquet(self, folder: Path) -> ibis.Table:
        """The Parquet files of `folder` (`write_parquet`) as a table of this engine."""
        return self._con.read_parquet(f"{folder}/*.parquet", table_name=f"r_{folder.name}")

    def forget(self, folder: Path) -> None:
        """Drop the view `read_parquet` made for `folder`."""
        # Ibis 12's drop_view builds its statement for an older sqlglot (no name in it): build it here
        view = sqlglot.exp.Table(this=sqlglot.to_identifier(f"r_{folder.name}", quoted=True))
        self._cursor.execute(sqlglot.exp.Drop(tables=[view], kind="VIEW", exists=True).sql("duckdb"))

    def close(self) -> None:
        self._tables.clear()
        self._cursor.close()
