"""SDMX-CSV files (2.0: `STRUCTURE,STRUCTURE_ID,ACTION,...`; 1.0: `DATAFLOW,...`), as a .Stat Suite or
`sdmx1` writes them: read as delimited text (scobank.ingest.readers.csv), then the structural columns
are left out (the dataflow is said in the report), `ID: Name` labels (labels=both) keep their id, and
the observations become the table's rows: dimensions, TIME_PERIOD, OBS_VALUE, attributes.

A row whose ACTION is D (delete) is refused naming its row: a version is published whole, so the rows
to keep are sent, not the ones to delete."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb

from scobank.errors import BadFile, Problem
from scobank.ingest.detection import Detection
from scobank.ingest.duck import ident, one
from scobank.ingest.options import ReadOptions
from scobank.ingest.readers.base import RawTable, head
from scobank.ingest.readers.csv import CsvReader
from scobank.problem_kinds import Kind

STRUCTURAL = ("STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "DATAFLOW", "SERIES_KEY", "OBS_KEY")
HEADS = (b"STRUCTURE,", b"STRUCTURE;", b"STRUCTURE[", b"DATAFLOW,", b"DATAFLOW;")
BOM = b"\xef\xbb\xbf"


def component_id(header: str) -> str:
    """`REF_AREA: Reference area` -> `REF_AREA` (SDMX-CSV labels=both)."""
    return header.split(": ", 1)[0].strip()


class SdmxCsvReader:
    label = "SDMX-CSV 1.0/2.0 (.csv)"

    def accepts(self, path: Path, *, name: str) -> bool:
        start = head(path, 32)
        start = start[len(BOM):] if start.startswith(BOM) else start
        return start.startswith(HEADS) and CsvReader().accepts(path, name=name)

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        raw = CsvReader().load(conn, path, name=name, work_dir=work_dir, max_line=max_line, options=options)
        ids = [component_id(c) for c in raw.columns]
        _refuse_deletions(conn, raw.columns, ids, name)
        flow_column = ident(raw.columns[ids.index("STRUCTURE_ID") if "STRUCTURE_ID" in ids else 0])
        flow = one(conn, f"SELECT {flow_column} FROM raw LIMIT 1")  # noqa: S608 (a quoted name)
        kept = [(c, i) for c, i in zip(raw.columns, ids, strict=True) if i not in STRUCTURAL]
        if not kept:
            raise BadFile(f"{name}: an SDMX-CSV file with no dimension or value columns")
        labelled = {c for c, i in kept if c != i}
        columns = ", ".join(
            (f"split_part({ident(c)}, ': ', 1) AS {ident(i)}" if c in labelled else f"{ident(c)} AS {ident(i)}")
            for c, i in kept)
        conn.execute("DROP VIEW IF EXISTS sdmx_source")
        conn.execute("ALTER VIEW raw RENAME TO sdmx_source")
        conn.sql(f"SELECT {columns} FROM sdmx_source").create_view("raw", replace=True)  # noqa: S608 (quoted names)
        version = "2.0" if ids[0] == "STRUCTURE" else "1.0"
        found = f"SDMX-CSV {version}, dataflow {flow[0] if flow else '?'}"
        detection = replace(raw.detection, format=found) if raw.detection else Detection(format=found)
        return RawTable(columns=[i for _, i in kept], explain=raw.explain, detection=detection)


def _refuse_deletions(conn: duckdb.DuckDBPyConnection, columns: list[str], ids: list[str], name: str) -> None:
    if "ACTION" not in ids:
        return
    action = ident(columns[ids.index("ACTION")])
    found = one(conn, f"SELECT n, a FROM (SELECT row_number() OVER () AS n, {action} AS a FROM raw) "  # noqa: S608
                      "WHERE upper(a) NOT IN ('I', 'A', 'R') OR a IS NULL ORDER BY n LIMIT 1")
    if found:
        row, value = found
        problem = Problem(code=Kind.BAD_VALUE.value, file=name, row=int(row), column="ACTION", value=value,
                          message=f"ACTION {value!r}: the bank publishes whole versions (I, A or R); send the "
                                  "rows to keep rather than D (delete)")
        raise BadFile(f"{name}: {problem}", problems=[problem])
