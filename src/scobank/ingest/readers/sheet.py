"""Spreadsheets: .xlsx/.xlsm, legacy .xls (BIFF8, also slightly malformed files) and .ods, read with
calamine. The sheet is the one given (name or 1-based position) or the one with the most numbers (a
contents sheet in front is passed over); the table in it is found as `scobank.ingest.grid` says."""

from __future__ import annotations

from pathlib import Path

import duckdb
import python_calamine as calamine

from scobank.errors import BadFile
from scobank.ingest.detection import Detection
from scobank.ingest.grid import Cell, Merge
from scobank.ingest.numbers import looks_numeric
from scobank.ingest.options import ReadOptions
from scobank.ingest.readers.base import RawTable, head, suffixes
from scobank.ingest.readers.cells import cell_text
from scobank.ingest.readers.grid_reader import load_grid
from scobank.ingest.readers.html import is_html
from scobank.ingest.readers.zip_guard import check_archive

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SUFFIXES = {".xlsx": "XLSX", ".xlsm": "XLSX", ".ods": "ODS"}
CALAMINE_ERRORS = (calamine.CalamineError, calamine.PasswordError, calamine.WorksheetNotFound,
                   calamine.XmlError, calamine.ZipError, ValueError, OSError, ArithmeticError, IndexError)


def _calamine_failure(exc: BaseException) -> bool:
    """calamine's own errors, and a panic in its Rust code (pyo3's PanicException, a BaseException)."""
    return isinstance(exc, CALAMINE_ERRORS) or type(exc).__name__ == "PanicException"


def sheet_format(path: Path, name: str) -> str | None:
    """"XLSX", "ODS" or "XLS" by the file's first bytes (and, for zip files, its name)."""
    magic = head(path, 8)
    if magic == OLE_MAGIC:
        return "XLS"
    found = suffixes(name)
    if magic[:2] == b"PK" and found and found[-1] in ZIP_SUFFIXES:
        return ZIP_SUFFIXES[found[-1]]
    return None


class SheetReader:
    label = "spreadsheets (.xlsx, .xls, .ods)"

    def accepts(self, path: Path, *, name: str) -> bool:
        """By content; an .xlsx/.ods name that is no zip is refused here with a clear reason. An .xls
        name on an HTML page or on text (what many portals' "Excel" links serve) goes to those readers."""
        found = suffixes(name)
        return sheet_format(path, name) is not None or bool(found and found[-1] in ZIP_SUFFIXES
                                                             and not is_html(path))

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        kind = sheet_format(path, name)
        if kind is None:
            raise BadFile(f"{name}: not a spreadsheet (an .xlsx or .ods file is a zip archive, an .xls "
                          "file an OLE document)")
        if kind in ("XLSX", "ODS"):
            check_archive(path, name=name)  # zip bombs, entity expansion, huge grids, external links
        try:
            book = calamine.CalamineWorkbook.from_path(str(path))
            sheet_name = _choose_sheet(book, options.sheet, name=name)
            sheet = book.get_sheet_by_name(sheet_name)
            grid = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merges: list[Merge] = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        except BaseException as exc:
            if not _calamine_failure(exc):
                raise
            raise BadFile(f"{name}: the workbook cannot be read ({type(exc).__name__}: {exc})") from exc
        detection = Detection(kind, sheet=sheet_name, sheets=list(book.sheet_names))
        return load_grid(conn, grid, merges, name=name, work_dir=work_dir, options=options, detection=detection)


def _choose_sheet(book, wanted: str | int | None, *, name: str) -> str:
    names = list(book.sheet_names)
    if not names:
        raise BadFile(f"{name}: the workbook has no sheets")
    if isinstance(wanted, int):
        if not 1 <= wanted <= len(names):
            raise BadFile(f"{name}: there is no sheet {wanted}; the sheets are {', '.join(map(repr, names))}")
        return names[wanted - 1]
    if wanted is not None:
        match = next((n for n in names if n.strip().casefold() == wanted.strip().casefold()), None)
        if match is None:
            raise BadFile(f"{name}: there is no sheet {wanted!r}; the sheets are {', '.join(map(repr, names))}")
        return match
    if len(names) == 1:
        return names[0]
    return max(names, key=lambda n: (_numbers(book.get_sheet_by_name(n).to_python()), -names.index(n)))


def _numbers(rows: list[list[object]]) -> int:
    count = 0
    for row in rows:
        for value in row:
            text: Cell = cell_text(value)
            count += text is not None and (isinstance(value, int | float) or looks_numeric(text))
    return count
