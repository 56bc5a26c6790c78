"""Spreadsheet and HTML cells as the text a person sees, and the grid they form, written to Parquet.

Numbers written as text in another format than the sheet's own ("46,7" beside 37.5 in a Kazakh BNS
workbook; "32,497.02" in an Indian HTML table) become plain numbers here, since the typed cells beside
them already are; the count is reported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scobank.ingest.grid import Cell, TableShape
from scobank.ingest.markers import MARKERS
from scobank.ingest.numbers import PLAIN, canonical

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
    if isinstance(value, str):
        text = " ".join(value.replace("\u00a0", " ").split())
        return text or None
    return str(value)


def number_text(text: Cell, *, decimal: str | None) -> tuple[Cell, bool]:
    """(the cell, True when it was a number written in another format and now reads as one)."""
    if text is None or text in MARKERS:
        return text, False
    import re

    if re.fullmatch(PLAIN.pattern, text):
        return text, False
    fixed = canonical(text, decimal=decimal)
    return (fixed, True) if fixed is not None else (text, False)


def write_table(grid: list[list[Cell]], shape: TableShape, target: Path, *,
                decimal: str | None) -> tuple[int, str | None]:
    """The table's data rows (blank rows left out) as a Parquet file of strings; the number of
    cells whose number format was normalised, and the first of them as written."""
    schema = pa.schema([(name, pa.string()) for name in shape.names])
    changed, example = 0, None
    with pq.ParquetWriter(target, schema) as writer:
        batch: list[list[Cell]] = []
        for i in range(shape.first_row, shape.last_row + 1):
            row = grid[i]
            values = []
            for j in shape.columns:
                value, fixed = number_text(row[j] if j < len(row) else None, decimal=decimal)
                if fixed:
                    changed += 1
                    example = example or row[j]
                values.append(value)
            if any(v is not None for v in values):
                batch.append(values)
            if len(batch) >= BATCH:
                writer.write_table(_arrow(batch, schema))
                batch = []
        writer.write_table(_arrow(batch, schema))
    return changed, example


def _arrow(batch: list[list[Cell]], schema: pa.Schema) -> pa.Table:
    if not batch:
        return schema.empty_table()
    return pa.table([list(col) for col in zip(*batch, strict=True)], schema=schema)
