"""Checks on an .xlsx or .ods archive before calamine opens it, so that a malicious workbook is refused
with its name and the reason, in bounded time and memory, and never reaches a parser that would
expand it.

What is refused:
- a zip bomb: more than MAX_UNPACKED bytes unpacked in all, a part that unpacks to more than
  BOMB_RATIO times its packed size (beyond BOMB_FLOOR bytes), more than MAX_PARTS parts, or a part
  whose bytes do not match its recorded size or checksum;
- XML with a document type or entity declarations (the "billion laughs" expansion; Office never
  writes them);
- more than MAX_SHARED_STRINGS shared strings;
- a sheet whose cells span more than MAX_CELLS (calamine holds a sheet as a dense grid, so one cell
  at XFD1048576 asks for 17 billion);
- links to other workbooks or data connections (external links);
- XML not in UTF-8 (it could hide the declarations above from these checks).

Every part is read once, as a stream of CHUNK bytes: the work is bounded by MAX_UNPACKED.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from scobank.errors import BadFile

MAX_UNPACKED = 1024**3
BOMB_RATIO = 200
BOMB_FLOOR = 16 * 1024**2
MAX_PARTS = 10_000
MAX_SHARED_STRINGS = 5_000_000
MAX_CELLS = 25_000_000
CHUNK = 1024**2
TAIL = 512  # bytes kept between chunks so that a pattern cut in two is still seen

DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# A cell's position, r="XFD1048576" (rows carry digits only); the literal start keeps the search fast.
CELL_COLUMN = re.compile(rb"r=\"([A-Z]{1,3})[0-9]")
CELL_ROW = re.compile(rb"r=\"[A-Z]{1,3}([0-9]{1,7})\"")
SHARED_STRING = re.compile(rb"<si[\s>/]")
EXTERNAL = re.compile(r"^xl/(externalLinks/|connections\.xml$)", re.IGNORECASE)


@dataclass
class _Sheet:
    max_row: int = 0
    max_col: int = 0


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refuse(name: str, reason: str) -> BadFile:
    return BadFile(f"{name}: refused, {reason}; nothing was read")


def check_archive(path: Path, *, name: str) -> None:
    """Raise BadFile naming `name` and the reason when the workbook at `path` is malicious (see the
    module's list); return quietly for an ordinary workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_parts(archive, name)
    except zipfile.BadZipFile as exc:
        raise _refuse(name, f"the archive is damaged ({exc})") from exc
    except (zlib.error, EOFError, NotImplementedError) as exc:
        raise _refuse(name, f"a part of the archive cannot be unpacked ({exc})") from exc


def _check_parts(archive: zipfile.ZipFile, name: str) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _refuse(name, f"the archive holds {len(parts):,} parts; a workbook has at most {MAX_PARTS:,}")
    linked = sorted(p.filename for p in parts if EXTERNAL.match(p.filename))
    if linked:
        raise _refuse(name, f"the workbook links to other workbooks or data sources ({', '.join(linked[:3])}); "
                            "save it with the values only (break the links) and upload it again")
    budget = [MAX_UNPACKED]
    for part in parts:
        if not part.is_dir():
            _check_part(archive, part, name, budget)


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, budget: list[int]) -> None:
    where = f"{name} › {part.filename}"
    if part.file_size > budget[0]:
        raise _refuse(where, f"it unpacks to {part.file_size:,} bytes, beyond the limit of {MAX_UNPACKED:,} "
                             "for a whole workbook (a zip bomb?)")
    if part.file_size > BOMB_FLOOR and part.file_size > BOMB_RATIO * max(part.compress_size, 1):
        raise _refuse(where, f"{part.compress_size:,} packed bytes unpack to {part.file_size:,} "
                             f"(more than {BOMB_RATIO} times: a zip bomb)")
    is_xml = part.filename.lower().endswith((".xml", ".rels", ".vml"))
    is_sheet = part.filename.startswith("xl/worksheets/") and is_xml
    is_strings = part.filename == "xl/sharedStrings.xml"
    sheet, strings, carry = _Sheet(), 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _refuse(where, f"the workbook unpacks to more than {MAX_UNPACKED:,} bytes (a zip bomb?)")
            if not is_xml:
                continue
            if not carry and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:64]):
                raise _refuse(where, "its XML is not in UTF-8 (Office writes UTF-8), so it cannot be checked")
            window = carry + chunk
            if DECLARATION.search(window):
                raise _refuse(where, "its XML declares a document type or entities, which can expand "
                                     "without end (billion laughs); Office never writes them")
            if is_sheet:
                _cells(window, sheet, where)
            if is_strings:
                strings += sum(1 for m in SHARED_STRING.finditer(window) if m.end() > len(carry))
                if strings > MAX_SHARED_STRINGS:
                    raise _refuse(where, f"it holds more than {MAX_SHARED_STRINGS:,} shared strings")
            carry = window[-TAIL:]


def _cells(window: bytes, sheet: _Sheet, where: str) -> None:
    """Track the farthest cell of a sheet; refuse when the grid it spans is beyond MAX_CELLS. (The
    distinct letters and numbers are few, so the regular expressions do the work, not a loop per cell.)"""
    columns, rows = set(CELL_COLUMN.findall(window)), set(CELL_ROW.findall(window))
    if columns:
        sheet.max_col = max(sheet.max_col, max(_column(c) for c in columns))
    if rows:
        sheet.max_row = max(sheet.max_row, max(int(r) for r in rows))
    if sheet.max_row * sheet.max_col > MAX_CELLS:
        raise _refuse(where, f"its cells span {sheet.max_row:,} rows by {sheet.max_col:,} columns, more than "
                             f"{MAX_CELLS:,} cells; save the table as CSV and upload that")
