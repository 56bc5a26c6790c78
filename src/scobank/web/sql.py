"""The SQL page: one read-only SELECT over the datasets the reader may read, its answer as a table and
a CSV link (the API's twin, with a byte-order mark for Excel). The rules are scobank.catalog.sql's."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from scobank.deps import DbSession
from scobank.catalog.sql import MAX_SQL_CHARS, run_sql
from scobank.errors import ScobankError
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()
PAGE_ROWS = 500
EXAMPLE = 'SELECT * FROM "dataset-slug" LIMIT 10'


@router.get("/sql", response_class=HTMLResponse)
def sql_page(request: Request, session: DbSession, reader: PageReader,
             q: str = Query("", max_length=MAX_SQL_CHARS)) -> HTMLResponse:
    result, error = None, None
    if q.strip():
        try:
            result = run_sql(session, sql=q, reader=reader, purpose=reader.purpose, max_rows=PAGE_ROWS)
        except ScobankError as exc:  # the reader's own mistake: shown beside the query, not as an error page
            error = exc
    csv_url = "/api/v1/sql?" + urlencode({"q": q, "format": "csv", "bom": "true"}) if result else None
    return render(request, "sql/page.html", section="sql", q=q, example=EXAMPLE, result=result,
                  error=error, csv_url=csv_url, json_url="/api/v1/sql?" + urlencode({"q": q}) if q else None)
