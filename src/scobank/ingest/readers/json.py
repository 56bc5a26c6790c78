"""JSON: an array of objects (.json), or one object per line (.ndjson, .jsonl); plain or gzip.

DuckDB's built-in json reader streams the rows; nested values arrive as JSON text.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from scobank.config import get_settings
from scobank.errors import BadFile
from scobank.ingest.readers.base import RawTable, as_text_view, generic_explain, suffixes
from scobank.ingest.options import ReadOptions
from scobank.ingest.scan import check_unpacked_size
from scobank.ingest.sniff import check_text, read_sample

FORMATS = {".json": "array", ".ndjson": "newline_delimited", ".jsonl": "newline_delimited"}


class JsonReader:
    label = "JSON (array of objects) and NDJSON (.json, .ndjson, .jsonl, optionally .gz)"

    def accepts(self, path: Path, *, name: str) -> bool:
        found = suffixes(name)
        return bool(found) and found[-1] in FORMATS

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        check_unpacked_size(path, name=name, max_bytes=get_settings().max_upload_bytes)
        sample = read_sample(path, name=name, limit=1 << 16)
        check_text(sample, name=name)
        shape = FORMATS[suffixes(name)[-1]]
        if shape == "array" and not sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            raise BadFile(f"{name}: expected a JSON array of objects ([{{...}}, ...]); "
                          "for one object per line name the file .ndjson")
        explain = generic_explain(name)
        try:
            relation = conn.sql(
                "SELECT * FROM read_json($path, format=$format, records=true, maximum_object_size=$size)",
                params={"path": str(path), "format": shape, "size": max_line},
            )
            columns = as_text_view(conn, relation)
        except duckdb.Error as exc:
            raise explain(exc) from exc
        return RawTable(columns=columns, explain=explain)
