"""Read-only SQL for analysts: one SELECT over the datasets the caller may read row by row."""

from __future__ import annotations

import csv
import io
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from scobank.deps import CurrentReader, DbSession
from scobank.catalog.sql import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, MAX_SQL_CHARS, ROW_CAP, SqlResult, run_sql

router = APIRouter(tags=["sql"])


class SqlQuery(BaseModel):
    sql: str = Field(max_length=MAX_SQL_CHARS, description='One SELECT, e.g. SELECT region, sum(output) FROM "kz-industry" GROUP BY 1')
    max_rows: int = Field(DEFAULT_MAX_ROWS, ge=1, le=ROW_CAP)


def _csv(result: SqlResult, bom: bool) -> Response:
    out = io.StringIO()
    names = [c.name for c in result.columns]
    writer = csv.writer(out)
    writer.writerow(names)
    writer.writerows([[row[n] for n in names] for row in result.rows])
    body = ("\ufeff" if bom else "") + out.getvalue()
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="query.csv"'})


@router.get("/sql", response_model=SqlResult, responses={200: {"content": {"text/csv": {}}}})
def sql_get(session: DbSession, reader: CurrentReader,
            q: str = Query(..., max_length=MAX_SQL_CHARS, description="One SELECT statement (DuckDB dialect)."),
            max_rows: int = Query(DEFAULT_MAX_ROWS, ge=1, le=ROW_CAP),
            format: Literal["json", "csv"] = Query("json"),
            bom: bool = Query(False, description="CSV: start with a byte-order mark (Excel reads Cyrillic right)")):
    """Run one read-only query; each dataset it reads is a ledger entry with the query's text."""
    result = run_sql(session, sql=q, reader=reader, purpose=reader.purpose, max_rows=max_rows,
                     timeout_s=DEFAULT_TIMEOUT_S)
    return _csv(result, bom) if format == "csv" else result


@router.post("/sql", response_model=SqlResult)
def sql_post(body: SqlQuery, session: DbSession, reader: CurrentReader) -> SqlResult:
    """The same as GET /sql, for long queries."""
    return run_sql(session, sql=body.sql, reader=reader, purpose=reader.purpose, max_rows=body.max_rows,
                   timeout_s=DEFAULT_TIMEOUT_S)
