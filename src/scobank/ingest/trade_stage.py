"""Staging a trade file: pick its layout, build `work`, run the trade checks, select the canonical rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
from sqlalchemy.orm import Session

from scobank.errors import UnsupportedFormat
from scobank.ingest.checks import check_duplicates, drop_bad_rows, run_checks
from scobank.ingest.codes import register_code_types
from scobank.ingest.direct import AGGREGATE, BAD, DirectOutcome, EnumRows, TradeCodes, write_direct
from scobank.ingest.duck import used
from scobank.ingest.eidb import Eidb
from scobank.ingest.layouts import Baci, Comtrade, FlowTable
from scobank.ingest.outcome import Staged, finish, reject_missing_columns
from scobank.ingest.problems import ProblemLog
from scobank.ingest.readers import RawTable
from scobank.ingest.trade import AGGREGATE_ROWS, CANONICAL, TRADE_KEY, TradePlan, trade_checks, trade_schema


# The trade layouts, recognised by their header; the first whose columns the file has wins.
LAYOUTS = [Baci(), Comtrade(), Eidb(), FlowTable()]


def choose_layout(columns: list[str], *, log: ProblemLog):
    """The layout whose columns the header has; a near miss (half or more of a layout's columns)
    is reported as missing columns (IngestRejected); anything else is UnsupportedFormat."""
    present = {c.lower() for c in columns}
    scored = []
    for layout in LAYOUTS:
        missing = [c for c in layout.required if c not in present]
        if not missing:
            return layout
        scored.append((len(missing) / len(layout.required), layout, missing))
    share, layout, missing = min(scored, key=lambda s: s[0])
    if share <= 0.5:
        reject_missing_columns(log, missing, what=layout.label)
    raise UnsupportedFormat(
        f"{log.file}: not a trade file the bank knows; its columns are {', '.join(columns)}; expected "
        + "; or ".join(layout.label for layout in LAYOUTS)
    )


def _direct(conn: duckdb.DuckDBPyConnection, raw: RawTable, plan, params: dict, *, work_dir: Path) -> DirectOutcome:
    """A clean file in one pass (`scobank.ingest.direct`): BACI's parsed numbers through its own shape, any
    other layout through `checked_sql`; not a layout whose key is its own or whose rows are summed (EIDB)."""
    if plan.duplicate_key or plan.aggregated or plan.year_description:
        return DirectOutcome(0, None, parsed=False)
    codes = TradeCodes.of(conn)
    if plan.direct_sql is not None and raw.typed_view is not None:
        raw.typed_view(plan.fast_types)
        sql, shape = plan.direct_sql, plan.direct_shape(codes)
    else:
        sql, shape = checked_sql(plan), EnumRows(codes)
    return write_direct(conn, sql, used(sql, params), target=work_dir / "direct.parquet", shape=shape)


def checked_sql(plan: TradePlan) -> str:
    """The canonical rows of `plan` with `_aggregate` (the first kind of total in `AGGREGATE_ROWS` the row
    is, as `leave_out_aggregates` counts it) and `_bad` (a flow on which any of the full path's checks,
    `trade_checks`, is true): the same predicates, so the direct path accepts what the full path does."""
    kinds = " ".join(f"WHEN {predicate} THEN '{kind}'" for kind, predicate in AGGREGATE_ROWS.items())
    bad = " OR ".join(f"coalesce({check.where}, FALSE)" for check in trade_checks(plan))
    head, tail = plan.output_sql.rsplit(" FROM work", 1)
    assert not tail, "a layout's output_sql ends with FROM work"
    return (f"WITH work AS (SELECT *, CASE {kinds} END AS {AGGREGATE} FROM ({plan.work_sql})) "  # noqa: S608
            f"{head}, {AGGREGATE} IS NULL AND ({bad}) AS {BAD}, {AGGREGATE} FROM work")


def _fast_work(conn: duckdb.DuckDBPyConnection, plan, params: dict) -> bool:
    """Build `work` from reader-parsed numbers; False (and no table) when any value did not parse,
    since rows would then be missing and row numbers wrong: the text path reports those values."""
    try:
        conn.execute("CREATE OR REPLACE TEMP TABLE work AS " + plan.fast_sql, used(plan.fast_sql, params))
    except (duckdb.ConversionException, duckdb.InvalidInputException):
        conn.execute("DROP TABLE IF EXISTS work")
        return False
    return True


def leave_out_aggregates(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Delete the rows of `work` that are totals, not flows (`AGGREGATE_ROWS`); their count by kind.
    Row ids stay, so the problems of the other rows keep their row numbers."""
    exclusive, earlier = [], "FALSE"
    for predicate in AGGREGATE_ROWS.values():  # a World row of all products counts once, as World
        exclusive.append(f"({predicate}) AND NOT ({earlier})")
        earlier = f"{earlier} OR ({predicate})"
    probes = ", ".join(f"count(*) FILTER (WHERE {p})" for p in exclusive)
    counts = conn.execute(f"SELECT {probes} FROM work").fetchall()[0]  # noqa: S608
    found = {kind: int(n) for kind, n in zip(AGGREGATE_ROWS, counts, strict=True) if n}
    if found:
        conn.execute("DELETE FROM work WHERE " + " OR ".join(f"({p})" for p in AGGREGATE_ROWS.values()))  # noqa: S608
    return found


def stage_trade(conn: duckdb.DuckDBPyConnection, session: Session, *, raw: RawTable, name: str,
                log: ProblemLog, on_error: str, hs_revision: str | None, work_dir: Path) -> Staged:
    """Map the file onto the canonical trade-flow table (see `scobank.ingest.trade`): a clean file with
    a typed plan goes the direct path, written as it is parsed; any other goes through the `work` table,
    whose checks name every bad row."""
    layout = choose_layout(raw.columns, log=log)
    plan = layout.plan(conn, session, columns=raw.columns, name=name, hs_revision=hs_revision)
    params = {**plan.params, **register_code_types(conn, session, revision=plan.revision, also=plan.revisions),
              "revision": plan.revision}
    direct = _direct(conn, raw, plan, params, work_dir=work_dir)
    if direct.path is not None:
        report = finish(log, rows_read=direct.rows + sum(direct.aggregates.values()), rows_accepted=direct.rows,
                        columns=raw.columns, on_error=on_error, aggregate_rows=direct.aggregates,
                        detection=raw.detection)
        return Staged(None, trade_schema(plan), report, direct.rows, written=direct.path)
    typed = plan.direct_sql is not None and raw.typed_view is not None  # raw_typed is registered
    if not (direct.parsed and typed and _fast_work(conn, plan, params)):
        conn.execute("CREATE OR REPLACE TEMP TABLE work AS " + plan.work_sql, plan.params)
    rows_read = conn.execute("SELECT count(*) FROM work").fetchall()[0][0]
    aggregates = leave_out_aggregates(conn)
    kept = rows_read - sum(aggregates.values())
    failing = run_checks(conn, trade_checks(plan), log)
    key = plan.duplicate_key or TRADE_KEY
    shown = plan.duplicate_labels or [plan.labels[k] for k in TRADE_KEY]
    duplicates = check_duplicates(conn, key=key, shown=shown, log=log)
    dropped = drop_bad_rows(conn, failing, duplicates=duplicates) if log.total and on_error != "abort" else 0
    report = finish(log, rows_read=rows_read, rows_accepted=kept - dropped, columns=raw.columns,
                    on_error=on_error, aggregate_rows=aggregates,
                    detection=raw.detection)
    relation = conn.sql(plan.output_sql, params={"revision": plan.revision} if "$revision" in plan.output_sql else None)
    assert list(relation.columns) == CANONICAL
    rows = kept - dropped
    if plan.aggregated:  # the file's rows were summed into flows
        rows = conn.sql(f"SELECT count(*) FROM ({plan.output_sql})",  # noqa: S608
                        params={"revision": plan.revision} if "$revision" in plan.output_sql else None).fetchall()[0][0]
    return Staged(relation, trade_schema(plan, years=_years(conn) if plan.year_description else None), report, rows)


def _years(conn: duckdb.DuckDBPyConnection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT DISTINCT year FROM work WHERE year IS NOT NULL ORDER BY 1").fetchall()]
