"""The portal's root: every area's pages, the static assets, and the one handler that turns errors a
user can cause into an HTML page (API paths keep their JSON shape)."""

from __future__ import annotations

import time

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from scobank.errors import ScobankError, Unauthenticated
from scobank.web import (
    account,
    analytics,
    catalog,
    catalog_search,
    data_use,
    exchange,
    exchange_mine,
    home,
    members,
    products,
    publish,
    search,
    sql,
)
from scobank.web.render import STATIC_DIR, render

router = APIRouter(include_in_schema=False)
# exchange_mine before exchange: /exchange/listings/new must win over /exchange/listings/{id}
for _module in (home, search, products, account, catalog_search, catalog, publish, data_use, analytics, members,
                exchange_mine, exchange, sql):
    router.include_router(_module.router)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def scobank_error(request: Request, exc: ScobankError) -> Response:
    """API: the JSON error shape. Pages: the error explained in the reader's language; a page that
    needs a login sends the reader to the login page and back. (Forms that show the reader's own
    mistakes, such as a validation report, answer 200 with the problems on the page.)"""
    if _is_api(request):
        return JSONResponse(exc.to_dict(), status_code=exc.status)
    if isinstance(exc, Unauthenticated):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return render(request, "error.html", status=exc.status, error=exc)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return render(request, "error.html", status=exc.status_code,
                  error=ScobankError(str(exc.detail)), http_status=exc.status_code)


async def server_timing(request: Request, call_next) -> Response:
    """Every response says how long the server took (`Server-Timing: app;dur=<ms>`), which the
    benchmark benchmarks/web_pages.py reads."""
    start = time.perf_counter()
    response = await call_next(request)
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
    return response


def mount(app: FastAPI) -> None:
    """Static assets at /static (served by the bank itself; nothing from a CDN), the error pages and
    the server-timing header."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(ScobankError, scobank_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.middleware("http")(server_timing)
