"""DuckDB through Ibis: the embedded default engine.

Each engine is one in-memory DuckDB connection that can read only the lake folder:
extension autoinstall/autoload are off (an extension would be a download, which fails offline),
`allowed_directories` is the lake and `enable_external_access` is false, so no query can read or
write any other file or URL. Memory is capped by SCOBANK_QUERY_MEMORY_LIMIT.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import pyarrow as pa

from scobank.config import get_settings
from scobank.lake.store import lake_root, path_for

if TYPE_CHECKING:
    from scobank.catalog.models import DatasetVersion


class DuckDBEngine:
    name = "duckdb"

    def __init__(self) -> None:
        settings = get_settings()
        root = lake_root()
        root.mkdir(parents=True, exist_ok=True)
        self._con = ibis.duckdb.connect(
            autoinstall_known_extensions=False,
            autoload_known_extensions=False,
            memory_limit=settings.query_memory_limit,
            threads=settings.query_threads,
        )
        raw = self._con.con
        raw.execute("SET allowed_directories = $dirs", {"dirs": [f"{root}/"]})
        raw.execute("SET parquet_metadata_cache = true")
        raw.execute("SET enable_external_access = false")
        self._tables: dict[str, ibis.Table] = {}

    def table(self, version: DatasetVersion) -> ibis.Table:
        content_hash = version.content_hash
        if content_hash not in self._tables:
            path = path_for(content_hash)
            self._tables[content_hash] = self._con.read_parquet(path, table_name=f"v_{content_hash}")
        return self._tables[content_hash]

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        return self._con.to_pyarrow(expr)

    def to_batches(self, expr: ibis.Expr, *, chunk_size: int = 65536) -> pa.RecordBatchReader:
        # Ibis 12's to_pyarrow_batches calls a cursor method DuckDB 2 removed; stream the relation of
        # the compiled expression instead (SQL that Ibis generated, never client text).
        return self._con.con.sql(self._con.compile(expr)).to_arrow_reader(chunk_size)

    def close(self) -> None:
        self._tables.clear()
        self._con.disconnect()
