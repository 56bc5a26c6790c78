"""Parquet files, recognised by their magic bytes; DuckDB reads them column by column."""

from __future__ import annotations

from pathlib import Path

import duckdb

from scobank.ingest.options import ReadOptions
from scobank.ingest.readers.base import RawTable, as_text_view, generic_explain, head

MAGIC = b"PAR1"


class ParquetReader:
    label = "Parquet"

    def accepts(self, path: Path, *, name: str) -> bool:
        return head(path, 4) == MAGIC

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        explain = generic_explain(name)
        try:
            relation = conn.sql("SELECT * FROM read_parquet($path)", params={"path": str(path)})
        except duckdb.Error as exc:
            raise explain(exc) from exc
        return RawTable(columns=as_text_view(conn, relation), explain=explain)
