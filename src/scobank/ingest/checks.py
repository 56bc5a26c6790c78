"""Row checks as SQL over the `work` table (one row per data row, `rowid` + 1 = the row number a
spreadsheet user sees). Each check is a predicate that is true on a bad row; all of them are counted
in one scan, and only the checks that found something are asked for their first rows.

Predicates are fixed SQL written in this package, over generated column names; values are bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scobank.errors import Problem
from scobank.ingest.problems import ProblemLog
from scobank.problem_kinds import Kind


@dataclass(frozen=True)
class RowCheck:
    code: str  # "bad-hs-code"
    column: str  # the column as the user named it, for the report
    where: str  # SQL predicate over `work`: true on a bad row
    value: str  # SQL expression: the offending value as text
    message: str  # str.format template with {value}


def run_checks(conn: duckdb.DuckDBPyConnection, checks: list[RowCheck], log: ProblemLog) -> list[RowCheck]:
    """Record every check's problems in `log`; return the checks that found any."""
    if not checks:
        return []
    counts = conn.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c.where})" for c in checks) + " FROM work"  # noqa: S608
    ).fetchall()[0]
    failing = []
    for check, count in zip(checks, counts or [], strict=True):
        if not count:
            continue
        failing.append(check)
        rows = conn.execute(
            f"SELECT rowid + 1, CAST({check.value} AS VARCHAR) FROM work WHERE {check.where} "  # noqa: S608
            "ORDER BY rowid LIMIT $limit",
            {"limit": log.limit},
        ).fetchall()
        log.add_counted(
            [
                Problem(check.code, check.message.format(value=value), log.file, int(row), check.column, value)
                for row, value in rows
            ],
            int(count),
        )
    return failing


def check_duplicates(conn: duckdb.DuckDBPyConnection, *, key: list[str], shown: list[str], log: ProblemLog,
                     column: str | None = None) -> bool:
    """Report every row whose key repeats an earlier row's (the first one stays); True if any.

    Keys are hashed first (one small hash table over all rows); only colliding rows are compared in
    full. Rows with an empty key part are left to the missing-value checks."""
    parts = ", ".join(key)
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in key)
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE dup_rows AS "  # noqa: S608
        f"WITH h AS (SELECT hash({parts}) AS h FROM work WHERE {not_null} GROUP BY 1 HAVING count(*) > 1), "
        f"c AS (SELECT rowid + 1 AS r, {parts} FROM work WHERE {not_null} AND hash({parts}) IN (SELECT h FROM h)), "
        f"f AS (SELECT r, min(r) OVER (PARTITION BY {parts}) AS first, {parts} FROM c) "
        f"SELECT r, first, concat_ws(', ', {', '.join(f'CAST({k} AS VARCHAR)' for k in key)}) AS k "
        "FROM f WHERE r > first"
    )
    total = conn.execute("SELECT count(*) FROM dup_rows").fetchall()[0][0]
    if not total:
        return False
    rows = conn.execute("SELECT r, first, k FROM dup_rows ORDER BY r LIMIT $limit", {"limit": log.limit})
    log.add_counted(
        [
            Problem(Kind.DUPLICATE_KEY, f"the key ({', '.join(shown)}) = ({k}) repeats row {first}",
                    log.file, int(r), column, k)
            for r, first, k in rows.fetchall()
        ],
        int(total),
    )
    return True


def drop_bad_rows(conn: duckdb.DuckDBPyConnection, checks: list[RowCheck], *, duplicates: bool) -> int:
    """Delete every row a failing check flagged (and repeated keys after their first row); return how
    many rows were deleted. The table keeps its order, so the output needs no sort."""
    parts = [f"SELECT rowid FROM work WHERE {c.where}" for c in checks]  # noqa: S608
    if duplicates:
        parts.append("SELECT r - 1 FROM dup_rows")
    if not parts:
        return 0
    conn.execute("CREATE OR REPLACE TEMP TABLE bad_rows AS " + " UNION ".join(parts))
    count = conn.execute("SELECT count(*) FROM bad_rows").fetchall()[0][0]
    conn.execute("DELETE FROM work WHERE rowid IN (SELECT * FROM bad_rows)")
    return int(count)
