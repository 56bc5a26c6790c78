"""HTML tables, whatever the file is named: statistical portals save report pages as .asp, .aspx,
.php or even .xls. The table with the most rows is read (colspan/rowspan kept as merged cells), the
page's text above it is its title, and the table itself is found as `scobank.ingest.grid` says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from scobank.errors import BadFile
from scobank.ingest.detection import Detection
from scobank.ingest.encoding import detect_encoding
from scobank.ingest.grid import Cell, Merge
from scobank.ingest.guess import Guess
from scobank.ingest.options import ReadOptions
from scobank.ingest.readers.base import RawTable, head
from scobank.ingest.readers.cells import cell_text
from scobank.ingest.readers.grid_reader import load_grid

HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype html|<html|<head|<body|<table|<meta)", re.I | re.S)
MAX_BYTES = 256 << 20


def is_html(path: Path) -> bool:
    start = head(path, 2048).lstrip(b"\xef\xbb\xbf")
    return bool(HTML_START.match(start)) or (b"<table" in start.lower() and b"<tr" in start.lower())


class HtmlReader:
    label = "HTML tables (.html, .htm, or a report page saved as .asp/.aspx/.php/.xls)"

    def accepts(self, path: Path, *, name: str) -> bool:
        return is_html(path)

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        import lxml.etree
        import lxml.html

        data = path.read_bytes()[:MAX_BYTES]
        encoding = Guess.of(options.encoding) if options.encoding else _encoding(data, name=name)
        try:
            doc = lxml.html.document_fromstring(data.decode(encoding.value, errors="replace"))
        except (lxml.etree.ParserError, ValueError) as exc:
            raise BadFile(f"{name}: the HTML page cannot be parsed ({exc})") from exc
        tables = doc.xpath("//table")
        if not tables:
            raise BadFile(f"{name}: the HTML page holds no table")
        table = max(tables, key=lambda t: len(_rows(t)))
        grid, merges = _grid(table)
        detection = Detection("HTML", encoding=encoding)
        raw = load_grid(conn, grid, merges, name=name, work_dir=work_dir, options=options, detection=detection)
        detection.title = _page_title(doc, table) + detection.title
        return raw


def _encoding(data: bytes, *, name: str) -> Guess:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    if declared:
        import codecs

        try:
            return Guess(codecs.lookup(declared.group(1).decode("ascii")).name, 1.0)
        except LookupError:
            pass
    return detect_encoding(data[: 1 << 20], name=name)


def _rows(table) -> list:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _grid(table) -> tuple[list[list[Cell]], list[Merge]]:
    """The table as a grid: a colspan/rowspan cell fills its first position and is a merge."""
    grid: list[list[Cell]] = []
    merges: list[Merge] = []
    taken: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(_rows(table)):
        row: list[Cell] = []
        c = 0
        for td in tr.xpath("./td|./th"):
            while taken.get((r, c)):
                row.append(None)
                c += 1
            colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
            row.append(cell_text(td.text_content()))
            row.extend([None] * (colspan - 1))
            if colspan > 1 or rowspan > 1:
                merges.append((r, c, r + rowspan - 1, c + colspan - 1))
                for dr in range(1, rowspan):
                    for dc in range(colspan):
                        taken[(r + dr, c + dc)] = True
            c += colspan
        grid.append(row)
    return grid, merges


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _page_title(doc, table) -> list[str]:
    """The page's text before the table (headings, "Values in US$ Million"), line by line."""
    lines: list[str] = []
    for element in doc.body.iter() if doc.body is not None else []:
        if element is table:
            break
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            continue
        for text in (element.text, element.tail):
            if text and text.strip() and not _inside(element, table):
                lines.append(" ".join(text.split()))
    return lines[:12]


def _inside(element, table) -> bool:
    return any(parent is table for parent in element.iterancestors())
