"""Looking at the first bytes of a text file: compression, binary or text, encoding, delimiter, header.

Only a sample is read (SAMPLE_BYTES, or up to the first line ending when the header is longer), so
this is cheap on any file; the whole-file checks are in `scobank.ingest.scan`.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from scobank.errors import BadFile
from scobank.ingest.options import ReadOptions

SAMPLE_BYTES = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
# Encodings we recognise besides UTF-8, in the order charset-normalizer is asked to weigh them.
LEGACY_ENCODINGS = ("cp1251", "gb18030", "cp1252")
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class TextLayout:
    """How a delimited text file is written."""

    encoding: str  # "utf-8" (a BOM is allowed) or one of LEGACY_ENCODINGS
    delimiter: str
    quote: str
    header: list[str]
    compressed: bool


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
            while b"\n" not in sample and len(sample) < (max_line or limit) + 1:
                more = handle.read(limit)
                if not more:
                    break
                sample += more
    except EOFError as exc:
        raise BadFile(f"{name}: the file is truncated: the compressed data ends before the end of the "
                      "stream, within the first rows") from exc
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise BadFile(f"{name}: the compressed data is damaged ({exc})") from exc
    if max_line is not None and b"\n" not in sample and len(sample) > max_line:
        raise BadFile(f"{name}, row 0 (header): the first line is longer than {max_line:,} bytes")
    return sample


def check_text(sample: bytes, *, name: str) -> None:
    """BadFile when the sample is empty or looks binary (NUL bytes or many control characters)."""
    if not sample.strip():
        raise BadFile(f"{name}: the file is empty")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadFile(f"{name}: UTF-16 text is not supported; save the file as UTF-8")
    controls = sum(1 for byte in sample[:65536] if byte < 32 and byte not in (9, 10, 13)) + sample.count(0)
    if b"\x00" in sample or controls > len(sample[:65536]) // 100:
        raise BadFile(f"{name}: this is binary data, not a text table (control bytes in the first block)")


def _utf8_lines(sample: bytes) -> tuple[int, int | None]:
    """(lines with non-ASCII UTF-8 text, 1-based line number of the first line that is not UTF-8)."""
    utf8, first_bad = 0, None
    for number, line in enumerate(sample.split(b"\n")[:-1] or [sample], start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
            continue
        if not line.isascii():
            utf8 += 1
    return utf8, first_bad


def detect_encoding(sample: bytes, *, name: str) -> str:
    """"utf-8" when the sample is UTF-8 (with or without BOM), else the best of LEGACY_ENCODINGS.

    A sample whose lines are partly UTF-8 and partly not is a file of mixed encodings: BadFile naming
    the first row that is not UTF-8 (rows counted after the header)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    utf8, first_bad = _utf8_lines(sample)
    if first_bad is None:
        return "utf-8"
    if utf8:
        raise BadFile(
            f"{name}, row {first_bad - 1}: not UTF-8 text, though earlier rows are UTF-8 "
            "(the file mixes encodings; save it in one encoding, preferably UTF-8)"
        )
    best = from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise BadFile(
            f"{name}: the text encoding is not recognised (tried UTF-8, {', '.join(LEGACY_ENCODINGS)})"
        )
    return best.encoding


def _first_lines(text: str, count: int = 50) -> str:
    return "\n".join(text.splitlines()[:count])


def detect_dialect(text: str) -> tuple[str, str]:
    """(delimiter, quote) of the first lines: csv.Sniffer, falling back on the most consistent delimiter."""
    head = _first_lines(text)
    try:
        dialect = csv.Sniffer().sniff(head, delimiters=DELIMITERS)
        return dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:
        pass
    lines = [line for line in head.splitlines() if line.strip()]
    best = max(DELIMITERS, key=lambda d: (min(line.count(d) for line in lines), d == ","))
    return best, '"'


def parse_header(text: str, *, delimiter: str, quote: str, name: str) -> list[str]:
    """Column names of the first line; BadFile for blank or repeated names."""
    first = next(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote), [])
    names = [column.strip() for column in first]
    if not names or all(not n for n in names):
        raise BadFile(f"{name}: the first line has no column names")
    for position, column in enumerate(names, start=1):
        if not column:
            raise BadFile(f"{name}: column {position} of the header has no name")
    seen: set[str] = set()
    for column in names:
        if column.lower() in seen:
            raise BadFile(f"{name}: the header names column {column!r} twice")
        seen.add(column.lower())
    return names


def sniff_text(path: Path, *, name: str, max_line: int, options: ReadOptions | None = None) -> TextLayout:
    """The layout of a delimited text file, from its first block. Raises BadFile (empty, binary,
    mixed or unknown encoding, damaged gzip, header line too long)."""
    sample = read_sample(path, name=name, max_line=max_line)
    check_text(sample, name=name)
    options = options or ReadOptions()
    encoding = options.encoding or detect_encoding(sample, name=name)
    # A sample may end inside a multi-byte character: decode what decodes.
    text = sample.decode(encoding, errors="ignore").lstrip("\ufeff")
    delimiter, quote = detect_dialect(text)
    delimiter = options.delimiter or delimiter
    header = parse_header(text, delimiter=delimiter, quote=quote, name=name)
    return TextLayout(encoding, delimiter, quote, header, compressed=is_gzip(path))
