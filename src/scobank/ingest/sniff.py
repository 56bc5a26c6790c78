"""Looking at the first and last bytes of a text file: compression, binary or text, encoding,
delimiter, the lines above the header (title, unit), the header line(s), and notes below the data.

Only a sample is read (SAMPLE_BYTES from the start, or up to the first line ending when the header is
longer, and TAIL_BYTES from the end), so this is cheap on any file; the whole-file checks are in
`scobank.ingest.scan`. The table is found in those lines as in a spreadsheet (`scobank.ingest.grid`).
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from scobank.errors import BadFile
from scobank.ingest.dialect import detect_dialect
from scobank.ingest.encoding import detect_encoding, looks_utf16
from scobank.ingest.grid import Cell, find_table, header_names, is_note_text, row_kind
from scobank.ingest.guess import Guess
from scobank.ingest.options import ReadOptions

SAMPLE_BYTES = 1 << 20
TAIL_BYTES = 64 << 10
HEAD_ROWS = 200
GZIP_MAGIC = b"\x1f\x8b"
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # lines are bounded by SCOBANK_MAX_LINE_BYTES instead


@dataclass(frozen=True)
class TextLayout:
    """How a delimited text file is written, and where its table is."""

    encoding: Guess  # a Python codec name: "utf-8", "utf-8-sig", "utf-16", "cp1251", "kz1048", ...
    delimiter: Guess
    quote: str
    header: list[str]
    compressed: bool
    skip_lines: int = 1  # lines before the first data row (title, header)
    header_lines: list[int] = field(default_factory=lambda: [1])  # 1-based
    title: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines after the data, left out
    data_end: int | None = None  # byte offset (of the decompressed text) where the notes start
    footnotes: dict[str, str] = field(default_factory=dict)
    repaired: list[tuple[str, str]] = field(default_factory=list)
    cr_lines: bool = False  # lines end with CR alone (Excel for Mac's "CSV (Macintosh)"): read as LF

    @property
    def codec(self) -> str:
        return self.encoding.value


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_bytes(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip (by its magic number, not its name)."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_sample(path: Path, *, name: str, limit: int = SAMPLE_BYTES, max_line: int | None = None) -> bytes:
    """The first `limit` bytes (decompressed), extended to the end of the first line when the header
    is longer; BadFile when a gzip stream is broken before that or the first line exceeds `max_line`."""
    try:
        with open_bytes(path) as handle:
            sample = handle.read(limit)
            while not has_line_break(sample) and len(sample) < (max_line or limit) + 1:
                more = handle.read(limit)
                if not more:
                    break
                sample += more
    except EOFError as exc:
        raise BadFile(f"{name}: the file is truncated: the compressed data ends before the end of the "
                      "stream, within the first rows") from exc
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise BadFile(f"{name}: the compressed data is damaged ({exc})") from exc
    if max_line is not None and not has_line_break(sample) and len(sample) > max_line:
        raise BadFile(f"{name}, row 0 (header): the first line is longer than {max_line:,} bytes")
    return sample


def has_line_break(sample: bytes) -> bool:
    return b"\n" in sample or b"\r" in sample


def cr_lines(sample: bytes, codec: str) -> bool:
    """Whether lines end with CR alone (old Mac files, Excel for Mac's "CSV (Macintosh)"). Only for
    single- and multi-byte codecs: in UTF-16 a 0x0D byte can be half of another character."""
    return b"\n" not in sample and b"\r" in sample and not codec.startswith("utf-16")


def as_lf(chunk: bytes) -> bytes:
    """A CR-only file's bytes with LF line ends: the same length, so byte offsets still hold."""
    return chunk.replace(b"\r", b"\n")


def check_text(sample: bytes, *, name: str) -> None:
    """BadFile when the sample is empty or looks binary (NUL bytes or many control characters)."""
    if not sample.strip():
        raise BadFile(f"{name}: the file is empty")
    if looks_utf16(sample):
        return
    controls = sum(1 for byte in sample[:65536] if byte < 32 and byte not in (9, 10, 13)) + sample.count(0)
    if b"\x00" in sample or controls > len(sample[:65536]) // 100:
        raise BadFile(f"{name}: this is binary data, not a text table (control bytes in the first block)")


def _rows(text: str, *, delimiter: str, quote: str) -> tuple[list[list[Cell]], list[int]]:
    """The first HEAD_ROWS rows of `text` as cells, and the 1-based line on which each row ends."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote)
    rows, ends = [], []
    try:
        for row in reader:
            rows.append([c.strip() or None for c in row])
            ends.append(reader.line_num)
            if len(rows) >= HEAD_ROWS:
                break
    except csv.Error:
        pass  # the sample ends inside a quoted value: the rows before it are enough
    return rows, ends


def sniff_text(path: Path, *, name: str, max_line: int, options: ReadOptions | None = None) -> TextLayout:
    """The layout of a delimited text file, from its first and last blocks. Raises BadFile (empty,
    binary, mixed or unknown encoding, damaged gzip, header line too long, no data rows)."""
    options = options or ReadOptions()
    sample = read_sample(path, name=name, max_line=max_line)
    check_text(sample, name=name)
    encoding = Guess.of(options.encoding) if options.encoding else detect_encoding(sample, name=name)
    cr = cr_lines(sample, encoding.value)
    if cr:
        sample = as_lf(sample)
    # A sample may end inside a multi-byte character: decode what decodes.
    text = sample.decode(encoding.value, errors="ignore").lstrip("\ufeff")
    skipped = "".join(text.splitlines(keepends=True)[: options.skip_rows])
    text = text[len(skipped):]
    delimiter, quote = detect_dialect(text)
    if options.delimiter:
        delimiter = Guess.of(options.delimiter)
    rows, ends = _rows(text, delimiter=delimiter.value, quote=quote)
    cut = len(sample) == SAMPLE_BYTES and bool(rows)
    if cut:  # the last row may be cut short
        rows, ends = rows[:-1], ends[:-1]
    if not rows and cut:
        raise BadFile(f"{name}: row 1: the first line runs past the first {SAMPLE_BYTES:,} bytes without a line "
                      "break; a header that long is data, or the file is not a table")
    if not rows:
        raise BadFile(f"{name}: the file is empty")
    layout = _table(rows, ends, options=options, name=name)
    width = len(layout["header"])
    notes, data_end = _tail(path, sample, encoding.value, delimiter.value, quote, width=width, name=name, cr=cr)
    return TextLayout(
        encoding, delimiter, quote, layout["header"], is_gzip(path), skip_lines=layout["skip"] + options.skip_rows,
        header_lines=[line + options.skip_rows for line in layout["header_lines"]], title=layout["title"],
        notes=notes, data_end=data_end, footnotes=layout["footnotes"], repaired=layout["repaired"], cr_lines=cr)


def _table(rows: list[list[Cell]], ends: list[int], *, options: ReadOptions, name: str) -> dict:
    """Header names and lines, title lines, number of lines before the data, from the first rows."""
    header_row = None
    if options.header_row is not None:
        header_row = next((i for i, end in enumerate(ends) if end >= options.header_row - options.skip_rows), None)
        if header_row is None:
            raise BadFile(f"{name}: header row {options.header_row} is beyond the first {HEAD_ROWS} rows")
    shape = find_table(rows, header_row=header_row, header_rows=options.header_rows)
    if shape.first_row >= len(rows) and not shape.header_rows:
        raise BadFile(f"{name}: the first line has no column names")
    data = rows[shape.first_row:] or rows[-1:]
    width = max(len(r) for r in data[:50]) if data else max(len(rows[h]) for h in shape.header_rows)
    width = max([width, *(len(rows[h]) for h in shape.header_rows)])
    names, footnotes, repaired = header_names(rows, shape.header_rows, list(range(width)), [])
    if not shape.header_rows:
        names = [f"column {j + 1}" for j in range(width)]
    top = shape.header_rows[0] if shape.header_rows else shape.first_row
    skip = ends[shape.header_rows[-1]] if shape.header_rows else (ends[top - 1] if top else 0)
    return {"header": names, "skip": skip,
            "header_lines": [(ends[h - 1] if h else 0) + 1 for h in shape.header_rows],
            "title": [" ".join(c for c in r if c) for r in rows[:top] if any(r)],
            "footnotes": footnotes, "repaired": repaired}


def _tail(path: Path, sample: bytes, encoding: str, delimiter: str, quote: str, *, width: int,
          name: str, cr: bool = False) -> tuple[list[str], int | None]:
    """Notes and sources under the data ("注：...", "Источник: ..."): the trailing lines that are not
    table rows, and the byte offset where they start (None when there are none)."""
    whole = len(sample) < SAMPLE_BYTES
    if encoding.startswith("utf-16"):
        return [], None  # lines are not split on single bytes there; notes are read as rows
    if whole:
        block, offset = sample, 0
    elif is_gzip(path):
        return [], None  # notes under a compressed file's data are read as rows (and reported)
    else:
        size = path.stat().st_size
        with path.open("rb") as handle:
            handle.seek(max(0, size - TAIL_BYTES))
            block = as_lf(handle.read()) if cr else handle.read()
        offset = size - len(block)
        cut = block.find(b"\n") + 1
        block, offset = block[cut:], offset + cut
    lines = block.split(b"\n")
    if lines and lines[-1] == b"":
        lines = lines[:-1]
    kept = len(lines)
    while kept > 1:
        line = lines[kept - 1].decode(encoding, errors="replace").strip("\r\ufeff")
        row = next(csv.reader([line], delimiter=delimiter, quotechar=quote), [])
        cells: list[Cell] = [c.strip() or None for c in row]
        kind = row_kind(cells)
        if len(row) == width and kind != "empty" and not (kind == "note" and is_note_text(cells)):
            break
        if row_kind(cells) == "data" and abs(len(row) - width) <= 1 and width > 2:
            break
        kept -= 1
    if kept == len(lines):
        return [], None
    notes = [lines[i].decode(encoding, errors="replace").strip() for i in range(kept, len(lines))]
    data_end = offset + sum(len(line) + 1 for line in lines[:kept])
    return [n for n in notes if n.strip(delimiter + " \r")], data_end
