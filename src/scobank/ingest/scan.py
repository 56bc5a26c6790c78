"""One streaming pass over a whole text file, before DuckDB parses it.

It proves what a parser would skip over or report vaguely: every byte decodes in the detected encoding
(DuckDB does not check UTF-8 everywhere), no NUL bytes, no line longer than the limit, the gzip stream
is complete. It reads CHUNK bytes at a time (memory stays flat) and, when the file is compressed or
not UTF-8, writes a plain UTF-8 copy for DuckDB into the work folder (parallel reads need plain text).
When DuckDB can read the source as it is (plain UTF-8), the pass runs in a thread beside the parse
(`scan_beside`); its error, if any, wins over whatever the parse or the checks found.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from scobank.errors import BadFile, TooLarge
from scobank.ingest.sniff import TextLayout, as_lf, is_gzip, open_bytes

CHUNK = 16 << 20


@dataclass(frozen=True)
class ScannedText:
    path: Path  # what DuckDB reads: the source itself, or a plain UTF-8 copy in the work folder
    lines: int  # line endings seen (header included)


class _LineTracker:
    """Counts lines and finds the first one longer than `limit` bytes (header = line 1)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lines, self.open_len = limit, 0, 0

    def feed(self, chunk: bytes) -> int | None:
        """Line number of a too-long line completed or still open in this chunk, else None."""
        first = chunk.find(b"\n")
        if first < 0:
            self.open_len += len(chunk)
            return self.lines + 1 if self.open_len > self.limit else None
        if self.open_len + first > self.limit:
            self.open_len += first
            return self.lines + 1
        # Lines wholly inside a chunk are shorter than the chunk, and chunks are at most `limit`.
        self.lines += chunk.count(b"\n")
        self.open_len = len(chunk) - chunk.rfind(b"\n") - 1
        return self.lines + 1 if self.open_len > self.limit else None


def _row(line: int) -> int:
    return max(line - 1, 0)  # data rows are counted after the header line


def copy_needed(layout: TextLayout) -> bool:
    """Whether DuckDB needs a plain UTF-8 copy of the source (compressed, another encoding, notes cut,
    lines ended by CR alone)."""
    utf8 = codecs.lookup(layout.codec).name in ("utf-8", "utf-8-sig")
    return layout.compressed or not utf8 or layout.data_end is not None or layout.cr_lines


def scan_beside(source: Path, **scan) -> Callable[[], None]:
    """`scan_text(source, **scan)` in a thread (for a source that needs no copy); the function returned
    waits for it and raises its error (BadFile, TooLarge)."""
    pool = ThreadPoolExecutor(max_workers=1)
    done = pool.submit(scan_text, source, **scan)
    pool.shutdown(wait=False)
    return lambda: done.result() and None


def scan_text(source: Path, *, layout: TextLayout, name: str, max_line: int, work_dir: Path,
              max_bytes: int | None = None) -> ScannedText:
    """Check the whole file (see the module docstring); BadFile names the row and the reason.
    TooLarge when a compressed file unpacks to more than `max_bytes` (a gzip bomb)."""
    utf8 = codecs.lookup(layout.codec).name in ("utf-8", "utf-8-sig")
    copying = copy_needed(layout)
    target = work_dir / "source.utf8.csv" if copying else source
    decoder = codecs.getincrementaldecoder(layout.codec)("strict")
    wide = layout.codec.startswith("utf-16")
    tracker = _LineTracker(max_line)
    chunk_size = max(1, min(CHUNK, max_line))
    out = target.open("wb") if copying else None
    unpacked, limit = 0, (max_bytes if max_bytes and layout.compressed else None)
    try:
        with open_bytes(source) as handle:
            while chunk := _read(handle, chunk_size, name=name, lines=tracker.lines):
                if layout.cr_lines:
                    chunk = as_lf(chunk)
                if layout.data_end is not None:  # notes under the table are left out of the copy
                    chunk = chunk[: max(0, layout.data_end - unpacked)]
                    if not chunk:
                        break
                unpacked += len(chunk)
                if limit is not None and unpacked > limit:
                    raise _unpacks_too_far(name, limit)
                long_line = tracker.feed(chunk)
                if long_line is not None:
                    size = _line_size(source, long_line)
                    raise BadFile(f"{name}, row {_row(long_line)} (line {long_line}): the line is {size:,} bytes, "
                                  f"over the limit of {max_line:,} bytes (SCOBANK_MAX_LINE_BYTES)")
                if b"\x00" in chunk and not wide:
                    raise BadFile(f"{name}: NUL bytes near row {_row(tracker.lines)}: binary data, not text")
                text = _decode(decoder, chunk, name=name, lines_before=tracker.lines, chunk_lines=chunk)
                if out is not None:
                    out.write(text.encode("utf-8") if not utf8 or layout.codec == "utf-8-sig" else chunk)
            _decode(decoder, b"", name=name, lines_before=tracker.lines, chunk_lines=b"", final=True)
    finally:
        if out is not None:
            out.close()
    return ScannedText(target, tracker.lines)


def _line_size(source: Path, line: int) -> int:
    """The length in bytes of 1-based `line` (a second pass, only on the way to an error)."""
    seen, size = 1, 0
    with open_bytes(source) as handle:
        while chunk := handle.read(CHUNK):
            start = 0
            while seen < line:
                found = chunk.find(b"\n", start)
                if found < 0:
                    break
                seen, start = seen + 1, found + 1
            if seen < line:
                continue
            end = chunk.find(b"\n", start)
            size += (end if end >= 0 else len(chunk)) - start
            if end >= 0:
                break
            seen = line  # the line goes on into the next chunk
    return size


def _unpacks_too_far(name: str, limit: int) -> TooLarge:
    return TooLarge(f"{name}: unpacks to more than {limit:,} bytes (the upload limit, SCOBANK_MAX_UPLOAD_BYTES, "
                    "holds for the unpacked data too)")


def check_unpacked_size(source: Path, *, name: str, max_bytes: int) -> None:
    """For a reader that hands a gzip file to its parser as it is: decompress it once, counting, and
    raise TooLarge when it unpacks to more than `max_bytes` (the upload limit); a plain file passes."""
    if not is_gzip(source):
        return
    unpacked = 0
    with open_bytes(source) as handle:
        while chunk := _read(handle, CHUNK, name=name, lines=0):
            unpacked += len(chunk)
            if unpacked > max_bytes:
                raise _unpacks_too_far(name, max_bytes)


def _read(handle, size: int, *, name: str, lines: int) -> bytes:
    try:
        return handle.read(size)
    except EOFError as exc:
        raise BadFile(f"{name}: the file is truncated: the compressed data ends after about row "
                      f"{_row(lines)}, before the end of the stream") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise BadFile(f"{name}: the compressed data is damaged after about row {_row(lines)} ({exc})") from exc


def _decode(decoder, chunk: bytes, *, name: str, lines_before: int, chunk_lines: bytes,
            final: bool = False) -> str:
    try:
        return decoder.decode(chunk, final)
    except UnicodeDecodeError as exc:
        # `lines_before` already counts this chunk's lines: step back to the error's own line.
        line = lines_before - chunk_lines.count(b"\n") + chunk_lines[: max(exc.start, 0)].count(b"\n") + 1
        raise BadFile(f"{name}, row {_row(line)}: bytes that are not valid {exc.encoding} text "
                      f"({exc.object[exc.start:exc.start + 4]!r}); the file's encoding is wrong or mixed") from exc
