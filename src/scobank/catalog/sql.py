"""Read-only SQL for analysts (DuckDB's dialect), as Datasette gives it, over the datasets the caller
may read row by row: each is a view named by its slug (`"kz-industry"`, or `kz_industry`).

The sandbox, in layers:
- exactly one statement, and it must be a SELECT (no ATTACH, COPY, PRAGMA, SET, INSTALL, CREATE, ...);
- a fresh in-memory DuckDB per query with file-system access, extension loading and configuration
  changes switched off before the query is even parsed for its tables, so `read_csv('/etc/passwd')`,
  `glob`, `'file.parquet'` and friends fail inside DuckDB too;
- every table the query names goes through the gate (Action.QUERY, the caller's purpose): a dataset the
  caller may not know reads as "no table", one it may only aggregate (k-anonymity) is refused, since
  SQL could recover its rows; only the versions granted are registered, as Arrow datasets;
- a time cap (the query is interrupted) and a row cap (more rows are cut, and the answer says so).
Every dataset read is one ledger entry with the query's text.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.catalog.schemas import ColumnPublic
from scobank.catalog.reads import resolve_rows
from scobank.config import get_settings
from scobank.errors import AccessDenied, BadRequest
from scobank.lake import store
from scobank.lake.query import rows_for_json

MAX_SQL_CHARS = 20_000
DEFAULT_MAX_ROWS = 1_000
ROW_CAP = 100_000
DEFAULT_TIMEOUT_S = 10.0
SANDBOX_SETTINGS = ("SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false",
                    "SET enable_external_access = false", "SET lock_configuration = true")


class SqlDataset(BaseModel):
    view: str
    dataset: str
    version: int


class SqlResult(BaseModel):
    sql: str
    columns: list[ColumnPublic]
    rows: list[dict]
    row_count: int
    truncated: bool = Field(description="true when the query gave more rows than max_rows")
    elapsed_ms: float
    datasets: list[SqlDataset]


@dataclass
class _Answer:
    table: pa.Table
    truncated: bool


def _statement_checked(sql: str) -> str:
    sql = (sql or "").strip()
    if not sql:
        raise BadRequest("write a SELECT statement")
    if len(sql) > MAX_SQL_CHARS:
        raise BadRequest(f"the query is {len(sql):,} characters; at most {MAX_SQL_CHARS:,}")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise BadRequest(f"SQL: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise BadRequest(f"one statement at a time ({len(statements)} given)")
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = statements[0].type.name
        raise BadRequest(f"only SELECT is allowed here ({kind} statements change or reach outside the bank)")
    return sql.rstrip(";")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


_SANDBOXES: dict[tuple, duckdb.DuckDBPyConnection] = {}
_SANDBOX_LOCK = threading.Lock()


def _sandbox() -> duckdb.DuckDBPyConnection:
    """A fresh connection (cursor) to the process's sandbox database, whose settings are locked: views
    registered on it are its own and vanish with it. Opening the database costs ~0.1 s, a cursor ~0."""
    settings = get_settings()
    key = (settings.query_memory_limit, settings.query_threads)
    with _SANDBOX_LOCK:
        database = _SANDBOXES.get(key)
        if database is None:
            database = duckdb.connect(":memory:", config={"memory_limit": settings.query_memory_limit,
                                                          "threads": settings.query_threads})
            for statement in SANDBOX_SETTINGS:
                database.execute(statement)
            _SANDBOXES[key] = database
        return database.cursor()


def _tables_named(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The tables the query names (CTEs left out), read from DuckDB's own parse tree."""
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0][0])
    if tree.get("error"):
        raise BadRequest(f"SQL: {tree.get('error_message', 'cannot be parsed')}")
    tables: set[str] = set()
    ctes: set[str] = set()
    for node in _nodes(tree):
        if node.get("type") == "BASE_TABLE":
            name = node.get("table_name", "")
            if node.get("schema_name") or node.get("catalog_name") or "/" in name or "." in name or ":" in name:
                raise AccessDenied("SQL here reads the bank's datasets only: no files, URLs, schemas or "
                                   "other databases")
            tables.add(name)
        for entry in (node.get("cte_map") or {}).get("map", []) if isinstance(node.get("cte_map"), dict) else []:
            ctes.add(entry.get("key"))
    return tables - ctes


