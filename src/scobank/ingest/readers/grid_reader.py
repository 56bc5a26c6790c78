"""Reading a table out of a grid of cells (spreadsheets, HTML): find it (`scobank.ingest.grid`),
write its data rows as strings to Parquet in the work folder, register that as the view `raw`."""

from __future__ import annotations

from pathlib import Path

import duckdb

from scobank.errors import BadFile
from scobank.ingest.detection import Detection
from scobank.ingest.grid import Cell, Merge, find_table
from scobank.ingest.options import ReadOptions
from scobank.ingest.readers.base import RawTable, as_text_view, generic_explain
from scobank.ingest.readers.cells import write_table


def fill_down(grid: list[list[Cell]], merges: list[Merge], *, first: int) -> None:
    """A label merged down over several data rows ("Алматы" beside two years) names each of them."""
    for r0, c0, r1, _ in merges:
        if r1 > r0 and r0 >= first and c0 < len(grid[r0]) and grid[r0][c0] is not None:
            for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
                while len(grid[r]) <= c0:
                    grid[r].append(None)
                grid[r][c0] = grid[r][c0] or grid[r0][c0]


def load_grid(conn: duckdb.DuckDBPyConnection, grid: list[list[Cell]], merges: list[Merge], *, name: str,
              work_dir: Path, options: ReadOptions, detection: Detection) -> RawTable:
    """Register the table found in `grid` as `raw`; BadFile when the grid holds no table."""
    skip = options.skip_rows
    grid = grid[skip:]
    merges = [(r0 - skip, c0, r1 - skip, c1) for r0, c0, r1, c1 in merges if r0 >= skip]
    if not any(any(c is not None and c.strip() for c in row) for row in grid):
        raise BadFile(f"{name}: {'sheet ' + repr(detection.sheet) if detection.sheet else 'the table'} is empty")
    header_row = None if options.header_row is None else options.header_row - 1 - skip
    if header_row is not None and not 0 <= header_row < len(grid):
        raise BadFile(f"{name}: header row {options.header_row} is outside the table's {len(grid) + skip} rows")
    shape = find_table(grid, merges=merges, header_row=header_row, header_rows=options.header_rows)
    fill_down(grid, merges, first=shape.first_row)
    if shape.last_row < shape.first_row:
        raise BadFile(f"{name}: no data rows found below the header (rows "
                      f"{', '.join(str(r + 1 + skip) for r in shape.header_rows) or 'none'}); "
                      "give the header with --header-row")
    target = work_dir / "table.parquet"
    changed, example = write_table(grid, shape, target, decimal=options.decimal)
    detection.header_rows = [r + 1 + skip for r in shape.header_rows]
    detection.first_data_row = shape.first_row + 1 + skip
    detection.title, detection.notes = shape.title, shape.notes
    detection.summary_rows, detection.footnotes = shape.summary_rows, shape.footnotes
    detection.repaired += [f"column name {a!r} read as {b!r} (Latin and Cyrillic letters mixed)"
                           for a, b in shape.repaired_names]
    if changed:
        detection.repaired.append(f"{changed:,} number{'s' if changed != 1 else ''} written as text in another "
                                  f"format (e.g. {example!r}) read as numbers")
    relation = conn.sql("SELECT * FROM read_parquet($path)", params={"path": str(target)})
    as_text_view(conn, relation)
    return RawTable(columns=shape.names, explain=generic_explain(name), detection=detection)
