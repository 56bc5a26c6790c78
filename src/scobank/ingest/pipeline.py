"""`stage_file`: one file in, one validated, deterministic Parquet file out (or a typed error).

    size check -> reader (format) -> raw view -> work table (typed, codes resolved) -> checks -> Parquet

DuckDB does the heavy lifting, streaming the file with bounded memory; nothing of a file's rows is held
in Python. Nothing half-written: work files carry a temporary suffix and are removed on any error or
interrupt; the Parquet appears under its final name by one rename at the very end. Nothing goes into
the lake: the caller moves the staged file there (or deletes it).
"""

from __future__ import annotations

import hashlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
from sqlalchemy.orm import Session

from scobank.config import get_settings
from scobank.errors import BadFile, TooLarge, ValidationReport
from scobank.ingest.duck import connect
from scobank.ingest.options import ReadOptions
from scobank.ingest.outcome import Staged
from scobank.ingest.problems import ProblemLog
from scobank.ingest.readers import RawTable, reader_for
from scobank.ingest.readers.base import check_column_names
from scobank.ingest.staging import clean_stale, final_path, temp_path
from scobank.ingest.table import stage_table
from scobank.ingest.trade_stage import stage_trade

HASH_CHUNK = 8 << 20


@dataclass(frozen=True)
class StagedTable:
    parquet_path: Path  # a new file under get_settings().staging_dir; the caller moves it or deletes it
    table_schema: dict  # Frictionless Table Schema: {"fields": [...], "primaryKey": [...]}
    report: ValidationReport  # rows_read, rows_accepted, problems (rows left out under "skip-rows")
    row_count: int
    source_name: str  # the file's name as the user gave it
    source_sha256: str  # sha256 of the source file's bytes


def stage_file(
    session: Session,
    *,
    source: Path,
    kind: Literal["table", "trade"] = "table",
    on_error: Literal["abort", "skip-rows"] = "abort",
    schema: dict | None = None,
    hs_revision: str | None = None,
    source_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    options: ReadOptions | None = None,
) -> StagedTable:
    """Read, validate and convert `source` into a Parquet file in the staging folder.

    kind="trade" maps BACI, UN Comtrade or trade-flow tables onto the canonical trade-flow table;
    kind="table" keeps the columns, with `schema` (Table Schema) or inferred types. `progress` is
    called with the number of source bytes read so far. `options` overrides what detection would
decide (encoding, delimiter, decimal mark, sheet, header rows, missing-value markers). Raises TooLarge (before reading), UnsupportedFormat,
    BadFile (file unreadable: names row and reason), IngestRejected (on_error="abort" and any bad row;
    the report lists every problem); under on_error="skip-rows" bad rows are left out and reported.
    The same input bytes always give the same Parquet bytes.
    """
    settings = get_settings()
    options = options or ReadOptions()
    name = source_name or source.name
    _check_size(source, name=name, limit=settings.max_upload_bytes)
    staging = settings.staging_dir
    staging.mkdir(parents=True, exist_ok=True)
    clean_stale(staging)
    hashing = ThreadPoolExecutor(max_workers=1)  # the source's sha256, read beside the parse
    sha = hashing.submit(_sha256, source, progress=progress)
    work_dir = temp_path(staging, "work")
    work_dir.mkdir()
    conn = connect(work_dir=work_dir)
    try:
        raw = reader_for(source, name=name).load(conn, source, name=name, work_dir=work_dir,
                                                  max_line=settings.max_line_bytes, options=options)
        check_column_names(raw.columns, name=name)  # every reader's header (CSV's is checked as it is sniffed)
        log = ProblemLog(file=name)
        with _settled(raw), _read_errors(raw):
            if kind == "trade":
                staged = stage_trade(conn, session, raw=raw, name=name, log=log, on_error=on_error,
                                     hs_revision=hs_revision, work_dir=work_dir)
            else:
                staged = stage_table(conn, session, raw=raw, name=name, log=log, on_error=on_error,
                                     schema=schema, hs_revision=hs_revision, options=options)
        parquet = _write(staged, staging)
    except BaseException:
        sha.cancel()
        raise
    finally:
        conn.close()
        shutil.rmtree(work_dir, ignore_errors=True)
        hashing.shutdown(wait=True)
    try:
        digest = sha.result()
    except BaseException:
        parquet.unlink(missing_ok=True)
        raise
    return StagedTable(parquet, staged.table_schema, staged.report, staged.row_count, name, digest)


def _check_size(source: Path, *, name: str, limit: int) -> int:
    try:
        size = source.stat().st_size
    except FileNotFoundError as exc:
        raise BadFile(f"{name}: no such file") from exc
    if size > limit:
        raise TooLarge(f"{name}: {size:,} bytes is over the upload limit of {limit:,} bytes "
                       "(SCOBANK_MAX_UPLOAD_BYTES)")
    return size


def _sha256(source: Path, *, progress: Callable[[int], None] | None) -> str:
    digest = hashlib.sha256()
    done = 0
    with source.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
    return digest.hexdigest()


@contextmanager
def _settled(raw: RawTable) -> Iterator[None]:
    """The whole-file scan that ran beside the parse has the first word: its error (bad bytes, a line
    over the limit) replaces whatever staging raised, and a clean run waits for it before keeping."""
    try:
        yield
    except Exception:
        raw.settle()
        raise
    raw.settle()


@contextmanager
def _read_errors(raw: RawTable) -> Iterator[None]:
    """DuckDB reads the file lazily, so parse errors surface in later queries: name row and reason."""
    try:
        yield
    except (duckdb.InvalidInputException, duckdb.ConversionException, duckdb.IOException) as exc:
        raise raw.explain(exc) from exc


def _write(staged: Staged, staging: Path) -> Path:
    """Write to a temporary name (or take the direct path's file), then rename: a staged file is whole
    or absent."""
    partial = staged.written or temp_path(staging, "table")
    try:
        if staged.relation is not None:
            staged.relation.write_parquet(str(partial), compression="zstd")
        target = final_path(staging)
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
