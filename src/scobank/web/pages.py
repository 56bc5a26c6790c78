"""The portal's root: every area's pages, the static assets, and the HTML page for errors a user can
cause (the app's one error handler answers /api/ paths with JSON and the rest with this page)."""

from __future__ import annotations

import time

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from scobank.errors import ScobankError, Unauthenticated
from scobank.web import (
    account,
    analytics,
    catalog,
    catalog_search,
    data_use,
    exchange,
    exchange_feed,
    exchange_mail,
    exchange_mine,
    exchange_thread,
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
                exchange_mine, exchange_mail, exchange_feed, exchange, exchange_thread, sql):
    router.include_router(_module.router)


def error_page(request: Request, error: ScobankError, http_status: int | None = None) -> Response:
    """An error a reader caused, explained in their language; a page that needs a login sends the
    reader to the login page and back. `http_status` is set for Starlette's own refusals (no such
    page). (Forms that show the reader's own mistakes, such as a validation report, answer 200 with
    the problems on the page.) The app's one handler (scobank.api.app) calls this for every path
    outside /api/."""
    if isinstance(error, Unauthenticated):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return render(request, "error.html", status=error.status, error=error, http_status=http_status)


async def server_timing(request: Request, call_next) -> Response:
    """Every response says how long the server took (`Server-Timing: app;dur=<ms>`), which the
    benchmark benchmarks/web_pages.py reads."""
    start = time.perf_counter()
    response = await call_next(request)
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
    return response


def mount(app: FastAPI) -> None:
    """Static assets at /static (served by the bank itself; nothing from a CDN) and the
    server-timing header."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.middleware("http")(server_timing)