def _nodes(value):
    """Every JSON object in the parse tree, depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _grant_views(session: Session, con, names: set[str], reader: Reader, purpose: str | None) -> list[tuple]:
    """Register each named dataset the gate lets `reader` query row by row; (dataset, version, grant, view)."""
    granted = []
    for view in sorted(names):
        slug = view if "-" in view else view.replace("_", "-")
        dataset, version, grant = resolve_rows(
            session, slug=slug, reader=reader, purpose=purpose,
            absent=f"no table {view!r}: name a dataset you may read by its slug, e.g. \"kz-industry\"",
            aggregates_only=lambda k, slug=slug: f"dataset {slug!r} may only be read as aggregates of at least "
                                                 f"{k} rows; SQL cannot reach it (use its rows API with group_by)")
        con.register(view, pads.dataset(str(store.path_for(version.content_hash)), format="parquet"))
        granted.append((dataset, version, grant, view))
    return granted


def _run_capped(con, sql: str, max_rows: int, timeout_s: float) -> _Answer:
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        reader = con.sql(sql).to_arrow_reader(min(max_rows + 1, 10_000))
        batches, count = [], 0
        for batch in reader:
            batches.append(batch)
            count += batch.num_rows
            if count > max_rows:
                break
    except duckdb.InterruptException:
        raise BadRequest(f"the query ran past {timeout_s:g} s and was stopped; narrow it") from None
    except duckdb.PermissionException:
        raise AccessDenied("SQL here reads the bank's datasets only: no files, URLs or extensions") from None
    except duckdb.Error as exc:
        raise BadRequest(f"SQL: {_first_line(exc)}") from None
    finally:
        timer.cancel()
    table = pa.Table.from_batches(batches, schema=reader.schema) if batches else reader.schema.empty_table()
    return _Answer(table.slice(0, max_rows), truncated=table.num_rows > max_rows)


def _plain_numbers(table: pa.Table) -> pa.Table:
    """DuckDB sums integers into 128-bit integers and keeps decimals exact, which JSON would carry as
    strings: whole numbers become int64 where they fit, other decimals float64."""
    for index, column in enumerate(table.schema):
        if pa.types.is_decimal(column.type):
            whole = column.type.scale == 0 and column.type.precision <= 18
            if column.type.scale == 0 and not whole:
                try:
                    table = table.set_column(index, column.name, table.column(index).cast(pa.int64()))
                    continue
                except pa.ArrowInvalid:
                    pass
            target = pa.int64() if whole else pa.float64()
            table = table.set_column(index, column.name, table.column(index).cast(target))
    return table


def run_sql(session: Session, *, sql: str, reader: Reader, purpose: str | None = None,
            max_rows: int = DEFAULT_MAX_ROWS, timeout_s: float = DEFAULT_TIMEOUT_S) -> SqlResult:
    """Run one SELECT over the datasets `reader` may query; see the module's docstring."""
    if not 1 <= max_rows <= ROW_CAP:
        raise BadRequest(f"max_rows must be between 1 and {ROW_CAP:,}")
    started = time.perf_counter()
    sql = _statement_checked(sql)
    con = _sandbox()
    try:
        granted = _grant_views(session, con, _tables_named(con, sql), reader, purpose)
        answer = _run_capped(con, sql, max_rows, timeout_s)
    finally:
        con.close()
    table = _plain_numbers(answer.table)
    for dataset, version, grant, _view in granted:
        ledger.record(session, actor=reader, action="sql", dataset_id=dataset.id, version_id=version.id,
                      purpose=grant.purpose, agreement_id=grant.agreement_id, rows=table.num_rows,
                      cells=table.num_rows * table.num_columns, detail={"sql": sql})
    return SqlResult(
        sql=sql, columns=[ColumnPublic(name=f.name, type=str(f.type)) for f in table.schema],
        rows=rows_for_json(table), row_count=table.num_rows, truncated=answer.truncated,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        datasets=[SqlDataset(view=view, dataset=d.slug, version=v.number) for d, v, _g, view in granted])
