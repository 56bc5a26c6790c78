"""What every reader provides (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

from scobank.errors import BadFile
from scobank.ingest.detection import Detection
from scobank.ingest.options import ReadOptions


@dataclass(frozen=True)
class RawTable:
    """The file's rows, registered as the view `raw` (all VARCHAR, original column names)."""

    columns: list[str]
    # Turns a DuckDB error raised while the rows are read into a BadFile naming row and reason.
    explain: Callable[[duckdb.Error], BadFile]
    # Fast path, where the format allows it: register the view `raw_typed` with the given column types
    # parsed by the reader itself; reading it raises a DuckDB error when a value does not parse (then
    # the caller must use the all-text view `raw` instead).
    typed_view: Callable[[dict[str, str]], None] | None = None
    # What reading found out (encoding, delimiter, header rows, ...), shown in the report.
    detection: Detection | None = None
    # Waits for checks of the whole file that run beside the parse, and raises what they found; called
    # before a staged file is kept, and before any other error is reported (the file's fault comes first).
    settle: Callable[[], None] = lambda: None  # noqa: E731


class Reader(Protocol):
    label: str  # "CSV/TSV", shown when no reader accepts a file

    def accepts(self, path: Path, *, name: str) -> bool:
        """Whether this reader reads the file (by its name as the user gave it, and its first bytes)."""

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        """Register the file as the view `raw`; BadFile when it cannot be read at all."""


def suffixes(name: str) -> list[str]:
    """Lower-case suffixes of a file name without a trailing .gz: "a.CSV.gz" -> [".csv"]."""
    found = [s.lower() for s in Path(name).suffixes]
    return found[:-1] if found and found[-1] == ".gz" else found


def head(path: Path, size: int = 8) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


MAX_COLUMN_NAME = 1_000  # characters; a longer "name" is data or a broken file, not a header cell


def check_column_names(columns: list[str], *, name: str, row: int | None = None) -> None:
    """Refuse a header cell too long to be a column name (a file of one huge line, a header-less dump),
    naming file, row and column, before any query is built over the names."""
    for number, column in enumerate(columns, start=1):
        if len(column) > MAX_COLUMN_NAME:
            where = f"row {row}, " if row else ""
            raise BadFile(f"{name}: {where}column {number}: the header cell is {len(column):,} characters long "
                          f"(a column name may have at most {MAX_COLUMN_NAME:,}); is the first line data, or the "
                          "file not a table?")


def generic_explain(name: str) -> Callable[[duckdb.Error], BadFile]:
    def explain(exc: duckdb.Error) -> BadFile:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return BadFile(f"{name}: the file cannot be read: {first}")

    return explain


def as_text_view(conn: duckdb.DuckDBPyConnection, relation: duckdb.DuckDBPyRelation) -> list[str]:
    """Register `relation` as `raw` with every column cast to VARCHAR; return the column names."""
    columns = list(relation.columns)
    projected = relation.project(
        *[duckdb.ColumnExpression(c).cast(duckdb.sqltype("VARCHAR")).alias(c) for c in columns]
    )
    projected.create_view("raw", replace=True)
    return columns
