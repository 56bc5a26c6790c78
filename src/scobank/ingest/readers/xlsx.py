"""Excel workbooks (.xlsx): the first worksheet, header on its first row, read with openpyxl in
read-only mode and written in batches to a Parquet file in the work folder (memory stays flat)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from scobank.errors import BadFile
from scobank.ingest.readers.base import RawTable, as_text_view, generic_explain, head, suffixes
from scobank.ingest.options import ReadOptions
from scobank.ingest.sniff import parse_header

BATCH = 50_000


def cell_text(value: object) -> str | None:
    """A cell as the text a user sees: 12.0 -> "12", dates as ISO 8601, empty -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() if isinstance(value, str) else str(value)


class XlsxReader:
    label = "Excel (.xlsx)"

    def accepts(self, path: Path, *, name: str) -> bool:
        found = suffixes(name)
        return bool(found) and found[-1] in (".xlsx", ".xlsm")

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        import openpyxl

        if head(path, 2) != b"PK" or not zipfile.is_zipfile(path):
            raise BadFile(f"{name}: not an Excel workbook (an .xlsx file is a zip archive)")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise BadFile(f"{name}: the workbook cannot be opened ({exc})") from exc
        try:
            target = work_dir / "sheet.parquet"
            columns = _write_sheet(book.worksheets[0], target, name=name)
        finally:
            book.close()
        relation = conn.sql("SELECT * FROM read_parquet($path)", params={"path": str(target)})
        as_text_view(conn, relation)
        return RawTable(columns=columns, explain=generic_explain(name))


def _write_sheet(sheet, target: Path, *, name: str) -> list[str]:
    rows = sheet.iter_rows(values_only=True)
    header_cells = next((r for r in rows if any(c not in (None, "") for c in r)), None)
    if header_cells is None:
        raise BadFile(f"{name}: the first worksheet is empty")
    while header_cells and header_cells[-1] in (None, ""):
        header_cells = header_cells[:-1]
    text = ",".join('"' + (cell_text(c) or "").replace('"', '""') + '"' for c in header_cells)
    columns = parse_header(text, delimiter=",", quote='"', name=name)
    schema = pa.schema([(c, pa.string()) for c in columns])
    with pq.ParquetWriter(target, schema) as writer:
        batch: list[list[str | None]] = []
        for number, row in enumerate(rows, start=1):
            values = [cell_text(c) for c in row]
            if any(v is not None for v in values[len(columns):]):
                raise BadFile(f"{name}, row {number}: ragged row: more values than the header has columns")
            values = (values + [None] * len(columns))[: len(columns)]
            if any(v is not None for v in values):
                batch.append(values)
            if len(batch) >= BATCH:
                writer.write_table(pa.table([list(col) for col in zip(*batch, strict=True)], schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.table([list(col) for col in zip(*batch, strict=True)], schema=schema))
    return columns
