"""What a staging step (trade or table) hands back to the pipeline, and how a run ends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from scobank.errors import BadFile, IngestRejected, Problem, ValidationReport
from scobank.ingest.detection import Detection
from scobank.ingest.problems import ProblemLog
from scobank.problem_kinds import Kind


@dataclass(frozen=True)
class Staged:
    """The SELECT that gives the accepted rows, in file order, with its schema and report; or, from the
    direct path, the Parquet file already written in the work folder (`written`, relation None)."""

    relation: duckdb.DuckDBPyRelation | None
    table_schema: dict
    report: ValidationReport
    row_count: int
    written: Path | None = None


def finish(log: ProblemLog, *, rows_read: int, rows_accepted: int, columns: list[str],
           on_error: str, aggregate_rows: dict[str, int] | None = None,
           detection: Detection | None = None) -> ValidationReport:
    """The report (with what reading detected); IngestRejected when any problem was found and the
    steward chose all-or-nothing. `aggregate_rows` counts rows left out as totals (World partner, all
    products), which are no error."""
    if rows_read == 0 and not log.total:
        raise BadFile(f"{log.file}: the file has a header but no data rows")
    report = log.report(rows_read=rows_read, rows_accepted=rows_accepted, columns=columns)
    report.aggregate_rows = dict(aggregate_rows or {})
    if detection is not None:
        report.detected = detection.to_dict()
        report.columns = list(detection.columns)
    if log.total and on_error == "abort":
        report.rows_accepted = 0
        raise IngestRejected(report)
    return report


def reject_missing_columns(log: ProblemLog, missing: list[str], *, what: str) -> None:
    """Required columns are absent: no row can be right, whatever on_error says."""
    for column in missing:
        log.add(Problem(Kind.MISSING_COLUMN, f"required column {column!r} of {what} is missing", log.file,
                        None, column, None))
    raise IngestRejected(log.report(rows_read=0, rows_accepted=0, columns=[]))
