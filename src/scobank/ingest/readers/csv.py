"""Delimited text: CSV, TSV, semicolon or pipe separated, plain or gzip, UTF-8 / cp1251 / GB18030.

The layout is sniffed from the first block (`scobank.ingest.sniff`), the whole file is checked in one
streaming pass (`scobank.ingest.scan`), then DuckDB parses it with every option explicit and every
column as VARCHAR (its sniffer is never trusted: it turns HS code 010121 into the number 10121).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

from scobank.config import get_settings

from scobank.errors import BadFile, StorageError, storage_error
from scobank.ingest.detection import Detection
from scobank.ingest.duck import ident, one
from scobank.ingest.readers.base import RawTable, check_column_names, head, suffixes
from scobank.ingest.scan import copy_needed, scan_beside, scan_text
from scobank.ingest.options import ReadOptions
from scobank.ingest.sniff import TextLayout, sniff_text

TEXT_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".dat"}
DUCKDB_BUFFER = 32 << 20

READ_CSV = (
    "SELECT * FROM read_csv($path, auto_detect=false, header=false, skip=$skip, delim=$delim, quote=$quote, "
    "escape=$quote, columns=$columns, strict_mode=true, max_line_size=$max_line, buffer_size=$buffer, "
    "encoding='utf-8'"
)
REASONS = {
    "MISSING COLUMNS": "ragged row: fewer values than the header has columns",
    "TOO MANY COLUMNS": "ragged row: more values than the header has columns",
    "UNQUOTED VALUE": "a quoted value is not closed (the file may be truncated)",
    "LINE SIZE OVER MAXIMUM": "the line is too long",
    "INVALID UNICODE": "bytes that are not UTF-8 text",
}


class CsvReader:
    label = "CSV/TSV (.csv, .tsv, .txt, optionally .gz)"

    def accepts(self, path: Path, *, name: str) -> bool:
        found = suffixes(name)
        # A portal's "Excel" download is often tab-separated text named .xls (the OLE ones are sheets).
        return not found or found[-1] in TEXT_SUFFIXES or (found[-1] == ".xls" and head(path, 4) != b"\xd0\xcf\x11\xe0")

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        layout = sniff_text(path, name=name, max_line=max_line, options=options)
        check_column_names(layout.header, name=name, row=layout.header_lines[-1] if layout.header_lines else None)
        scan = {"layout": layout, "name": name, "max_line": max_line, "work_dir": work_dir,
                "max_bytes": get_settings().max_upload_bytes}
        settle = None if copy_needed(layout) else scan_beside(path, **scan)
        params = _params(path if settle else scan_text(path, **scan).path, layout, max_line)
        # Lines of separators only (";;;" under an Excel table) are blank rows, not data.
        filled = " OR ".join(f"{ident(c)} IS NOT NULL" for c in layout.header)
        conn.sql(f"SELECT * FROM ({READ_CSV})) WHERE {filled}",  # noqa: S608 (names quoted by ident)
                 params=params).create_view("raw", replace=True)
        return RawTable(columns=layout.header, explain=_explainer(conn, params, name),
                        typed_view=_typed_view(conn, params), detection=_detection(layout),
                        settle=settle or RawTable.settle)


def _typed_view(conn: duckdb.DuckDBPyConnection, params: dict):
    """DuckDB's own parser converts the columns (much cheaper than casting text); a value that does not
    parse raises a DuckDB error when the view is read, and the caller falls back to the text view."""

    def register(types: dict[str, str]) -> None:
        typed = {**params, "columns": {c: types.get(c, "VARCHAR") for c in params["columns"]}}
        conn.sql(READ_CSV + ")", params=typed).create_view("raw_typed", replace=True)

    return register


def _detection(layout: TextLayout) -> Detection:
    return Detection(
        "CSV", encoding=layout.encoding, delimiter=layout.delimiter, quote=layout.quote,
        header_rows=layout.header_lines, first_data_row=layout.skip_lines + 1, title=layout.title,
        notes=layout.notes, footnotes=layout.footnotes,
        repaired=[f"column name {a!r} read as {b!r} (Latin and Cyrillic letters mixed)" for a, b in layout.repaired]
        + (["lines end with CR alone (the old Mac format): read as line breaks"] if layout.cr_lines else []),
    )


def _params(path: Path, layout: TextLayout, max_line: int) -> dict:
    return {
        "path": str(path),
        "skip": layout.skip_lines,
        "delim": layout.delimiter.value,
        "quote": layout.quote,
        "columns": {column: "VARCHAR" for column in layout.header},
        "max_line": max_line + 2,
        "buffer": max(DUCKDB_BUFFER, 2 * (max_line + 2)),
    }


EXPLAIN_BASE_SECONDS = 60.0


def explain_seconds(path: Path) -> float:
    """The re-read's time budget: a minute, and a second more per 10 MB of file."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return EXPLAIN_BASE_SECONDS + size / 10e6


def _explainer(conn: duckdb.DuckDBPyConnection, params: dict,
               name: str) -> Callable[[duckdb.Error], BadFile | StorageError]:
    def explain(exc: duckdb.Error) -> BadFile | StorageError:
        """Re-read with DuckDB's reject store to name the first bad row and why (a full disk or an
        unwritable folder is said as such: the file is not at fault)."""
        if (storage := storage_error(exc)) is not None:
            return storage
        # DuckDB's reject store has been seen to hang on a bad row far into a file read with a small
        # line limit: the re-read gets a time budget, after which the file is named without its row
        budget = threading.Timer(explain_seconds(Path(params["path"])), conn.interrupt)
        budget.start()
        try:
            conn.execute(READ_CSV + ", store_rejects=true, rejects_table='ingest_rejects', "
                         "rejects_scan='ingest_reject_scans')", params).fetchall()
            first = one(conn, "SELECT line, error_type, error_message FROM ingest_rejects ORDER BY line LIMIT 1")
        except duckdb.Error:
            first = None
        finally:
            budget.cancel()
        if first is None:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return BadFile(f"{name}: the file cannot be parsed as CSV: {reason}")
        line, error_type, message = first
        reason = REASONS.get(str(error_type), str(error_type).lower())
        return BadFile(f"{name}, row {max(int(line) - params['skip'], 0)}: {reason} "
                       f"(line {int(line)}: {message.splitlines()[0]})")

    return explain
